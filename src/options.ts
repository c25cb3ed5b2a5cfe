import type { Logger } from "./logger.js";
import type { FixtureInput } from "./store/fixture.js";
import type { FidelitySettings } from "./settings.js";

/** Options of createEmulator/startEmulator; every one has a CLI flag of the same meaning. */
export interface EmulatorOptions extends Partial<FidelitySettings> {
  /** `memory` (programmatic default) keeps state in the process; `file` keeps it in a lowdb JSON file. */
  store?: "memory" | "file";
  /** Folder for the data file and the TLS certificate. Default `.emulator`. */
  dataDir?: string;
  /** The lowdb data file. Default `<dataDir>/db.json`. */
  dataFile?: string;
  /** Fixture path or object seeding the store; default the bundled `fixtures/default.json`. */
  fixture?: string | FixtureInput;
  /** With the file store: discard the data file and seed it again from the fixture. */
  reset?: boolean;
  /** With the file store: fdatasync each log write, so acknowledged data survives power loss too. */
  fsync?: boolean;
  /** With the file store: fold the write-ahead log into the document once it reaches this size. */
  compactAfterBytes?: number;
  /** Interface to listen on. Default 127.0.0.1. */
  host?: string;
  /** Plain-http port; 0 picks a free one. Default 0 (programmatic) or 3000 (CLI). */
  port?: number;
  /** Serve plain http. Default true. */
  http?: boolean;
  /** Also serve https with a self-signed certificate kept in dataDir. Default false. */
  https?: boolean;
  /** Https port; 0 picks a free one. Default 0 (programmatic) or 3443 (CLI). */
  httpsPort?: number;
  /**
   * Required by the control API (`X-Emulator-Key` header or `Authorization: Bearer`) when set, and
   * mandatory when listening beyond loopback.
   */
  adminKey?: string;
  /**
   * Browser origins answered with CORS headers (`http://localhost:5173`); `"*"` opens the REST API,
   * never the control API, to every origin and logs a warning. Default none.
   */
  cors?: readonly string[];
  /** Host names requests may carry beyond loopback and `host` (`.example.com` covers subdomains, `*` any). */
  allowedHosts?: readonly string[];
  /** Hosts (`host` or `host:port`, `*` for any) bots' webhookUrls may point at beyond loopback. Default none. */
  webhookAllow?: readonly string[];
  /** Origins of web pages allowed to call the REST and control APIs (cross-site requests are refused). */
  allowedOrigins?: readonly string[];
  /** Portals held at once; creating one more answers 429 PORTAL_LIMIT_EXCEEDED. Default 10,000. */
  maxPortals?: number;
  /** A client must send its headers within this time (408 REQUEST_TIMEOUT). Default 10 s. */
  headersTimeoutMs?: number;
  /** A client must send its whole request within this time (408 REQUEST_TIMEOUT). Default 30 s. */
  requestTimeoutMs?: number;
  /** Open connections per listener; more are closed at once. Default 1,000. */
  maxConnections?: number;
  /** Largest request body in bytes. Default 1 MiB. */
  bodyLimit?: number;
  /**
   * Largest body of a file upload (`imbot.v2.File.upload`, control `POST .../files`), in bytes.
   * Default 160 MiB: a 100 MiB file's base64, form- or JSON-encoded, fits with room to spare.
   */
  uploadLimit?: number;
  /** Status of QUERY_LIMIT_EXCEEDED: 503 (limits page, default) or 429 (chat-bot overview page). */
  rateLimitStatus?: 503 | 429;
  /** How long a bot's webhook handler may take before the delivery counts as failed. Default 10 s. */
  deliveryTimeoutMs?: number;
  logger?: Logger;
  /** Log one line per request through `logger.info`. Default off (the CLI turns it on unless --quiet). */
  accessLog?: boolean;
  /** The emulator's notion of now (answer windows, token expiry). Default the system clock. */
  clock?: () => Date;
  /**
   * Makes every generated id, code, token and secret reproducible: two emulators with the same seed
   * given the same calls hand out the same values. Default: the system's random source.
   * @example
   * const emulator = await startEmulator({ seed: 42 });
   */
  seed?: number | string;
  /**
   * `frozen`: time stands still (at `clockStart`, or at start-up) and moves only through the control
   * API; every duration measures 0, so two runs give byte-identical answers. Default `system`.
   * @example
   * const emulator = await startEmulator({ seed: 42, clockMode: "frozen", clockStart: "2026-01-01T00:00:00Z" });
   */
  clockMode?: "system" | "frozen";
  /** Where the clock starts (ISO 8601); with the system clock it then runs on from there. */
  clockStart?: string | Date;
}

export const DEFAULT_BODY_LIMIT = 1024 * 1024;
export const DEFAULT_UPLOAD_LIMIT = 160 * 1024 * 1024;
export const DEFAULT_HEADERS_TIMEOUT_MS = 10_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_CONNECTIONS = 1_000;
export const DEFAULT_MAX_PORTALS = 10_000;
export const DEFAULT_DATA_DIR = ".emulator";
