import { randomUUID } from "node:crypto";

/** A value at least this long is cut out of the body before the rest is parsed. */
export const LONG_VALUE_BYTES = 64 * 1024;

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * A body whose long values (a file upload's base64) were cut out of it: the short rest, with a
 * marker in place of each, and the values, decoded straight from the body's bytes. Parsing the
 * whole text would hold the body, its text and the parsed value at once; this holds the body and
 * the value, and the body can go before the rest is parsed.
 */
export interface CutBody {
  rest: Buffer;
  values: Map<string, string>;
}

/**
 * Cuts the long string values out of a JSON body. Only plain literals are cut (no escapes, no raw
 * control characters, not a key), so JSON.parse reads the rest and the values exactly as it would
 * have read the whole text; anything else stays in the rest for JSON.parse to judge.
 * Throws (TypeError) when a value is not UTF-8, as decoding the whole body would.
 */
export function cutJsonValues(body: Buffer): CutBody | undefined {
  const values = new Map<string, string>();
  const pieces: Buffer[] = [];
  let kept = 0;
  for (let i = body.indexOf(QUOTE); i !== -1 && i < body.length; i = body.indexOf(QUOTE, i + 1)) {
    let end = i + 1;
    let plain = true;
    for (; end < body.length && body[end] !== QUOTE; end++) {
      const byte = body[end] as number;
      if (byte === BACKSLASH) {
        plain = false;
        end++;
      } else if (byte < 0x20) plain = false;
    }
    if (end >= body.length) break;
    if (plain && end - i - 1 >= LONG_VALUE_BYTES && !isKey(body, end + 1)) {
      const marker = markerFor(values);
      values.set(marker, utf8.decode(body.subarray(i + 1, end)));
      pieces.push(body.subarray(kept, i), Buffer.from(JSON.stringify(marker)));
      kept = end + 1;
    }
    i = end;
  }
  if (values.size === 0) return undefined;
  pieces.push(body.subarray(kept));
  return { rest: Buffer.concat(pieces), values };
}

/**
 * Cuts the long values out of a urlencoded body, decoding each as PHP's parse_str (and
 * php-query.ts) does: `+` is a space, `%XX` a byte, the bytes UTF-8; with a malformed escape or
 * bytes that are not UTF-8, each escape is one character (latin1). A value holding raw non-ASCII
 * bytes stays in the rest. Decoding shrinks a value, so it is done in place: the body is the
 * caller's to give up.
 */
export function cutFormValues(body: Buffer): CutBody | undefined {
  const values = new Map<string, string>();
  const pieces: Buffer[] = [];
  let kept = 0;
  for (let start = 0; start < body.length; ) {
    let end = body.indexOf(AMPERSAND, start);
    if (end === -1) end = body.length;
    const eq = body.indexOf(EQUALS, start);
    if (eq !== -1 && eq < end && end - eq - 1 >= LONG_VALUE_BYTES && isAscii(body, eq + 1, end)) {
      const marker = markerFor(values);
      values.set(marker, decodeFormValue(body, eq + 1, end));
      pieces.push(body.subarray(kept, eq + 1), Buffer.from(encodeURIComponent(marker)));
      kept = end;
    }
    start = end + 1;
  }
  if (values.size === 0) return undefined;
  pieces.push(body.subarray(kept));
  return { rest: Buffer.concat(pieces), values };
}

/** Puts the cut values back in place of their markers in the parsed rest. */
export function restoreValues(parsed: unknown, values: Map<string, string>): unknown {
  if (typeof parsed === "string") return values.get(parsed) ?? parsed;
  if (parsed === null || typeof parsed !== "object") return parsed;
  const node = parsed as Record<string, unknown>;
  for (const key of Object.keys(node)) {
    const child = node[key];
    const restored = restoreValues(child, values);
    // Defined, not assigned: a key may be `__proto__`.
    if (restored !== child) Object.defineProperty(node, key, { value: restored, enumerable: true, writable: true, configurable: true });
  }
  return parsed;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const AMPERSAND = 0x26;
const EQUALS = 0x3d;
const PERCENT = 0x25;
const PLUS = 0x2b;

/** A marker no client sends: a NUL and a fresh random id. */
function markerFor(values: Map<string, string>): string {
  return `\u0000b24-emulator-cut-${values.size}-${randomUUID()}`;
}

/** The literal just closed is a key when a colon follows it. */
function isKey(body: Buffer, from: number): boolean {
  let i = from;
  while (i < body.length && (body[i] === 0x20 || body[i] === 0x09 || body[i] === 0x0a || body[i] === 0x0d)) i++;
  return body[i] === 0x3a;
}

function isAscii(body: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if ((body[i] as number) >= 0x80) return false;
  return true;
}

function decodeFormValue(body: Buffer, start: number, end: number): string {
  let out = start;
  let malformed = false;
  for (let i = start; i < end; i++) {
    const byte = body[i] as number;
    const high = byte === PERCENT && i + 2 < end ? hexValue(body[i + 1] as number) : -1;
    const low = high === -1 ? -1 : hexValue(body[i + 2] as number);
    if (high !== -1 && low !== -1) {
      body[out++] = high * 16 + low;
      i += 2;
    } else {
      if (byte === PERCENT) malformed = true;
      body[out++] = byte === PLUS ? 0x20 : byte;
    }
  }
  const decoded = body.subarray(start, out);
  if (!malformed) {
    try {
      return utf8.decode(decoded);
    } catch {
      // not UTF-8: each escape is one character, as below
    }
  }
  return decoded.toString("latin1");
}

function hexValue(byte: number): number {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  const lower = byte | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1;
}
