/** A path from the state root, e.g. ["portals", "default", "messages", "790"]. */
export type StatePath = string[];

/** One change as the write-ahead log keeps it: set a path to a value, delete it, or append to a list. */
export type Change =
  | { path: StatePath; value: unknown }
  | { path: StatePath; deleted: true }
  | { path: StatePath; append: unknown[] };

/**
 * Watches one mutation of a plain JSON tree through a proxy and reports which paths it changed, so
 * that persisting the mutation costs what it changed, not the size of the whole tree. Objects are
 * recorded per key; an array that only grew (event queues) by what was appended, any other array
 * change by the whole array.
 */
export function trackChanges<T extends object>(root: T): { proxy: T; changes(): Change[]; undo(): void } {
  const touched = new Map<string, { path: StatePath; kind: "set" | "delete" | "append"; base: number }>();
  const before = new UndoLog();
  const proxies = new WeakMap<object, object>();
  const targets = new WeakMap<object, object>();

  /** Values read through the proxy are proxies; the stored tree must only ever hold plain data. */
  const unwrap = (value: unknown, depth = 0): unknown => {
    if (value === null || typeof value !== "object") return value;
    const target = targets.get(value);
    if (target) return target;
    if (depth > 64) return value;
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const inner = unwrap(record[key], depth + 1);
      if (inner !== record[key]) Object.defineProperty(record, key, { value: inner, enumerable: true, writable: true, configurable: true });
    }
    return value;
  };

  const mark = (path: StatePath, kind: "set" | "delete" | "append", base = 0) => {
    const key = JSON.stringify(path);
    // Appends never downgrade a whole write of the same list.
    if (kind === "append" && touched.has(key)) return;
    touched.set(key, { path, kind, base });
  };
  /** Length of each array when this mutation first reached it: indexes from there on are appends. */
  const baseLength = new WeakMap<object, number>();

  const wrap = <V extends object>(target: V, path: StatePath): V => {
    const cached = proxies.get(target);
    if (cached) return cached as V;
    const proxy = new Proxy(target, {
      get(obj, key, receiver) {
        const value = Reflect.get(obj, key, receiver) as unknown;
        if (typeof key !== "string" || value === null || typeof value !== "object") return value;
        return wrap(value, [...path, key]);
      },
      set(obj, key, value, receiver) {
        const stored = unwrap(value);
        // Writing back what is already there is no change (and must not log a whole list).
        if (Reflect.get(obj, key) === stored) return true;
        before.keep(obj, key, value);
        if (typeof key === "string") {
          if (Array.isArray(obj)) {
            const base = baseLength.get(obj) ?? 0;
            if (key === "length") {
              if (Number(value) < base) mark(path, "set");
            } else if (/^\d+$/.test(key) && Number(key) >= base) mark(path, "append", base);
            else mark(path, "set");
          } else mark([...path, key], "set");
        }
        return Reflect.set(obj, key, stored, receiver);
      },
      deleteProperty(obj, key) {
        before.keepBeforeDelete(obj, key);
        if (typeof key === "string") {
          if (Array.isArray(obj)) mark(path, "set");
          else mark([...path, key], "delete");
        }
        return Reflect.deleteProperty(obj, key);
      },
    });
    proxies.set(target, proxy);
    targets.set(proxy, target);
    if (Array.isArray(target)) baseLength.set(target, target.length);
    return proxy;
  };

  return {
    proxy: wrap(root, []),
    undo: () => before.restore(),
    changes() {
      const entries = [...touched.values()].sort((a, b) => a.path.length - b.path.length);
      const kept: Change[] = [];
      const setPaths = new Set<string>();
      for (const { path, kind, base } of entries) {
        // A change under a path that is written whole is already in that write.
        const covered = path.some((_, i) => i > 0 && setPaths.has(JSON.stringify(path.slice(0, i))));
        if (covered) continue;
        if (kind === "delete") {
          kept.push({ path, deleted: true });
          continue;
        }
        const value = valueAt(root, path);
        if (value === MISSING) continue;
        if (kind === "append" && Array.isArray(value)) {
          kept.push({ path, append: value.slice(base) });
          continue;
        }
        setPaths.add(JSON.stringify(path));
        kept.push({ path, value });
      }
      return kept;
    },
  };
}

