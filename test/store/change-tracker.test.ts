import { describe, expect, it } from "vitest";
import { applyChanges, trackChanges } from "../../src/store/change-tracker.js";
import { createMemoryStore, stateOf } from "../../src/store/store.js";

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

describe("taking a mutation back (a handler that throws, a write the disk refuses)", () => {
  const mutations: [string, (t: Tree) => void][] = [
    ["keys set, added and deleted", (t) => { t.a.b = 9; t.a.map.k3 = { x: 3 }; delete t.c; delete t.a.map.k1; }],
    ["nested values changed in place", (t) => { t.a.map.k1!.x = 7; t.a.map.k2 = { x: 8 }; t.a.map.k2.x = 9; }],
    ["a list grown, shrunk, spliced and sorted", (t) => { t.a.list.push(5, 4); t.a.list.sort((x, y) => y - x); t.a.list.splice(1, 2); t.a.list.unshift(0); }],
    ["a list cut short by its length", (t) => { t.a.list.length = 0; t.a.list.push(42); }],
    ["a list replaced, then the new one changed", (t) => { t.a.list = [7]; t.a.list.push(8); }],
  ];

  it.each(mutations)("%s: undo gives back exactly the tree as it was", (_, mutate) => {
    const root = tree();
    const { proxy, undo } = trackChanges(root);
    mutate(proxy);
    expect(root).not.toEqual(tree());
    undo();
    expect(root).toEqual(tree());
    expect(Object.keys(root.a.map)).toEqual(["k1", "k2"]);
  });

  it("a commit whose mutation throws halfway leaves the store as it was, and nothing is persisted", async () => {
    const store = createMemoryStore(stateOf([]));
    store.state.portals.p = { id: "p", language: "en" } as never;
    await expect(
      store.commit((state) => {
        (state.portals.p as unknown as { language: string }).language = "de";
        state.portals.q = { id: "q" } as never;
        throw new Error("refused after changing things");
      }),
    ).rejects.toThrow("refused after changing things");
    expect(store.state.portals).toEqual({ p: { id: "p", language: "en" } });
  });
});
