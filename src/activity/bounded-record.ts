/** Largest params (journal) or payload (deliveries) kept whole, as JSON bytes. */
export const MAX_RECORD_BYTES = 16 * 1024;
/** Longest string kept in a truncated record. */
const KEPT_STRING_CHARS = 512;

/**
 * A record's params as the journal keeps them: whole up to MAX_RECORD_BYTES, else with long strings
 * cut (each saying how long it was) and, if that is not enough, replaced by a note. `truncated`
 * says it happened, so a test never mistakes a cut value for what was sent.
 */
export function boundedRecord<T extends Record<string, unknown>>(value: T): { value: T; bytes: number; truncated: boolean } {
  // A string longer than the limit makes the record too long: it is cut without first being copied
  // into a JSON text as long as itself (a file upload's base64 is 140 MB).
  const bytes = holdsStringOver(value, MAX_RECORD_BYTES, 0) ? null : JSON.stringify(value).length;
  if (bytes !== null && bytes <= MAX_RECORD_BYTES) return { value, bytes, truncated: false };
  const cut = cutStrings(value, 0) as T;
  const cutBytes = JSON.stringify(cut).length;
  if (cutBytes <= MAX_RECORD_BYTES) return { value: cut, bytes: cutBytes, truncated: true };
  const note = { truncated: `${bytes ?? `over ${MAX_RECORD_BYTES}`} bytes of parameters, too many to keep` } as unknown as T;
  return { value: note, bytes: JSON.stringify(note).length, truncated: true };
}

function holdsStringOver(value: unknown, length: number, depth: number): boolean {
  if (typeof value === "string") return value.length > length;
  if (value === null || typeof value !== "object" || depth > 40) return false;
  return Object.values(value).some((child) => holdsStringOver(child, length, depth + 1));
}

function cutStrings(value: unknown, depth: number): unknown {
  if (typeof value === "string") {
    if (value.length <= KEPT_STRING_CHARS) return value;
    // A copy, not a slice: V8's slice points into the whole string, and the journal would keep a
    // 140 MB upload alive as long as the entry.
    return structuredClone(`${value.slice(0, KEPT_STRING_CHARS)}… (${value.length} characters, truncated)`);
  }
  if (value === null || typeof value !== "object" || depth > 40) return value;
  if (Array.isArray(value)) return value.map((v) => cutStrings(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    Object.defineProperty(out, key, { value: cutStrings(child, depth + 1), enumerable: true, writable: true, configurable: true });
  }
  return out;
}
