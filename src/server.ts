import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { buildApp, openStore, type EmulatorApp } from "./emulator.js";
import { answerParserErrorsWithJson } from "./http/client-error.js";
import { loadOrCreateCertificate } from "./http/tls.js";
import {
  DEFAULT_DATA_DIR,
  DEFAULT_HEADERS_TIMEOUT_MS,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_REQUEST_TIMEOUT_MS,
  type EmulatorOptions,
} from "./options.js";

export interface RunningEmulator {
  app: EmulatorApp;
  /** `http://127.0.0.1:PORT`, or null when plain http is off. */
  httpUrl: string | null;
  /** `https://127.0.0.1:PORT`, or null when https is off. */
  httpsUrl: string | null;
  /** The base of the first portal's first incoming webhook, `{url}/rest/1/emulator/` by default. */
  webhookUrl: string;
  /** The OAuth base: `{url}/rest/`. */
  restUrl: string;
  /** The self-signed certificate clients must trust for https (NODE_EXTRA_CA_CERTS), or null. */
  certPath: string | null;
  /** The lowdb file, or null for the in-memory store. */
  dataFile: string | null;
  /** Control operations inside a portal (default: "default"); see PortalControl. */
  portal: EmulatorApp["portal"];
  /** A fresh isolated portal with its own credentials and URLs. */
  createPortal: EmulatorApp["createPortal"];
  close(): Promise<void>;
}

/**
 * Starts a listening emulator. Defaults suit tests: in-memory store, 127.0.0.1, a free port.
 * @example
 * const emulator = await startEmulator();
 * await fetch(`${emulator.webhookUrl}imbot.v2.Command.answer`, { method: "POST", ... });
 * await emulator.close();
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const host = options.host ?? "127.0.0.1";
  if (!isLoopback(host) && !options.adminKey) {
    throw new UnsafeBindError(
      `Listening on ${host} exposes the control API to the network; give an admin key (--admin-key) that it will require`,
    );
  }
  if (!(options.http ?? true) && !options.https) throw new Error("Nothing to listen on: enable http or https");
  const { store, dataFile, seeded } = await openStore(options);
  const app = buildApp(store, options, { restored: !seeded });
  const servers: Server[] = [];
  let httpUrl: string | null = null;
  let httpsUrl: string | null = null;
  let certPath: string | null = null;

  try {
    if (options.http ?? true) {
      const server = createHttpServer(connectionLimits(options), app);
      httpUrl = urlOf("http", host, await listen(server, host, options.port ?? 0, options.maxConnections ?? DEFAULT_MAX_CONNECTIONS));
      servers.push(server);
    }
    if (options.https) {
      const tls = await loadOrCreateCertificate(join(options.dataDir ?? DEFAULT_DATA_DIR, "tls"));
      certPath = tls.certPath;
      const server = createHttpsServer({ ...connectionLimits(options), cert: tls.cert, key: tls.key }, app);
      httpsUrl = urlOf("https", host, await listen(server, host, options.httpsPort ?? 0, options.maxConnections ?? DEFAULT_MAX_CONNECTIONS));
      servers.push(server);
    }
  } catch (error) {
    // Nothing may stay open when start-up fails: a retry on the same data folder must get it alone.
    await Promise.all(servers.map(closeServer));
    await store.close();
    throw error;
  }
  const base = (httpUrl ?? httpsUrl) as string;

  app.runtime.publicUrl = base;
  for (const url of [httpUrl, httpsUrl]) if (url) app.runtime.webhookTargets.addOwnListener(Number(new URL(url).port));
  const hook = Object.values(store.state.portals)[0]?.webhooks[0];
  let closing: Promise<void> | undefined;
  return {
    app,
    httpUrl,
    httpsUrl,
    webhookUrl: hook ? `${base}/rest/${hook.userId}/${hook.code}/` : `${base}/rest/`,
    restUrl: `${base}/rest/`,
    certPath,
    dataFile,
    portal: app.portal,
    createPortal: app.createPortal,
    close() {
      app.runtime.activity.releaseWaits();
      closing ??= Promise.all(servers.map(closeServer))
        .then(() => app.runtime.dispatcher.close())
        .then(() => store.close());
      return closing;
    },
  };
}

const CLOSE_GRACE_MS = 3_000;
const IDLE_KEEP_ALIVE_MS = 65_000;

/**
 * A slow or silent client must not hold a connection for ever: headers and the whole request have
 * deadlines (answered 408 REQUEST_TIMEOUT in JSON), checked every second rather than node's 30.
 * Long-polls are unaffected: the deadline covers receiving the request, not waiting for the answer.
 */
function connectionLimits(options: EmulatorOptions) {
  return {
    headersTimeout: options.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS,
    requestTimeout: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    connectionsCheckingInterval: 1_000,
    // Node's and undici's clients drop idle kept-alive sockets after 4-5 s; the server must wait
    // longer, or a client reusing a socket just as the server closes it gets ECONNRESET.
    keepAliveTimeout: IDLE_KEEP_ALIVE_MS,
  };
}

function listen(server: Server, host: string, port: number, maxConnections: number): Promise<number> {
  answerParserErrorsWithJson(server);
  // Past the cap new connections are closed at once: a flood of sockets cannot starve the process.
  server.maxConnections = maxConnections;
  return new Promise((resolvePort, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolvePort((server.address() as AddressInfo).port);
    });
  });
}

/** Lets requests under way finish, then drops whatever keep-alive connection still hangs on. */
function closeServer(server: Server): Promise<void> {
  return new Promise((done) => {
    server.close(() => done());
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS).unref();
  });
}

function urlOf(scheme: "http" | "https", host: string, port: number): string {
  const shown = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
  return `${scheme}://${shown}:${port}`;
}

export class UnsafeBindError extends Error {}

export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}
