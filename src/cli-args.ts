import { parseArgs } from "node:util";
import { nearestName } from "./domain/nearest-name.js";
import { normalOrigin, OPEN_TO_ALL } from "./http/browser-policy.js";
import type { EmulatorOptions } from "./options.js";
import { contradiction, DEFAULT_FIDELITY } from "./settings.js";

/** Each flag, its env variable (B24_EMULATOR_<FLAG>) and what it sets; the README lists the same. */
const FLAGS = {
  port: { type: "string", short: "p", help: "plain-http port (0 = any free port)", default: "3000" },
  host: { type: "string", help: "interface to listen on (beyond loopback needs --admin-key)", default: "127.0.0.1" },
  "admin-key": { type: "string", help: "secret the control API requires (X-Emulator-Key header)" },
  cors: { type: "string", help: "origins answered with CORS headers, comma-separated; * opens the REST API to all (warns)" },
  "allowed-hosts": { type: "string", help: "Host names answered beyond loopback and --host, comma-separated (.example.com: subdomains too)" },
  "max-portals": { type: "string", help: "portals the emulator holds at most (429 PORTAL_LIMIT_EXCEEDED beyond)", default: "10000" },
  "webhook-allow": { type: "string", help: "hosts (host or host:port, comma-separated; * any) bot webhooks may go to beyond loopback" },
  "allowed-origins": { type: "string", help: "origins of web pages allowed to call the emulator, comma-separated" },
  https: { type: "boolean", help: "also serve https with a self-signed certificate" },
  "https-port": { type: "string", help: "https port", default: "3443" },
  "no-http": { type: "boolean", help: "serve https only (with --https)" },
  "data-dir": { type: "string", help: "folder for the data file and the certificate", default: ".emulator" },
  "data-file": { type: "string", help: "the lowdb data file", default: "<data-dir>/db.json" },
  memory: { type: "boolean", help: "keep state in memory only; nothing is written" },
  fixture: { type: "string", help: "fixture seeding a new data file", default: "fixtures/default.json (bundled)" },
  reset: { type: "boolean", help: "reseed the data file from the fixture (the old file is kept as .bak)" },
  fsync: { type: "boolean", help: "fdatasync every write: acknowledged data survives power loss, not only a crash" },
  "boolean-result": { type: "string", help: "nested | bare: shape of boolean results", default: DEFAULT_FIDELITY.booleanResultShape },
  overlong: { type: "string", help: "reject | truncate: text over 20,000 code points", default: DEFAULT_FIDELITY.overlongMessage },
  "answer-window": { type: "string", help: "seconds a command can be answered (0 = forever)", default: String(DEFAULT_FIDELITY.answerWindowSeconds) },
  "rest-revision": { type: "string", help: "REST revision to emulate (33-36; older ones drop newer behaviour)", default: String(DEFAULT_FIDELITY.restRevision) },
  "rate-limit": { type: "string", help: "off | standard (50, 2/s) | enterprise (250, 5/s): REST leaky bucket", default: DEFAULT_FIDELITY.rateLimit },
  "rate-limit-status": { type: "string", help: "503 | 429: status of QUERY_LIMIT_EXCEEDED", default: "503" },
  "event-get-legacy": { type: "boolean", help: "Event.get also answers lastEventId (clients written before 2026-03-25)" },
  strict: { type: "boolean", help: "refuse calls the conformance report flags (CONFORMANCE_VIOLATION naming the rule)" },
  "enforce-bc-sunset": { type: "boolean", help: "legacy forms stop working after their end-of-support date (portal clock)" },
  "strict-dialog-id": { type: "boolean", help: "refuse a Command.answer whose dialogId is not the command's" },
  "require-https": { type: "boolean", help: "refuse webhook calls over http with INVALID_REQUEST" },
  "server-shapes": { type: "boolean", help: "chat textFieldEnabled as the server's JSON boolean, not the docs' Y/N" },
  "attach-error-codes": { type: "string", help: "server | docs: Chat.Message.send's PARAM_ATTACH_ERROR/PARAM_KEYBOARD_ERROR or the docs' ATTACH_*", default: DEFAULT_FIDELITY.attachErrorCodes },
  "numeric-binder-code": { type: "boolean", help: "binder errors carry the JSON number 100 (REST before 25.700), not the text \"100\"" },
  "strict-chat-update": { type: "boolean", help: "Chat.update is ACCESS_DENIED in chat and open chats, as on the server" },
  "body-limit": { type: "string", help: "largest request body in bytes", default: "1048576" },
  "upload-limit": { type: "string", help: "largest body of a file upload (File.upload, control files) in bytes", default: "167772160" },
  seed: { type: "string", help: "make every generated id, code, token and secret reproducible" },
  clock: { type: "string", help: "system | frozen: frozen time moves only through the control API", default: "system" },
  "clock-start": { type: "string", help: "ISO 8601 instant the clock starts at (e.g. 2026-01-01T00:00:00Z)" },
  "access-token-ttl": { type: "string", help: "seconds an OAuth access token lives", default: String(DEFAULT_FIDELITY.accessTokenTtl) },
  "refresh-token-ttl": { type: "string", help: "seconds an OAuth refresh token lives", default: String(DEFAULT_FIDELITY.refreshTokenTtl) },
  quiet: { type: "boolean", help: "log warnings and errors only" },
  help: { type: "boolean", short: "h", help: "show this help" },
  version: { type: "boolean", short: "v", help: "print the version" },
} as const;

