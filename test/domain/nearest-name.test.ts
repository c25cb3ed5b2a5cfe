import { describe, expect, it } from "vitest";
import { nearestName } from "../../src/domain/nearest-name.js";

const FLAGS = ["port", "host", "https", "https-port", "version", "reset"];

describe("nearestName", () => {
  it.each([
    ["prot", "port"],
    ["hots", "host"],
    ["verison", "version"],
    ["HTTPS-PORT", "https-port"],
    ["https-prt", "https-port"],
  ])("suggests %s -> %s", (typo, expected) => {
    expect(nearestName(typo, FLAGS)).toBe(expected);
  });

  it("suggests nothing for a different word", () => {
    expect(nearestName("fixture", FLAGS)).toBeUndefined();
    expect(nearestName("x", FLAGS)).toBeUndefined();
  });

  it("finds a method with a letter missing, whatever its case", () => {
    expect(nearestName("imbot.v2.Comand.answer", ["imbot.v2.Command.answer", "imbot.v2.Command.update"])).toBe("imbot.v2.Command.answer");
  });
});
