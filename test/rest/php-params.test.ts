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

  it("appends with `[]` in linear work: 10,000 appends visit about 10,000 map entries, not 50 million", () => {
    // The fuzzer found each `[]` rescanning every key of its container (1.4 s for 10,000). A time
    // limit flakes on a loaded machine, so the test counts the work instead: every step of every Map
    // iteration during the parse, against a budget linear in the input (the old scan took ~n²/2).
    const appends = 10_000;
    const text = Array.from({ length: appends }, (_, i) => `fields[ids][]=${i}`).join("&");
    const budget = 10 * appends;
    const { result, steps } = countMapSteps(() => parsePhpQuery(text), budget);
    expect(steps).toBeGreaterThan(0);
    expect(steps).toBeLessThanOrEqual(budget);
    const ids = (result as { fields: { ids: string[] } }).fields.ids;
    expect(ids).toHaveLength(appends);
    expect(ids[appends - 1]).toBe(String(appends - 1));
  });

  it("refuses nesting deeper than the limit and more parameters than the limit", () => {
    expect(() => parsePhpQuery(`a${"[b]".repeat(5)}=1`, { maxDepth: 4, maxParams: 10 })).toThrow(ParamLimitError);
    expect(() => parsePhpQuery("a=1&b=2&c=3", { maxDepth: 4, maxParams: 2 })).toThrow(ParamLimitError);
  });
});

/**
 * Runs `work` counting every step taken by any Map iterator (keys, values, entries, for-of, spread)
 * and forEach callback; stops with an error past `budget` so a quadratic scan fails at once.
 */
function countMapSteps<T>(work: () => T, budget: number): { result: T; steps: number } {
  const iteratorProto = Object.getPrototypeOf(new Map().keys()) as { next: (this: unknown) => IteratorResult<unknown> };
  const next = iteratorProto.next;
  const forEach = Map.prototype.forEach;
  let steps = 0;
  const step = () => {
    if (++steps > budget) throw new Error(`more than ${budget} Map iteration steps`);
  };
  iteratorProto.next = function (this: unknown) {
    step();
    return next.call(this);
  };
  Map.prototype.forEach = function (this: Map<unknown, unknown>, callback, thisArg) {
    forEach.call(this, (value, key, map) => {
      step();
      callback.call(thisArg, value, key, map);
    });
  };
  try {
    return { result: work(), steps };
  } finally {
    iteratorProto.next = next;
    Map.prototype.forEach = forEach;
  }
}
