import type { RequestHandler } from "express";
import { EmulatorError } from "../errors/emulator-error.js";
import { hostAllowed, isControlPath, isOwnOrigin, originListed, type BrowserPolicy } from "./browser-policy.js";

const API_PATH = /^\/(?:_emulator|rest)(?=[/?]|$)/i;

/**
 * The first check of every request, REST and control alike, before anything is read or changed:
 * a Host that is not this machine's or allowed is DNS rebinding; a request a browser marks as coming
 * from another site is a page the developer visits trying to drive the emulator.
 */
export function browserGuard(policy: BrowserPolicy): RequestHandler {
  return (req, _res, next) => {
    const host = req.headers.host;
    if (host !== undefined && !hostAllowed(policy, host)) {
      return next(
        new EmulatorError(
          "HOST_NOT_ALLOWED",
          `Host "${host}" is not allowed: the emulator answers loopback names, its --host and the names in --allowed-hosts (start it with --allowed-hosts ${hostLabel(host)} to allow this one)`,
        ),
      );
    }
    const origin = req.headers.origin;
    const site = req.headers["sec-fetch-site"];
    if (origin !== undefined) {
      if (isOwnOrigin(origin, host) || originListed(policy, origin, isControlPath(req.url))) return next();
      return next(
        new EmulatorError(
          "ORIGIN_NOT_ALLOWED",
          `A page from origin "${origin}" may not call the emulator: list the origin in --allowed-origins (or --cors) to allow it`,
        ),
      );
    }
    // No Origin: a browser still says where the request comes from (an <img> or a link from another site).
    if ((site === "cross-site" || site === "same-site") && !harmlessNavigation(req.method, req.url, req.headers["sec-fetch-mode"])) {
      return next(
        new EmulatorError(
          "ORIGIN_NOT_ALLOWED",
          `A request from another site (Sec-Fetch-Site: ${site}) may not call the emulator: list the page's origin in --allowed-origins to allow it`,
        ),
      );
    }
    next();
  };
}

/** Following a link to a page outside the APIs (the inspector) reads nothing secret and changes nothing. */
function harmlessNavigation(method: string, url: string, mode: string | string[] | undefined): boolean {
  return (method === "GET" || method === "HEAD") && mode === "navigate" && !API_PATH.test(url);
}

function hostLabel(header: string): string {
  return header.replace(/:\d+$/, "").replace(/[^\w.:[\]-]/g, "");
}
