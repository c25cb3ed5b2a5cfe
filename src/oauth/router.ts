import type { TLSSocket } from "node:tls";
import express, { type Request, type Response } from "express";
import { portalNow } from "../clock/portal-clock.js";
import type { Runtime } from "../runtime.js";
import { EmulatorError } from "../errors/emulator-error.js";
import { readBody, RequestAbortedError } from "../http/read-body.js";
import { decodeBody, decodeQuery } from "../rest/decode-body.js";
import { timeBlock } from "../domain/time-block.js";
import { errorResponse } from "../rest/envelope.js";
import { redactValue } from "../domain/redact.js";
import type { Portal } from "../store/state.js";
import { serverAppInfo } from "./app-info.js";
import { authorize } from "./authorize.js";
import { exchangeGrant, OAUTH_SERVER_PREFIX, type OAuthOrigin } from "./token.js";

const JSON_TYPE = "application/json; charset=utf-8";

// Paths tolerate `//` and a trailing slash: SDKs join a base ending in `/` with `/oauth/token/`.
const AUTHORIZE = /^\/+oauth\/+authorize\/*$/i;
const TOKEN = new RegExp(`^(?:/+${OAUTH_SERVER_PREFIX.slice(1)})?/+oauth/+token(?:\\.json)?/*$`, "i");
const APP_INFO = new RegExp(`^/+${OAUTH_SERVER_PREFIX.slice(1)}/+rest/+app\\.info(?:\\.json)?/*$`, "i");

type Kind = "authorize" | "token" | "app.info";

/** The authorization page is a page (GET); the token endpoint and app.info take GET or POST. */
const ROUTES: readonly { kind: Kind; path: RegExp; verbs: readonly string[] }[] = [
  { kind: "authorize", path: AUTHORIZE, verbs: ["GET", "HEAD"] },
  { kind: "token", path: TOKEN, verbs: ["GET", "HEAD", "POST"] },
  { kind: "app.info", path: APP_INFO, verbs: ["GET", "HEAD", "POST"] },
];

/**
 * The emulator as OAuth server (spec oauth.md): the portal's `/oauth/authorize/`, the token endpoint
 * at `/oauth/token/` (as old `restAuth` reaches it on the portal) and at `/oauth-server/oauth/token/`
 * (where the advertised `server_endpoint` leads SDKs), and the server's `app.info`. Each call is
 * journaled in the portal it concerns as `oauth.authorize`, `oauth.token` or `oauth.app.info`.
 */
export function createOAuthRouter(runtime: Runtime, options: { bodyLimit: number }): express.Router {
  const router = express.Router();
  router.use((req, res, next) => {
    const route = ROUTES.find((r) => r.path.test(req.path) && r.verbs.includes(req.method));
    if (!route) return next();
    serve(route.kind, req, res, runtime, options.bodyLimit).catch(next);
  });
  return router;
}

async function serve(kind: Kind, req: Request, res: Response, runtime: Runtime, bodyLimit: number): Promise<void> {
  const elapsed = runtime.time.stopwatch();
  let body: Buffer;
  try {
    body = await readBody(req, bodyLimit);
  } catch (error) {
    if (error instanceof RequestAbortedError) return;
    throw error;
  }
  const queryStart = req.url.indexOf("?");
  // The body wins over the query, as on REST calls; unknown parameters (scope, redirect_uri) are ignored.
  const params = {
    ...decodeQuery(queryStart === -1 ? "" : req.url.slice(queryStart + 1)),
    ...(req.method === "POST" ? await decodeBody({ body }, req.headers["content-type"]) : {}),
  };
  const where = originOf(req, runtime);
  const globalNow = runtime.clock();

  let portal: Portal | undefined;
  let status: number;
  if (kind === "token") {
    const outcome = await runtime.changeState((state) =>
      exchangeGrant(state, params, {
        globalNow,
        where,
        random: runtime.random,
        lifetimes: { access: runtime.settings.accessTokenTtl, refresh: runtime.settings.refreshTokenTtl },
      }),
    );
    portal = outcome.portal;
    status = "error" in outcome.result ? sendError(res, outcome.result.error) : sendJson(res, 200, outcome.result.body);
  } else if (kind === "authorize") {
    const outcome = await runtime.changeState((state) => authorize(state, params, { globalNow, where, random: runtime.random }));
    portal = outcome.portal;
    const result = outcome.result;
    if ("error" in result) status = sendError(res, result.error);
    else if ("redirect" in result) {
      // Never HTML, even here: the body repeats the grant the Location carries.
      res.setHeader("Location", result.redirect);
      status = sendJson(res, 302, { redirect: result.redirect, ...result.grant });
    } else status = sendJson(res, 200, result.grant);
  } else {
    const token = [params.auth, params.access_token, /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? "")?.[1]].find(
      (t): t is string => typeof t === "string" && t !== "",
    );
    const outcome = serverAppInfo(runtime.store.state, token, globalNow, where);
    portal = outcome.portal;
    const result = outcome.result;
    if ("error" in result) status = sendError(res, result.error);
    else {
      const at = result.now.getTime();
      const spent = elapsed();
      status = sendJson(res, 200, { result: result.info, time: timeBlock(at, spent, at + spent) });
    }
  }

  if (portal) {
    const masked = redactValue(params) as Record<string, unknown>;
    if ("code" in masked) masked.code = "***";
    runtime.activity.record(portal.id, {
      time: portalNow(globalNow, portal).toISOString(),
      httpMethod: req.method,
      method: `oauth.${kind}`,
      params: masked,
      status,
      error: typeof res.locals.errorCode === "string" ? res.locals.errorCode : null,
      durationMs: elapsed(),
    });
  }
}

/** Where the client reached the emulator: the endpoints handed out lead back the same way. */
function originOf(req: Request, runtime: Runtime): OAuthOrigin {
  const fallback = runtime.publicUrl ? new URL(runtime.publicUrl).host : "127.0.0.1";
  const host = typeof req.headers.host === "string" && req.headers.host !== "" ? req.headers.host : fallback;
  const scheme = (req.socket as TLSSocket).encrypted === true ? "https" : "http";
  return { origin: `${scheme}://${host}`, host };
}

function sendJson(res: Response, status: number, body: unknown): number {
  res.status(status).type(JSON_TYPE).send(JSON.stringify(body));
  return status;
}

function sendError(res: Response, error: EmulatorError): number {
  const response = errorResponse(error);
  res.locals.errorCode = error.code;
  return sendJson(res, response.status, response.body);
}
