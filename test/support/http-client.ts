import { expectMatchesOpenApi } from "./openapi.js";
import type { Reply } from "./rest-client.js";

/**
 * Talks to a listening emulator over real HTTP (fetch), checking every answer against openapi.yaml.
 * JSON bodies by default; `form` sends application/x-www-form-urlencoded as SDKs do.
 */
export function httpClient(baseUrl: string) {
  const send = async (method: string, path: string, init: RequestInit = {}): Promise<Reply & { headers: Headers }> => {
    const res = await fetch(`${baseUrl}${path}`, { method, redirect: "manual", ...init });
    const text = await res.text();
    const contentType = res.headers.get("content-type") ?? "";
    const body = (contentType.startsWith("application/json") ? JSON.parse(text) : { text }) as Record<string, unknown>;
    if (res.status < 300 || res.status >= 400) expectMatchesOpenApi({ method, url: path }, { status: res.status, body, contentType });
    return { status: res.status, body, contentType, headers: res.headers };
  };
  return {
    call: (method: "GET" | "POST" | "DELETE", path: string, body?: unknown) =>
      send(method, path, body === undefined ? {} : { body: JSON.stringify(body), headers: { "Content-Type": "application/json" } }),
    form: (path: string, fields: Record<string, string>) =>
      send("POST", path, { body: new URLSearchParams(fields).toString(), headers: { "Content-Type": "application/x-www-form-urlencoded" } }),
    get: (path: string) => send("GET", path),
  };
}
