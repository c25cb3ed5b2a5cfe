import { describe, expect, it } from "vitest";
import { validateAttach } from "../../src/domain/attach.js";
import { normaliseKeyboard } from "../../src/domain/keyboard.js";

describe("ATTACH", () => {
  it("accepts every documented block type", () => {
    const result = validateAttach({
      ID: 1,
      COLOR: "#29619b",
      BLOCKS: [
        { MESSAGE: "text" },
        { LINK: { LINK: "/relative", NAME: "n" } },
        { USER: { NAME: "Ann" } },
        { GRID: [{ DISPLAY: "BLOCK", NAME: "a", VALUE: "b" }] },
        { IMAGE: [{ LINK: "https://x/y.png" }] },
        { FILE: [{ LINK: "http://x/f.pdf", SIZE: 10 }] },
        { DELIMITER: {} },
        { RICH_LINK: { anything: true } },
      ],
    });
    expect(result.ok).toBe(true);
  });

  it("names the failing block", () => {
    const result = validateAttach({ BLOCKS: [{ MESSAGE: "ok" }, { USER: {} }] });
    expect(result).toEqual({ ok: false, code: "ATTACH_ERROR", reason: "attach.BLOCKS[1]: USER.NAME is required" });
  });

  it("treats an empty attach as no attach", () => {
    expect(validateAttach([])).toEqual({ ok: true, attach: null });
    expect(validateAttach(undefined)).toEqual({ ok: true, attach: null });
  });

  it("measures size in code points of the JSON", () => {
    expect(validateAttach([{ MESSAGE: "😀".repeat(59_980) }]).ok).toBe(true);
    expect(validateAttach([{ MESSAGE: "😀".repeat(60_000) }])).toMatchObject({ ok: false, code: "ATTACH_OVERSIZE" });
  });
});

describe("KEYBOARD", () => {
  it("keeps BOT_ID and drops buttons without text and exactly one action", () => {
    const result = normaliseKeyboard(
      {
        BOT_ID: 9,
        BUTTONS: [
          { TEXT: "a", COMMAND: "x" },
          { TEXT: "b", COMMAND: "x", LINK: "https://e" },
          { TEXT: "c", ACTION: "COPY", ACTION_VALUE: "v" },
          { TEXT: "d", LINK: "ftp://nope" },
        ],
      },
      456,
    );
    expect(result).toEqual({ ok: true, keyboard: { BOT_ID: 9, BUTTONS: [{ TEXT: "a", COMMAND: "x" }, { TEXT: "c", ACTION: "COPY", ACTION_VALUE: "v" }] } });
  });

  it("treats 'N' and empty as no keyboard and refuses unreadable text", () => {
    expect(normaliseKeyboard("N", 1)).toEqual({ ok: true, keyboard: null });
    expect(normaliseKeyboard("{", 1)).toEqual({ ok: false, reason: "keyboard is not valid JSON" });
  });
});
