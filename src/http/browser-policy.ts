import { isLoopbackHost } from "../domain/loopback.js";

/**
 * Which hosts and origins the emulator answers. A web page the developer happens to visit must not
 * drive it (DNS rebinding, cross-site forms, `<img>` GETs), while curl, SDKs and bots, which send no
 * Origin and no Sec-Fetch-* headers, work as they always did. Modelled on Vite's `server.allowedHosts`.
 */
export interface BrowserPolicy {
  /** The interface the emulator listens on (`--host`); a name given there is its own. */
  listenHost: string;
  /** `--allowed-hosts`: extra Host names; `.example.com` also allows its subdomains; `*` allows any. */
  allowedHosts: readonly string[];
  /** `--allowed-origins`: pages (`scheme://host[:port]`) that may call the REST and control APIs. */
  allowedOrigins: readonly string[];
  /** `--cors`: origins answered with CORS headers; `*` opens the REST API (never the control API) to all. */
  corsOrigins: readonly string[];
}

export const OPEN_TO_ALL = "*";

/** The control API (`/_emulator`), which is never opened to every origin. */
export function isControlPath(url: string): boolean {
  return /^\/_emulator(?=[/?]|$)/i.test(url);
}

/** The name in a Host header, without port or IPv6 brackets, lower-cased; undefined when unreadable. */
export function hostName(header: string): string | undefined {
  const bracketed = /^\[([0-9a-f:.]+)\](?::\d+)?$/i.exec(header);
  if (bracketed) return bracketed[1]?.toLowerCase();
  const plain = /^([^:[\]\s]+)(?::\d+)?$/.exec(header);
  return plain?.[1]?.toLowerCase().replace(/\.$/, "");
}

export function hostAllowed(policy: BrowserPolicy, header: string): boolean {
  const name = hostName(header);
  if (name === undefined) return false;
  if (isLoopbackHost(name) || name === policy.listenHost.toLowerCase()) return true;
  return policy.allowedHosts.some((entry) => {
    const allowed = entry.toLowerCase();
    if (allowed === OPEN_TO_ALL) return true;
    if (allowed.startsWith(".")) return name === allowed.slice(1) || name.endsWith(allowed);
    return name === allowed;
  });
}

/** `scheme://host[:port]` as browsers send it in Origin, or undefined for anything that is not one. */
export function normalOrigin(value: string): string | undefined {
  try {
    const url = new URL(value);
    if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
    return url.origin;
  } catch {
    return undefined;
  }
}

/** The page making the request is the emulator's own (the inspector): its origin names this Host. */
export function isOwnOrigin(origin: string, hostHeader: string | undefined): boolean {
  const normal = normalOrigin(origin);
  if (normal === undefined || hostHeader === undefined) return false;
  try {
    return new URL(normal).host === new URL(`http://${hostHeader}`).host;
  } catch {
    return false;
  }
}

/** An origin listed by `--allowed-origins` or `--cors`; `--cors *` counts for the REST API only. */
export function originListed(policy: BrowserPolicy, origin: string, controlApi: boolean): boolean {
  const normal = normalOrigin(origin);
  if (normal === undefined) return false;
  if (policy.allowedOrigins.includes(normal) || policy.corsOrigins.includes(normal)) return true;
  return !controlApi && policy.corsOrigins.includes(OPEN_TO_ALL);
}
