import { z } from "zod";

/**
 * Parameter coercion as a portal does it. Form and query values are strings, JSON values are typed;
 * the same method must accept both. None of these fail: a value that cannot be read becomes the
 * "absent" value (0, undefined, the default), and the method's own ordered checks report it with
 * the documented code.
 */

/** PHP intval: leading base-10 digits, anything else 0. */
export function toInt(value: unknown): number {
  if (typeof value === "number") return Number.isFinite(value) ? Math.trunc(value) : 0;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value !== "string") return 0;
  const match = /^\s*([+-]?\d+)/.exec(value);
  if (!match) return 0;
  const parsed = Number(match[1]);
  return Number.isSafeInteger(parsed) ? parsed : 0;
}

/** true iff JSON true, or text whose upper case is Y, 1 or TRUE; absent gives the documented default. */
export function toBool(value: unknown, fallback: boolean): boolean {
  if (value === undefined || value === null) return fallback;
  if (typeof value === "boolean") return value;
  if (typeof value === "number") return value === 1;
  if (typeof value === "string") return ["Y", "1", "TRUE"].includes(value.trim().toUpperCase());
  return false;
}

/** Strings stay, numbers are stringified (`dialogId: 5`), anything else counts as absent. */
export function toOptionalString(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return undefined;
}

/** The same, with absent as "" (message text, titles). */
export function toText(value: unknown): string {
  return toOptionalString(value) ?? "";
}

// `.optional()` first: zod treats a bare transform as a required key.
export const intParam = z.unknown().optional().transform(toInt);
export const stringParam = z.unknown().optional().transform(toOptionalString);
export const boolParam = (fallback: boolean) => z.unknown().optional().transform((v) => toBool(v, fallback));
export const anyParam = z.unknown().optional();