/**
 * What the tree held before one mutation touched it, so that a mutation that throws, or whose write
 * fails, can be taken back exactly. Each key keeps its first value; an array keeps its first length
 * and the first value of each slot it had then (slots beyond go with the length).
 */
class UndoLog {
  private readonly steps: (() => void)[] = [];
  private readonly kept = new WeakMap<object, Set<PropertyKey>>();
  private readonly firstLength = new WeakMap<object, number>();
  private readonly orders: [object, (string | symbol)[]][] = [];
  private readonly ordered = new WeakSet<object>();

  /** Called before `key` of `obj` is set to `value` or deleted. */
  keep(obj: object, key: PropertyKey, value?: unknown): void {
    let keys = this.kept.get(obj);
    if (!keys) {
      keys = new Set();
      this.kept.set(obj, keys);
      if (Array.isArray(obj)) {
        const length = obj.length;
        this.firstLength.set(obj, length);
        this.steps.push(() => (obj.length = length));
      }
    }
    if (!Array.isArray(obj)) return this.keepSlot(obj, key, keys);
    const first = this.firstLength.get(obj) ?? 0;
    if (key === "length") {
      // Shrinking a list drops its tail without a trap per slot: keep those slots now.
      for (let i = Math.max(0, Number(value) || 0); i < Math.min(obj.length, first); i++) this.keepSlot(obj, String(i), keys);
      return;
    }
    // Slots past the first length go away when the length is set back.
    if (typeof key === "string" && /^\d+$/.test(key) && Number(key) >= first) return;
    this.keepSlot(obj, key, keys);
  }

  /** A key deleted and put back would move to the end: the object's key order is kept too. */
  keepBeforeDelete(obj: object, key: PropertyKey): void {
    if (!Array.isArray(obj) && !this.ordered.has(obj)) {
      this.ordered.add(obj);
      this.orders.push([obj, Reflect.ownKeys(obj)]);
    }
    this.keep(obj, key);
  }

  private keepSlot(obj: object, key: PropertyKey, keys: Set<PropertyKey>): void {
    if (keys.has(key)) return;
    keys.add(key);
    const had = Object.hasOwn(obj, key);
    const value: unknown = had ? Reflect.get(obj, key) : undefined;
    this.steps.push(() => {
      if (had) Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
      else Reflect.deleteProperty(obj, key);
    });
  }

  /** Latest first, so an array's slots come back before its length is set back. */
  restore(): void {
    for (let i = this.steps.length - 1; i >= 0; i--) (this.steps[i] as () => void)();
    for (const [obj, keys] of this.orders) {
      for (const key of keys) {
        if (!Object.hasOwn(obj, key)) continue; // added by the mutation itself, and taken back above
        const value: unknown = Reflect.get(obj, key);
        Reflect.deleteProperty(obj, key);
        Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
      }
    }
    this.steps.length = 0;
    this.orders.length = 0;
  }
}

const MISSING = Symbol("missing");

function valueAt(root: unknown, path: StatePath): unknown {
  let node = root;
  for (const key of path) {
    if (node === null || typeof node !== "object" || !Object.hasOwn(node, key)) return MISSING;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** Replays logged changes onto a loaded tree (recovery). */
export function applyChanges(root: Record<string, unknown>, changes: readonly Change[]): void {
  for (const change of changes) {
    const parentPath = change.path.slice(0, -1);
    const key = change.path.at(-1);
    if (key === undefined) continue;
    let node: Record<string, unknown> = root;
    for (const part of parentPath) {
      const next = node[part];
      if (next === null || typeof next !== "object") {
        const created: Record<string, unknown> = {};
        Object.defineProperty(node, part, { value: created, enumerable: true, writable: true, configurable: true });
        node = created;
      } else node = next as Record<string, unknown>;
    }
    if ("deleted" in change) delete node[key];
    else if ("append" in change) {
      const list = node[key];
      if (Array.isArray(list)) list.push(...change.append);
      else Object.defineProperty(node, key, { value: [...change.append], enumerable: true, writable: true, configurable: true });
    } else Object.defineProperty(node, key, { value: change.value, enumerable: true, writable: true, configurable: true });
  }
}
