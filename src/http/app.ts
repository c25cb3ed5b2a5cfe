import { performance } from "node:perf_hooks";
import type { TLSSocket } from "node:tls";
import express, { type ErrorRequestHandler, type Request, type Response } from "express";
import { redactUrlPath } from "../domain/redact.js";
import { EmulatorError } from "../errors/emulator-error.js";
import type { Logger } from "../logger.js";
import { errorResponse, type RestResponse } from "../rest/envelope.js";
import { parseRestPath } from "../rest/route.js";
import type { RestRequest } from "../rest/handle.js";
import { browserGuard } from "./browser-guard.js";
import type { BrowserPolicy } from "./browser-policy.js";
import { corsHeaders } from "./cors.js";
import { serveDownload, type DownloadLookup } from "./download.js";
import { readBody, RequestAbortedError } from "./read-body.js";

const JSON_TYPE = "application/json; charset=utf-8";

export interface HttpAppOptions {
  handleRest: (request: RestRequest) => Promise<RestResponse>;
  /** Whether a call's credentials outside its body (URL, Bearer header) are refused, so an upload's body need not be read. */
  refusedBeforeBody?: (request: RestRequest) => boolean;
  /** The emulator's own API, mounted at /_emulator. */
  control: express.Router;
  /** The inspector page at `/` and its files. */
  inspector?: express.Router;
  /** The OAuth server: /oauth/authorize/, /oauth/token/ and /oauth-server/... */
  oauth: express.Router;
  /** Largest request body accepted, in bytes. */
  bodyLimit: number;
  /** Largest body of imbot.v2.File.upload, whatever the URL form (a file's base64 is far over bodyLimit). */
  uploadLimit: number;
  /** Which Hosts and browser origins are answered, and which get CORS headers. */
  browser: BrowserPolicy;
  /** Log one line per request (method, masked path, status, error code, time). */
  accessLog: boolean;
  log: Logger;
  /** The files File.download links serve (`/rest/download.json?token=…`). */
  downloads?: DownloadLookup;
}

/**
 * The HTTP edge: reads bodies within the limit, hands `/rest/*` to the REST pipeline, and makes sure
 * that whatever happens (unknown path, oversized or broken body, a bug) the answer is JSON.
 */
export function createHttpApp(options: HttpAppOptions): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);
  if (options.accessLog) app.use((req, res, next) => {
    const started = performance.now();
    res.on("finish", () => {
      const ms = (performance.now() - started).toFixed(1);
      const code = typeof res.locals.errorCode === "string" ? ` ${res.locals.errorCode}` : "";
      options.log.info(`${req.method} ${redactUrlPath(req.originalUrl)} -> ${res.statusCode}${code} (${ms} ms)`);
    });
    next();
  });

  app.use(browserGuard(options.browser));
  if (options.browser.corsOrigins.length > 0) app.use(corsHeaders(options.browser));

  // The REST hot path reads and answers with plain node:http calls: express's router, body parser and
  // response helpers cost more than the whole method does.
  app.use((req, res, next) => {
    if (!REST_PATH.test(req.url)) return next();
    if (options.downloads && serveDownload(req, res, options.downloads)) return;
    serveRest(req, res, options).catch(next);
  });

  app.use("/_emulator", options.control);
  if (options.inspector) app.use(options.inspector);
  app.use(options.oauth);

  app.use((req, res) => {
    send(res, errorResponse(new EmulatorError("NOT_FOUND", `No such path: ${req.method} ${req.path}`)));
  });

  const onError: ErrorRequestHandler = (error: unknown, req: Request, res: Response, _next) => {
    send(res, errorResponse(edgeError(error, req, options)));
  };
  app.use(onError);
  return app;
}

/** Errors raised before the REST pipeline runs: body-parser's, mostly. */
function edgeError(error: unknown, req: Request, options: HttpAppOptions): EmulatorError {
  if (error instanceof EmulatorError) return error;
  const type = (error as { type?: unknown }).type;
  if (type === "entity.too.large") {
    const limit = (error as { limit?: unknown }).limit;
    return new EmulatorError("REQUEST_TOO_LARGE", `The request body exceeds the limit of ${typeof limit === "number" ? limit : options.bodyLimit} bytes`);
  }
  // body-parser marks what the client got wrong (aborted, bad encoding, corrupt gzip) with a 4xx status.
  const status = (error as { status?: unknown }).status;
  if (typeof status === "number" && status >= 400 && status < 500) {
    const reason = typeof type === "string" ? type : ((error as { code?: unknown }).code ?? "unreadable");
    return new EmulatorError("INVALID_REQUEST_BODY", `The request body could not be read (${String(reason)})`);
  }
  options.log.error(`${req.method} ${redactUrlPath(req.originalUrl)} failed unexpectedly: ${(error as Error)?.stack ?? String(error)}`);
  return new EmulatorError("INTERNAL_SERVER_ERROR");
}

const REST_PATH = /^\/rest(?=[/?]|$)/i;

function isFileUpload(url: string): boolean {
  const queryStart = url.indexOf("?");
  const path = (queryStart === -1 ? url : url.slice(0, queryStart)).slice("/rest".length);
  return parseRestPath(path).method.toLowerCase() === FILE_UPLOAD;
}

const FILE_UPLOAD = "imbot.v2.file.upload";

async function serveRest(req: Request, res: Response, options: HttpAppOptions): Promise<void> {
  const queryStart = req.url.indexOf("?");
  const path = (queryStart === -1 ? req.url : req.url.slice(0, queryStart)).slice("/rest".length);
  // The body lives only in the request, which the pipeline empties as it decodes (no local copy here).
  const request: RestRequest = {
    httpMethod: req.method,
    path,
    rawQuery: queryStart === -1 ? "" : req.url.slice(queryStart + 1),
    contentType: req.headers["content-type"],
    authorization: req.headers.authorization,
    body: undefined,
    secure: (req.socket as TLSSocket).encrypted === true,
  };
  const upload = isFileUpload(req.url);
  // Anyone who reaches the port could make the emulator hold 160 MiB bodies: a refusal known from
  // the URL is answered by the same pipeline with no body. node then drops the body as it arrives,
  // so a client still sending reads the answer and can go on using the connection.
  if (!upload || !options.refusedBeforeBody?.(request)) {
    try {
      request.body = await readBody(req, upload ? options.uploadLimit : options.bodyLimit);
    } catch (error) {
      if (error instanceof RequestAbortedError) return;
      if (error instanceof EmulatorError && error.code === "REQUEST_TOO_LARGE") res.setHeader("Connection", "close");
      throw error;
    }
  }
  const response = await options.handleRest(request);
  if (res.headersSent) return;
  if (response.dropConnection) {
    req.socket.destroy();
    return;
  }
  if ("error" in response.body) res.locals.errorCode = String(response.body.error);
  const text = JSON.stringify(response.body);
  if (response.status === 405) res.setHeader("Allow", "GET, POST");
  res.writeHead(response.status, { "Content-Type": JSON_TYPE, "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

function send(res: Response, response: RestResponse): void {
  if (res.headersSent) return;
  if ("error" in response.body) res.locals.errorCode = String(response.body.error);
  res.status(response.status).type(JSON_TYPE).send(JSON.stringify(response.body));
}
