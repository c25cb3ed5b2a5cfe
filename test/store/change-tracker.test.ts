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
        { path: ["a", "list"], append: [3] },
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

describe("lists that only grow", () => {
  it("log just the appended items, not the whole list", () => {
    const root = { queue: Array.from({ length: 1000 }, (_, i) => ({ id: i })) };
    const copy = structuredClone(root);
    const { proxy, changes } = trackChanges(root);
    proxy.queue.push({ id: 1000 }, { id: 1001 });
    expect(changes()).toEqual([{ path: ["queue"], append: [{ id: 1000 }, { id: 1001 }] }]);
    applyChanges(copy as unknown as Record<string, unknown>, changes());
    expect(copy).toEqual(root);
  });

  it("fall back to the whole list when items are removed or reordered, even after appends", () => {
    const root = { queue: [1, 2, 3] };
    const copy = structuredClone(root);
    const { proxy, changes } = trackChanges(root);
    proxy.queue.push(4);
    proxy.queue.shift();
    expect(changes()).toEqual([{ path: ["queue"], value: [2, 3, 4] }]);
    applyChanges(copy as unknown as Record<string, unknown>, changes());
    expect(copy).toEqual(root);
  });

  it("a replaced list is written whole even if pushed to afterwards", () => {
    const root = { queue: [1, 2, 3] };
    const { proxy, changes } = trackChanges(root);
    proxy.queue = proxy.queue.filter((n) => n > 1);
    proxy.queue.push(9);
    expect(changes()).toEqual([{ path: ["queue"], value: [2, 3, 9] }]);
  });
});
