import type { RequestHandler } from "express";
import { isControlPath, normalOrigin, OPEN_TO_ALL, type BrowserPolicy } from "./browser-policy.js";

/**
 * CORS headers for the origins `--cors` lists, and `*` for the REST API when `--cors *` asks for
 * it; the control API only ever answers origins listed by name. Runs after the browser guard, so a
 * request reaching it is already allowed.
 */
export function corsHeaders(policy: BrowserPolicy): RequestHandler {
  return (req, res, next) => {
    const origin = req.headers.origin === undefined ? undefined : normalOrigin(req.headers.origin);
    let allow: string | undefined;
    if (origin !== undefined && policy.corsOrigins.includes(origin)) allow = origin;
    else if (policy.corsOrigins.includes(OPEN_TO_ALL) && !isControlPath(req.url)) allow = OPEN_TO_ALL;
    if (allow === undefined) return next();
    res.set("Access-Control-Allow-Origin", allow);
    res.vary("Origin");
    res.set("Access-Control-Allow-Headers", "Content-Type, Authorization, X-Emulator-Key");
    res.set("Access-Control-Allow-Methods", "GET, POST, DELETE, OPTIONS");
    if (req.method === "OPTIONS") res.status(204).end();
    else next();
  };
}
