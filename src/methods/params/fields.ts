import { isPlainObject, type PlainObject } from "../../domain/json-value.js";
import { argumentError } from "../../errors/emulator-error.js";

/**
 * A PHP array as JSON or form decoding gives it: objects stay, lists become index-keyed objects.
 * Anything else is `undefined`.
 */
export function asPhpArray(value: unknown): PlainObject | undefined {
  if (isPlainObject(value)) return value;
  if (Array.isArray(value)) return Object.fromEntries(value.entries());
  return undefined;
}

/** Empty the way PHP's `empty()` sees a parameter: absent, null, "", "0", an empty list or object. */
export function isEmptyParam(value: unknown): boolean {
  if (value === undefined || value === null || value === "" || value === "0" || value === false || value === 0) return true;
  const array = asPhpArray(value);
  return array !== undefined && Object.keys(array).length === 0;
}

/**
 * The one reader of a method's `fields` object. Empty (absent, "", an empty form list) gives `{}`,
 * unless the method requires the parameter and none was sent at all; text or a number is refused.
 */
export function readFields(value: unknown, required = false): PlainObject {
  if (required && (value === undefined || value === null || value === "")) throw argumentError("fields", "is required");
  if (isEmptyParam(value)) return {};
  const fields = asPhpArray(value);
  if (!fields) throw argumentError("fields", "must be an object");
  return fields;
}
