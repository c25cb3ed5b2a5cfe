import { describe, expect, it } from "vitest";
import { ParamLimitError, parsePhpQuery } from "../../src/domain/php-query.js";

describe("PHP-style form decoding (parse_str)", () => {
  it("nests bracket keys, raw or percent-encoded", () => {
    expect(parsePhpQuery("fields[message]=hi&fields%5Bsystem%5D=Y")).toEqual({ fields: { message: "hi", system: "Y" } });
  });

  it("turns [] into a list and keys 0..n-1 into a list", () => {
    expect(parsePhpQuery("ids[]=1&ids[]=2&a[0]=x&a[1]=y")).toEqual({ ids: ["1", "2"], a: ["x", "y"] });
  });

  it("keeps sparse or out-of-order numeric keys as a map", () => {
    expect(parsePhpQuery("a[1]=x&a[0]=y")).toEqual({ a: { 1: "x", 0: "y" } });
    expect(parsePhpQuery("a[5]=x")).toEqual({ a: { 5: "x" } });
  });

  it("lets a later duplicate win, decodes + as space, keeps malformed escapes", () => {
    expect(parsePhpQuery("a=1&a=2&b=x+y&c=%E0%A4%A&d=%zz")).toEqual({ a: "2", b: "x y", c: "\u00e0\u00a4%A", d: "%zz" });
  });

  it("rewrites dots and spaces in the base name, and an unclosed bracket, like PHP", () => {
    expect(parsePhpQuery("a.b=1&c d=2&e[f=3")).toEqual({ a_b: "1", c_d: "2", e_f: "3" });
  });

  it("stores __proto__ as a plain key", () => {
    const parsed = parsePhpQuery("__proto__[x]=1&a[__proto__][y]=2") as Record<string, Record<string, unknown>>;
    expect(Object.keys(parsed)).toEqual(["__proto__", "a"]);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    expect(Object.getPrototypeOf(parsed.a) === null || Object.getPrototypeOf(parsed.a) === Object.prototype).toBe(true);
  });

  it("refuses nesting deeper than the limit and more parameters than the limit", () => {
    expect(() => parsePhpQuery(`a${"[b]".repeat(5)}=1`, { maxDepth: 4, maxParams: 10 })).toThrow(ParamLimitError);
    expect(() => parsePhpQuery("a=1&b=2&c=3", { maxDepth: 4, maxParams: 2 })).toThrow(ParamLimitError);
  });
});
