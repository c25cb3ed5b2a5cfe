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

/**
 * What a declared parameter expects, for the conformance report: the coercions above never fail, so
 * a client that leans on them (`"456"` for an integer, `"Y"` for a boolean) is only seen by comparing
 * what it sent with what the parameter's kind documents.
 */
export type ParamKind =
  | { type: "int" | "string" | "bool" | "any" }
  | { type: "object"; shape: Readonly<Record<string, z.ZodType>> }
  | { type: "deprecated"; rule: string; since: string };

const kinds = new WeakMap<z.ZodType, ParamKind>();

function tagged<S extends z.ZodType>(schema: S, kind: ParamKind): S {
  kinds.set(schema, kind);
  return schema;
}

/** The declared kind of a parameter schema; `any` for one built without these helpers. */
export function paramKind(schema: z.ZodType): ParamKind {
  return kinds.get(schema) ?? { type: "any" };
}

// `.optional()` first: zod treats a bare transform as a required key.
export const intParam = tagged(z.unknown().optional().transform(toInt), { type: "int" });
export const stringParam = tagged(z.unknown().optional().transform(toOptionalString), { type: "string" });
export const boolParam = (fallback: boolean) =>
  tagged(z.unknown().optional().transform((v) => toBool(v, fallback)), { type: "bool" });
export const anyParam = z.unknown().optional();

/** Passed to the handler as sent, for the binder to judge (`bindInt`), while documenting its type. */
export const boundParam = (type: "int" | "string") => tagged(z.unknown().optional(), { type });

/**
 * A nested object such as `fields`, passed to the handler as sent (its readers coerce), with the
 * keys it documents declared so unknown and coerced ones can be reported.
 * @example
 * fields: objectParam({ message: stringParam, attach: anyParam, system: boolParam(false) })
 */
export const objectParam = (shape: Record<string, z.ZodType>) => tagged(z.unknown().optional(), { type: "object", shape });

/** A parameter kept only for a legacy form; sending it is reported under `rule`. */
export const deprecatedParam = (rule: string, since: string) => tagged(z.unknown().optional(), { type: "deprecated", rule, since });