type FlagName = keyof typeof FLAGS;

export interface CliCommand {
  options: EmulatorOptions;
  quiet: boolean;
  help: boolean;
  version: boolean;
  /** Flags given that do nothing without another one: worth a warning, not a refusal. */
  warnings: string[];
}

export class UsageError extends Error {}

export function envName(flag: string): string {
  return `B24_EMULATOR_${flag.replace(/-/g, "_").toUpperCase()}`;
}

export function parseCli(argv: string[], env: NodeJS.ProcessEnv): CliCommand {
  let values: Partial<Record<FlagName, string | boolean>>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: Object.fromEntries(Object.entries(FLAGS).map(([name, f]) => [name, { type: f.type, ...("short" in f ? { short: f.short } : {}) }])),
      strict: true,
      allowPositionals: false,
    }) as { values: Partial<Record<FlagName, string | boolean>> });
  } catch (error) {
    throw new UsageError(describeParseError(error as Error & { code?: string }));
  }
  const read = (flag: FlagName): string | boolean | undefined => values[flag] ?? fromEnv(flag, env);

  const options: EmulatorOptions = {
    store: read("memory") ? "memory" : "file",
    host: str(read("host")) ?? "127.0.0.1",
    port: port(read("port"), "port") ?? 3000,
    http: !read("no-http"),
    https: Boolean(read("https")),
    httpsPort: port(read("https-port"), "https-port") ?? 3443,
    dataDir: str(read("data-dir")) ?? ".emulator",
    reset: Boolean(read("reset")),
    cors: origins(read("cors"), "cors", true),
    allowedHosts: list(read("allowed-hosts")),
    webhookAllow: list(read("webhook-allow")),
    allowedOrigins: origins(read("allowed-origins"), "allowed-origins", false),
    eventGetLegacy: Boolean(read("event-get-legacy")),
    fsync: Boolean(read("fsync")),
    strictDialogId: Boolean(read("strict-dialog-id")),
    strict: Boolean(read("strict")),
    enforceBcSunset: Boolean(read("enforce-bc-sunset")),
    requireHttps: Boolean(read("require-https")),
    serverShapes: Boolean(read("server-shapes")),
    numericBinderCode: Boolean(read("numeric-binder-code")),
    strictChatUpdate: Boolean(read("strict-chat-update")),
  };
  const adminKey = str(read("admin-key"));
  if (adminKey) options.adminKey = adminKey;
  const dataFile = str(read("data-file"));
  if (dataFile) options.dataFile = dataFile;
  const fixture = str(read("fixture"));
  if (fixture) options.fixture = fixture;
  const shape = oneOf(read("boolean-result"), "boolean-result", ["nested", "bare"] as const);
  if (shape) options.booleanResultShape = shape;
  const overlong = oneOf(read("overlong"), "overlong", ["reject", "truncate"] as const);
  if (overlong) options.overlongMessage = overlong;
  const attachCodes = oneOf(read("attach-error-codes"), "attach-error-codes", ["server", "docs"] as const);
  if (attachCodes) options.attachErrorCodes = attachCodes;
  const window = int(read("answer-window"), "answer-window");
  if (window !== undefined) options.answerWindowSeconds = window;
  const rateLimit = oneOf(read("rate-limit"), "rate-limit", ["off", "standard", "enterprise"] as const);
  if (rateLimit) options.rateLimit = rateLimit;
  const rateStatus = oneOf(read("rate-limit-status"), "rate-limit-status", ["503", "429"] as const);
  if (rateStatus) options.rateLimitStatus = Number(rateStatus) as 503 | 429;
  const revision = int(read("rest-revision"), "rest-revision");
  if (revision !== undefined) options.restRevision = revision;
  const bodyLimit = int(read("body-limit"), "body-limit");
  if (bodyLimit !== undefined) options.bodyLimit = bodyLimit;
  const uploadLimit = int(read("upload-limit"), "upload-limit");
  if (uploadLimit !== undefined) options.uploadLimit = uploadLimit;
  const maxPortals = int(read("max-portals"), "max-portals");
  if (maxPortals !== undefined) options.maxPortals = maxPortals;
  if (!options.http && !options.https) throw new UsageError("--no-http needs --https, or there is nothing to listen on");
  const conflict = contradiction({ strict: options.strict ?? false, eventGetLegacy: options.eventGetLegacy ?? false });
  if (conflict) throw new UsageError(conflict);
  const seed = str(read("seed"));
  if (seed !== undefined) options.seed = seed;
  const clock = oneOf(read("clock"), "clock", ["system", "frozen"] as const);
  if (clock) options.clockMode = clock;
  const clockStart = str(read("clock-start"));
  if (clockStart !== undefined) {
    if (!/^\d{4}-\d{2}-\d{2}T/.test(clockStart) || Number.isNaN(Date.parse(clockStart))) {
      throw new UsageError(`--clock-start takes an ISO 8601 date-time such as 2026-01-01T00:00:00Z, got "${clockStart}"`);
    }
    options.clockStart = clockStart;
  }
  const accessTtl = int(read("access-token-ttl"), "access-token-ttl");
  if (accessTtl !== undefined) options.accessTokenTtl = accessTtl;
  const refreshTtl = int(read("refresh-token-ttl"), "refresh-token-ttl");
  if (refreshTtl !== undefined) options.refreshTokenTtl = refreshTtl;

  const given = (flag: FlagName) => {
    const value = read(flag);
    return value !== undefined && value !== false;
  };
  return {
    options,
    quiet: Boolean(read("quiet")),
    help: Boolean(read("help")),
    version: Boolean(read("version")),
    warnings: ineffectiveFlags(given, options),
  };
}

