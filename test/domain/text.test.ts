import { describe, expect, it } from "vitest";
import { applyLengthLimit, codePointLength, normaliseMessageText } from "../../src/domain/text.js";

describe("message text", () => {
  it("counts code points, not UTF-16 units", () => {
    expect(codePointLength("😀")).toBe(1);
    expect(codePointLength("ж")).toBe(1);
    expect(codePointLength("👩‍💻")).toBe(3);
  });

  it("applies the 20,000 limit by policy", () => {
    expect(applyLengthLimit("😀".repeat(20_000), "reject")).toHaveLength(40_000);
    expect(applyLengthLimit("😀".repeat(20_001), "reject")).toBeNull();
    expect(applyLengthLimit("a".repeat(20_006), "truncate")).toHaveLength(20_006);
    expect(applyLengthLimit("a".repeat(20_007), "truncate")).toBe(`${"a".repeat(20_000)} (...)`);
  });

  it("trims and turns line-break markers into newlines, as a portal stores them", () => {
    expect(normaliseMessageText("  a[BR]b[br]c#BR#d  ")).toBe("a\nb\nc\nd");
  });
});
