import type { Request, Response } from "express";
import type { Runtime } from "../runtime.js";
import { subscribeToPortal } from "./feed.js";

const HEARTBEAT_MS = 15_000;
const RECONNECT_MS = 1_000;

/**
 * `GET /_emulator/portals/{id}/stream`: the portal's changes as server-sent events, one `event:`
 * per item named by its type, its `data:` the item as JSON. Ends when the client leaves, the
 * portal is deleted or the emulator closes.
 */
export function serveStream(runtime: Runtime, portalId: string, req: Request, res: Response): void {
  res.writeHead(200, {
    "Content-Type": "text/event-stream; charset=utf-8",
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
  });
  res.write(`retry: ${RECONNECT_MS}\n\n`);
  // Comments keep idle connections open through proxies and let a gone client be noticed.
  const heartbeat = setInterval(() => res.write(": keep-alive\n\n"), HEARTBEAT_MS);
  heartbeat.unref();
  const end = subscribeToPortal(
    runtime,
    portalId,
    (event) => res.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`),
    () => {
      clearInterval(heartbeat);
      res.end();
    },
  );
  req.on("close", end);
}
