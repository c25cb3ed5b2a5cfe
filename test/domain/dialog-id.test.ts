import { describe, expect, it } from "vitest";
import { dialogIdsOf, parseDialogId } from "../../src/domain/dialog-id.js";

describe("dialogId", () => {
  it("reads chatN and user ids, nothing else", () => {
    expect(parseDialogId("chat5")).toEqual({ kind: "chat", chatId: 5 });
    expect(parseDialogId("12")).toEqual({ kind: "user", userId: 12 });
    for (const bad of ["", "chat", "chat0", "Chat5", "05", "-1", "chat5 ", "1e3"]) expect(parseDialogId(bad)).toBeNull();
  });

  it("names a 1:1 chat by the counterpart's id", () => {
    expect(dialogIdsOf({ id: 7, type: "private", members: [1, 456] }, 456)).toEqual(["chat7", "1"]);
    expect(dialogIdsOf({ id: 5, type: "chat", members: [1, 456] }, 456)).toEqual(["chat5"]);
  });
});
