import type { Credentials } from "./auth.js";

export interface RestRoute {
  /** Empty when the path names no method. */
  method: string;
  transport: "json" | "xml";
  /** Webhook credentials come from the path; OAuth ones are filled in from params later. */
  webhook: { userId: string; code: string } | null;
}

/**
 * `/rest/{method}` or `/rest/{userId}/{code}/{method}`, method optionally suffixed `.json`.
 * Empty segments are dropped, so a trailing slash and `//` (from an endpoint ending in `/`) pass.
 */
export function parseRestPath(pathAfterRest: string): RestRoute {
  const segments = pathAfterRest.split("/").filter((s) => s !== "").map(safeDecode);
  let method: string | undefined;
  let webhook: RestRoute["webhook"] = null;
  if (segments.length === 1) method = segments[0];
  else if (segments.length === 3) {
    method = segments[2];
    webhook = { userId: segments[0] as string, code: segments[1] as string };
  }
  const name = method ?? "";
  if (/\.xml$/i.test(name)) return { method: name.slice(0, -4), transport: "xml", webhook };
  return { method: name.replace(/\.json$/i, ""), transport: "json", webhook };
}

/**
 * OAuth 2.0 clients (and the server's own `Auth` class) also send the token as `access_token`. The
 * portal looks in this order (spec v2-complete.md §4 i, `rest/lib/oauth/auth.php::getAuthKey`): the
 * `Authorization: Bearer` header, then `auth`, then `access_token`.
 */
export function credentialsOf(route: RestRoute, authParam: unknown, authorizationHeader: string | undefined, accessTokenParam?: unknown): Credentials {
  if (route.webhook) return { kind: "webhook", ...route.webhook };
  const text = (value: unknown) => (typeof value === "string" && value !== "" ? value : undefined);
  const fromParam = text(authParam) ?? text(accessTokenParam);
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorizationHeader ?? "")?.[1];
  return { kind: "oauth", accessToken: bearer ?? fromParam };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
