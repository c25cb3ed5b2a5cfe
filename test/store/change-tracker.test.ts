import { describe, expect, it } from "vitest";
import { applyChanges, trackChanges } from "../../src/store/change-tracker.js";

type Tree = { a: { b: number; list: number[]; map: Record<string, { x: number }> }; c?: string };

const tree = (): Tree => ({ a: { b: 1, list: [1, 2], map: { k1: { x: 1 }, k2: { x: 2 } } }, c: "c" });

describe("change tracking for the write-ahead log", () => {
  it("records only what a mutation changed, with values as they are at the end", () => {
    const root = tree();
    const { proxy, changes } = trackChanges(root);
    proxy.a.b = 2;
    proxy.a.map.k3 = { x: 0 };
    proxy.a.map.k3.x = 3;
    proxy.a.list.push(3);
    delete proxy.c;
    const recorded = changes();
    expect(recorded).toHaveLength(4);
    expect(recorded).toEqual(
      expect.arrayContaining([
        { path: ["c"], deleted: true },
        { path: ["a", "b"], value: 2 },
        { path: ["a", "map", "k3"], value: { x: 3 } },
        { path: ["a", "list"], value: [1, 2, 3] },
      ]),
    );
  });

  it("replaying the changes onto a copy gives the same tree", () => {
    const root = tree();
    const copy = tree();
    const { proxy, changes } = trackChanges(root);
    proxy.a.map.k1!.x = 10;
    proxy.a.list = proxy.a.list.filter((n) => n > 1);
    delete proxy.a.map.k2;
    applyChanges(copy as unknown as Record<string, unknown>, changes());
    expect(copy).toEqual(root);
  });

  it("never stores proxies in the tree, even when values read through it are stored back", () => {
    const root = tree();
    const { proxy } = trackChanges(root);
    proxy.a.map.k9 = proxy.a.map.k1!;
    proxy.a.list = [...proxy.a.list];
    expect(root.a.map.k9).toBe(root.a.map.k1);
    expect(() => structuredClone(root)).not.toThrow();
  });

  it("records nothing for reads", () => {
    const { proxy, changes } = trackChanges(tree());
    void Object.values(proxy.a.map).map((v) => v.x);
    expect(changes()).toEqual([]);
  });
});
