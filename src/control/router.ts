import express, { type Request, type Response } from "express";
import { EmulatorError } from "../errors/emulator-error.js";
import { secretEquals } from "../domain/secrets.js";
import type { Runtime } from "../runtime.js";
import type { Fixture } from "../store/fixture.js";
import { PortalControl } from "./portal-control.js";
import { createPortal, deletePortal, getPortal, portalInfo, resetPortal } from "./portals.js";
import { moveGlobalClock, movePortalClock, readGlobalClock, readPortalClock } from "./clock-control.js";
import type { WaitQuery } from "./schemas.js";
import type { UninstallApp } from "./app-uninstall.js";
import { serveStream } from "./sse.js";
import { sendFile } from "../http/download.js";

/**
 * The control API under `/_emulator`: what a bot's test needs and a portal cannot give. JSON in and
 * out; errors use the same `{error, error_description}` envelope as REST.
 */
export function createControlRouter(
  runtime: Runtime,
  defaultFixture: () => Fixture,
  options: { bodyLimit: number; uploadLimit: number; adminKey: string | undefined },
): express.Router {
  const router = express.Router();
  const bodyLimit = options.bodyLimit;
  if (options.adminKey) {
    const key = options.adminKey;
    router.use((req, _res, next) => {
      const given = req.get("x-emulator-key") ?? /^Bearer\s+(\S+)$/i.exec(req.get("authorization") ?? "")?.[1] ?? "";
      next(secretEquals(given, key) ? undefined : new EmulatorError("CONTROL_UNAUTHORIZED"));
    });
  }
  // Only the endpoints that take a body read one: a stray body on a GET or DELETE is ignored, not refused.
  const parseJson = express.json({ limit: bodyLimit, strict: false });
  const jsonBody = (parse: express.RequestHandler): express.RequestHandler => (req, res, next) =>
    parse(req, res, (error?: unknown) => (error ? next(error) : requireJsonBody(req, res, next)));
  const body = jsonBody(parseJson);
  // A person's file arrives as base64 in JSON: only that route reads up to the upload limit.
  const uploadBody = jsonBody(express.json({ limit: options.uploadLimit, strict: false }));
  const portal = (req: Request) => {
    const id = String(req.params.id);
    getPortal(runtime, id);
    return new PortalControl(runtime, id);
  };
  const json = (res: Response, status: number, body: unknown) => res.status(status).json(body);

  router.get("/health", (_req, res) => json(res, 200, { ok: true, portals: Object.keys(runtime.store.state.portals).length, waits: runtime.activity.pendingWaits }));

  router.get("/portals", (_req, res) => {
    json(res, 200, { portals: Object.values(runtime.store.state.portals).map((p) => portalInfo(runtime, p)) });
  });
  router.post("/portals", body, async (req, res) => json(res, 201, await createPortal(runtime, req.body ?? {}, defaultFixture)));
  router.get("/portals/:id", (req, res) => json(res, 200, portalInfo(runtime, getPortal(runtime, String(req.params.id)))));
  router.delete("/portals/:id", async (req, res) => {
    await deletePortal(runtime, String(req.params.id));
    json(res, 200, { deleted: true });
  });
  router.post("/portals/:id/reset", async (req, res) => json(res, 200, await resetPortal(runtime, String(req.params.id))));

  router.post("/portals/:id/apps", body, async (req, res) => json(res, 200, await portal(req).installApp(req.body)));
  router.post("/portals/:id/apps/:clientId/update", body, async (req, res) =>
    json(res, 200, await portal(req).updateApp(String(req.params.clientId), req.body)),
  );
  router.delete("/portals/:id/apps/:clientId", async (req, res) =>
    json(res, 200, await portal(req).uninstallApp(String(req.params.clientId), { clean: req.query.clean as UninstallApp["clean"] })),
  );
  router.post("/portals/:id/users", body, async (req, res) => json(res, 201, await portal(req).createUser(req.body)));
  router.post("/portals/:id/chats", body, async (req, res) => json(res, 201, await portal(req).createChat(req.body)));
  router.post("/portals/:id/chats/:dialogId/members", body, async (req, res) =>
    json(res, 200, await portal(req).addToChat(String(req.params.dialogId), req.body)),
  );
  router.delete("/portals/:id/chats/:dialogId/members/:userId", async (req, res) =>
    json(res, 200, await portal(req).removeFromChat(String(req.params.dialogId), positiveId(req.params.userId, "userId"))),
  );
  router.get("/portals/:id/chats/:dialogId/messages", (req, res) => {
    const optionalId = (name: string) => (req.query[name] === undefined ? undefined : positiveId(req.query[name], name));
    const page = { viewerId: optionalId("viewerId"), before: optionalId("before"), limit: optionalId("limit") };
    json(res, 200, portal(req).history(String(req.params.dialogId), page));
  });
  router.get("/portals/:id/users", (req, res) => json(res, 200, { users: portal(req).users() }));
  router.get("/portals/:id/input-actions", (req, res) => json(res, 200, { inputActions: portal(req).inputActions() }));
  router.get("/portals/:id/bots", (req, res) => json(res, 200, { bots: portal(req).bots() }));
  router.get("/portals/:id/chats", (req, res) => json(res, 200, { chats: portal(req).chats() }));
  router.get("/portals/:id/stream", (req, res) => serveStream(runtime, portal(req).id, req, res));
  router.post("/portals/:id/messages", body, async (req, res) => json(res, 201, await portal(req).userSays(req.body)));
  router.get("/portals/:id/files/:fileId", (req, res) => sendFile(req, res, portal(req).file(positiveId(req.params.fileId, "fileId"))));
  router.post("/portals/:id/files", uploadBody, async (req, res) => json(res, 201, await portal(req).userSendsFile(req.body)));
  router.post("/portals/:id/buttons", body, async (req, res) => json(res, 200, await portal(req).pressButton(req.body)));
  router.post("/portals/:id/messages/:messageId/edit", body, async (req, res) =>
    json(res, 200, await portal(req).userEdits(positiveId(req.params.messageId, "messageId"), req.body)),
  );
  router.post("/portals/:id/messages/:messageId/delete", body, async (req, res) =>
    json(res, 200, await portal(req).userDeletes(positiveId(req.params.messageId, "messageId"), req.body)),
  );
  router.post("/portals/:id/reactions", body, async (req, res) => json(res, 200, await portal(req).userReacts(req.body)));
  router.post("/portals/:id/context", body, async (req, res) => json(res, 200, await portal(req).userOpensContext(req.body)));
  router.post("/portals/:id/dialogs", body, async (req, res) => json(res, 200, await portal(req).userOpensDialog(req.body)));
  router.post("/portals/:id/chats/:dialogId/read", body, async (req, res) =>
    json(res, 200, await portal(req).userReads(String(req.params.dialogId), req.body)),
  );

  router.get("/portals/:id/journal", (req, res) => json(res, 200, { calls: portal(req).journal() }));
  router.get("/portals/:id/deliveries", (req, res) => json(res, 200, { deliveries: portal(req).deliveries() }));
  router.get("/portals/:id/events", (req, res) => {
    const botId = req.query.botId === undefined ? undefined : positiveId(req.query.botId, "botId");
    json(res, 200, { events: portal(req).events(botId) });
  });
  router.get("/portals/:id/conformance", (req, res) => json(res, 200, portal(req).conformance()));
  router.post("/portals/:id/faults", body, (req, res) => json(res, 201, portal(req).addFault(req.body)));
  router.get("/portals/:id/faults", (req, res) => json(res, 200, { rules: portal(req).faults() }));
  router.delete("/portals/:id/faults", (req, res) => json(res, 200, portal(req).clearFaults()));
  router.get("/portals/:id/wait", async (req, res) => {
    const found = await portal(req).waitFor(req.query as unknown as WaitQuery);
    if (found === undefined) throw new EmulatorError("WAIT_TIMEOUT");
    json(res, 200, { match: found });
  });

  router.get("/clock", (_req, res) => json(res, 200, readGlobalClock(runtime)));
  router.post("/clock", body, (req, res) => json(res, 200, moveGlobalClock(runtime, req.body)));
  router.get("/portals/:id/clock", (req, res) => json(res, 200, readPortalClock(runtime, String(req.params.id))));
  router.post("/portals/:id/clock", body, async (req, res) => json(res, 200, await movePortalClock(runtime, String(req.params.id), req.body)));
  // A path segment that is not valid percent-encoding (`/portals/%zz`) names no portal, chat or user.
  router.use((error: unknown, _req: Request, _res: Response, next: express.NextFunction) => {
    next(error instanceof URIError ? new EmulatorError("CONTROL_NOT_FOUND", "A path segment is not valid percent-encoding") : error);
  });
  return router;
}

/**
 * express.json passes over a body of another type, which then reached the schema as `{}` (curl -d
 * sends a form: "authorId: expected number"); say what is wrong instead.
 */
function requireJsonBody(req: Request, _res: Response, next: express.NextFunction): void {
  const hasBody = (req.get("content-length") ?? "0") !== "0" || req.get("transfer-encoding") !== undefined;
  if (hasBody && req.body === undefined) {
    next(new EmulatorError("CONTROL_ARGUMENT", `body: the control API reads JSON; send the header "Content-Type: application/json" (got "${req.get("content-type") ?? "none"}")`));
  } else next();
}

/** Ids in paths and queries are positive integers; anything else is the caller's mistake, said so. */
function positiveId(value: unknown, name: string): number {
  const id = typeof value === "string" && /^[1-9]\d{0,15}$/.test(value) ? Number(value) : 0;
  if (id === 0) throw new EmulatorError("CONTROL_ARGUMENT", `${name}: expected a positive integer`);
  return id;
}
