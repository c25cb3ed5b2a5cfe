import { EmulatorError } from "../../errors/emulator-error.js";

/**
 * What a portal's controller binder answers before a method runs (spec v2-complete.md §1, §4 b):
 * a required scalar that is absent, or an int parameter whose value is not an integer, is error
 * "100" (HTTP 400) naming the parameter. `0` binds (the method's own checks judge it), and so does
 * an empty string for a string parameter. Objects the method looks up (a chat, a message) are named
 * as the binder names them (`chat`, `message`).
 */

export function notFound(name: string): EmulatorError {
  return new EmulatorError("100", `Could not find value for parameter {${name}}`);
}

function invalid(value: unknown, name: string, type: "int" | "string" | "array"): EmulatorError {
  const shown = typeof value === "object" && value !== null ? (Array.isArray(value) ? "Array" : "Object") : String(value);
  return new EmulatorError("100", `Invalid value {${shown}} to match with parameter {${name}}. Should be value of type ${type}.`);
}

function absent(value: unknown): boolean {
  return value === undefined || value === null;
}

/** A required int: JSON integers, or text PHP's integer filter accepts (surrounding blanks allowed). */
export function bindInt(value: unknown, name: string): number {
  if (absent(value)) throw notFound(name);
  const parsed = parseIntStrict(value);
  if (parsed === undefined) throw invalid(value, name, "int");
  return parsed;
}

/** An optional int: absent gives the fallback; anything present must be an integer. */
export function bindOptionalInt(value: unknown, name: string, fallback: number): number {
  return absent(value) ? fallback : bindInt(value, name);
}

/** A required array parameter (a PHP array: a JSON object or list, or bracketed form keys). */
export function bindArray(value: unknown, name: string): Record<string, unknown> | unknown[] {
  if (absent(value)) throw notFound(name);
  if (typeof value === "object" && value !== null) return value as Record<string, unknown> | unknown[];
  throw invalid(value, name, "array");
}

/** A required string: text as given, numbers as text; lists and objects do not bind. */
export function bindString(value: unknown, name: string): string {
  if (absent(value)) throw notFound(name);
  if (typeof value === "string") return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value === "boolean") return value ? "1" : "";
  throw invalid(value, name, "string");
}

function parseIntStrict(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isSafeInteger(value) ? value : undefined;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value !== "string" || !/^\s*[+-]?\d+\s*$/.test(value)) return undefined;
  const parsed = Number(value.trim());
  return Number.isSafeInteger(parsed) ? parsed : undefined;
}
