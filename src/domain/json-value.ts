export type PlainObject = Record<string, unknown>;

export function isPlainObject(value: unknown): value is PlainObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** ATTACH and KEYBOARD may arrive as JSON text (form clients); returns undefined for unparseable text. */
export function parseMaybeJson(value: unknown): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return undefined;
  }
}

/** Links in attachments and buttons must be absolute http(s) or root-relative. */
export function isAllowedLink(value: unknown): value is string {
  return typeof value === "string" && (/^https?:\/\/\S+$/i.test(value) || /^\/(?!\/)/.test(value));
}
