/**
 * Decodes `application/x-www-form-urlencoded` text (and query strings) the way PHP's parse_str
 * does, because that is what a portal sees: `fields[message]=x` nests, `ids[]=1&ids[]=2` appends,
 * a later duplicate wins, and a map whose keys are exactly 0..n-1 becomes a list.
 * Containers are null-prototype, so keys such as `__proto__` are plain data.
 */

export interface ParamLimits {
  maxDepth: number;
  maxParams: number;
}

export const DEFAULT_PARAM_LIMITS: ParamLimits = { maxDepth: 32, maxParams: 10_000 };

export class ParamLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ParamLimitError";
  }
}

type Tree = Map<string, Tree | string>;

export function parsePhpQuery(text: string, limits: ParamLimits = DEFAULT_PARAM_LIMITS): Record<string, unknown> {
  const root: Tree = new Map();
  if (text === "") return {};
  const pairs = text.split("&");
  let count = 0;
  for (const pair of pairs) {
    if (pair === "") continue;
    if (++count > limits.maxParams) {
      throw new ParamLimitError(`more than ${limits.maxParams} parameters`);
    }
    const eq = pair.indexOf("=");
    const rawKey = decodeComponent(eq === -1 ? pair : pair.slice(0, eq));
    const value = eq === -1 ? "" : decodeComponent(pair.slice(eq + 1));
    assign(root, splitKey(rawKey), value, limits);
  }
  return toPlain(root) as Record<string, unknown>;
}

/** Builds the same nested shape from already-decoded (name, value) pairs, as multipart bodies give. */
export function parsePhpEntries(
  entries: Iterable<[string, string]>,
  limits: ParamLimits = DEFAULT_PARAM_LIMITS,
): Record<string, unknown> {
  const root: Tree = new Map();
  let count = 0;
  for (const [name, value] of entries) {
    if (++count > limits.maxParams) throw new ParamLimitError(`more than ${limits.maxParams} parameters`);
    assign(root, splitKey(name), value, limits);
  }
  return toPlain(root) as Record<string, unknown>;
}

function decodeComponent(text: string): string {
  const spaced = text.replace(/\+/g, " ");
  try {
    return decodeURIComponent(spaced);
  } catch {
    // PHP keeps malformed escapes literally instead of failing the request.
    return spaced.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  }
}

/** `a[b][]` -> ["a", "b", ""]; PHP turns spaces and dots in the base name into underscores. */
function splitKey(key: string): string[] {
  const open = key.indexOf("[");
  if (open <= 0) return [normaliseBase(key)];
  if (key.indexOf("]", open) === -1) return [normaliseBase(key.replace("[", "_"))];
  const base = normaliseBase(key.slice(0, open));
  const segments = [base];
  let rest = key.slice(open);
  while (rest.startsWith("[")) {
    const close = rest.indexOf("]");
    if (close === -1) break;
    segments.push(rest.slice(1, close));
    rest = rest.slice(close + 1);
  }
  return segments;
}

function normaliseBase(name: string): string {
  return name.replace(/[ .]/g, "_");
}

function assign(root: Tree, path: string[], value: string, limits: ParamLimits): void {
  if (path.length > limits.maxDepth) {
    throw new ParamLimitError(`parameter nesting deeper than ${limits.maxDepth} levels`);
  }
  let node = root;
  for (let i = 0; i < path.length; i++) {
    const key = path[i] === "" ? String(nextIndices.get(node) ?? 0) : (path[i] as string);
    if (i === path.length - 1) {
      setKey(node, key, value);
      return;
    }
    const child = node.get(key);
    if (child instanceof Map) {
      node = child;
    } else {
      const created: Tree = new Map();
      setKey(node, key, created);
      node = created;
    }
  }
}

/**
 * Per container, the index `[]` appends at: one more than the largest integer key so far, as in
 * PHP. Kept up to date on every insert, so appending is O(1), not a scan of the keys each time.
 */
const nextIndices = new WeakMap<Tree, number>();

function setKey(node: Tree, key: string, value: Tree | string): void {
  node.set(key, value);
  if (/^(0|[1-9]\d*)$/.test(key)) nextIndices.set(node, Math.max(nextIndices.get(node) ?? 0, Number(key) + 1));
}

function toPlain(node: Tree | string): unknown {
  if (typeof node === "string") return node;
  let index = 0;
  let isList = true;
  for (const key of node.keys()) {
    if (key !== String(index++)) {
      isList = false;
      break;
    }
  }
  if (isList && node.size > 0) return [...node.values()].map(toPlain);
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [key, child] of node) out[key] = toPlain(child);
  return out;
}
