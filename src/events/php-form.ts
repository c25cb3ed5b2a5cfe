/**
 * PHP http_build_query as a portal sends event payloads: nested keys in brackets, every scalar a
 * string (`true` -> "1", `false` -> "0", `null` -> ""), empty arrays and objects left out.
 */
export function phpFormPairs(value: Record<string, unknown>, prefix = ""): [string, string][] {
  const pairs: [string, string][] = [];
  for (const [key, child] of Object.entries(value)) {
    const name = prefix ? `${prefix}[${key}]` : key;
    if (child !== null && typeof child === "object") {
      pairs.push(...phpFormPairs(child as Record<string, unknown>, name));
    } else {
      pairs.push([name, scalarText(child)]);
    }
  }
  return pairs;
}

function scalarText(value: unknown): string {
  if (value === true) return "1";
  if (value === false) return "0";
  if (value === null || value === undefined) return "";
  return String(value);
}

export function encodeForm(pairs: [string, string][]): string {
  return pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&");
}