/** What a flag needs beside it to do anything; given alone it is most likely a mistake. */
function ineffectiveFlags(given: (flag: FlagName) => boolean, options: EmulatorOptions): string[] {
  const needs: [FlagName, boolean, string][] = [
    ["https-port", !options.https, "--https"],
    ["rate-limit-status", (options.rateLimit ?? "off") === "off", "--rate-limit standard or enterprise"],
    ["fsync", options.store === "memory", "the file store (it is off with --memory)"],
    ["reset", options.store === "memory", "the file store (it is off with --memory)"],
    ["data-file", options.store === "memory", "the file store (it is off with --memory)"],
  ];
  return needs.filter(([flag, idle]) => idle && given(flag)).map(([flag, , needed]) => `--${flag} has no effect without ${needed}`);
}

function describeParseError(error: Error & { code?: string }): string {
  const flag = /'(-[^']*)'/.exec(error.message)?.[1];
  if (error.code !== "ERR_PARSE_ARGS_UNKNOWN_OPTION" || flag === undefined) return error.message.split(". ")[0] ?? error.message;
  const near = nearestName(flag.replace(/^-+/, ""), Object.keys(FLAGS));
  return `unknown flag ${flag}${near ? `; did you mean --${near}?` : ""}`;
}

export function usage(): string {
  const lines = Object.entries(FLAGS).map(([name, f]) => {
    const arg = f.type === "string" ? ` <value>` : "";
    const def = "default" in f ? ` (default ${f.default})` : "";
    const short = "short" in f ? `-${f.short}, ` : "    ";
    return `  ${short}--${name}${arg}`.padEnd(34) + `${f.help}${def}; env ${envName(name)}`;
  });
  return ["Usage: b24-emulator [options]", "", "A local Bitrix24 portal for chat-bot tests.", "", ...lines].join("\n");
}

function fromEnv(flag: FlagName, env: NodeJS.ProcessEnv): string | boolean | undefined {
  const value = env[envName(flag)];
  if (value === undefined || value === "") return undefined;
  if (FLAGS[flag].type === "boolean") return /^(1|true|yes|y|on)$/i.test(value);
  return value;
}

function str(value: string | boolean | undefined): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** A comma-separated list, blanks dropped. */
function list(value: string | boolean | undefined): string[] {
  return (str(value) ?? "").split(",").map((v) => v.trim()).filter((v) => v !== "");
}

/** Origins as browsers send them (`http://localhost:5173`), or `*` where the flag takes it. */
function origins(value: string | boolean | undefined, flag: string, starAllowed: boolean): string[] {
  return list(value).map((entry) => {
    if (entry === OPEN_TO_ALL && starAllowed) return entry;
    const origin = normalOrigin(entry);
    if (origin === undefined) throw new UsageError(`--${flag} takes origins like http://localhost:5173, got "${entry}"`);
    return origin;
  });
}

function int(value: string | boolean | undefined, flag: string): number | undefined {
  const text = str(value);
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new UsageError(`--${flag} takes a whole number, got "${text}"`);
  return Number(text);
}

function port(value: string | boolean | undefined, flag: string): number | undefined {
  const number = int(value, flag);
  if (number !== undefined && number > 65_535) throw new UsageError(`--${flag} takes a port from 0 to 65535, got ${number}`);
  return number;
}

function oneOf<T extends string>(value: string | boolean | undefined, flag: string, allowed: readonly T[]): T | undefined {
  const text = str(value);
  if (text === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(text)) throw new UsageError(`--${flag} takes ${allowed.join(" or ")}, got "${text}"`);
  return text as T;
}
