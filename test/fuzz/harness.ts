import http from "node:http";
import type { AddressInfo } from "node:net";
import request from "supertest";
import { createEmulator, type EmulatorApp, type EmulatorOptions } from "../../src/index.js";
import { loadOpenApiDocument, expectMatchesOpenApi } from "../support/openapi.js";
import { testFixture } from "../support/fixtures.js";
import { POLLUTION_MARK } from "./generators.js";

/**
 * Sends fuzz requests to an in-process emulator and checks the properties every answer must have:
 * JSON, a valid envelope, a documented status, never 5xx, a refusal changes nothing stored, and
 * no prototype is ever polluted.
 */

export interface FuzzRequest {
  method: "GET" | "POST" | "DELETE" | "PUT" | "PATCH";
  url: string;
  headers?: Record<string, string>;
  contentType?: string | undefined;
  body?: Buffer | undefined;
  /** What the generator meant (shown on failure). */
  label: string;
}

export type ViolationKind = "crash" | "nonJson" | "badEnvelope" | "undocumented" | "storeChanged" | "pollution" | "transport";

export const VIOLATION_KINDS: readonly ViolationKind[] = ["crash", "nonJson", "badEnvelope", "undocumented", "storeChanged", "pollution", "transport"];

export interface Violation {
  kind: ViolationKind;
  detail: string;
}

export interface Answer {
  status: number;
  /** Milliseconds from sending to the full answer. */
  ms: number;
  contentType: string;
  text: string;
  body: unknown;
}

export interface TallyData {
  requests: number;
  statuses: [number, number][];
  violations: [ViolationKind, number][];
  examples: [ViolationKind, string][];
  slow: number;
  maxMs: number;
  slowest: string;
}

/** An answer slower than this is counted as slow. */
export const SLOW_MS = 500;

/** Counts of everything sent and everything that went wrong, with the first example of each kind. */
export class Tally {
  requests = 0;
  readonly statuses = new Map<number, number>();
  readonly violations = new Map<ViolationKind, number>();
  readonly examples = new Map<ViolationKind, string>();
  /** Answers slower than SLOW_MS (not a violation: a hint of work that grows too fast with input). */
  slow = 0;
  maxMs = 0;
  slowest = "";

  record(answer: Answer | undefined, violations: readonly Violation[], request: FuzzRequest): void {
    this.requests++;
    if (answer && answer.ms > SLOW_MS) this.slow++;
    if (answer && answer.ms > this.maxMs) {
      this.maxMs = answer.ms;
      this.slowest = describeRequest(request).split("\n")[0] ?? "";
    }
    if (answer) this.statuses.set(answer.status, (this.statuses.get(answer.status) ?? 0) + 1);
    for (const v of violations) {
      this.violations.set(v.kind, (this.violations.get(v.kind) ?? 0) + 1);
      if (!this.examples.has(v.kind)) this.examples.set(v.kind, `${describeRequest(request)}\n    -> ${v.detail}`);
    }
  }

  count(kind: ViolationKind): number {
    return this.violations.get(kind) ?? 0;
  }

  get totalViolations(): number {
    return [...this.violations.values()].reduce((a, b) => a + b, 0);
  }

  toJSON(): TallyData {
    return {
      requests: this.requests,
      statuses: [...this.statuses],
      violations: [...this.violations],
      examples: [...this.examples],
      slow: this.slow,
      maxMs: this.maxMs,
      slowest: this.slowest,
    };
  }

  static fromJSON(data: TallyData): Tally {
    const tally = new Tally();
    tally.requests = data.requests;
    for (const [k, v] of data.statuses) tally.statuses.set(k, v);
    for (const [k, v] of data.violations) tally.violations.set(k, v);
    for (const [k, v] of data.examples) tally.examples.set(k, v);
    tally.slow = data.slow;
    tally.maxMs = data.maxMs;
    tally.slowest = data.slowest;
    return tally;
  }

  merge(other: Tally): void {
    this.requests += other.requests;
    this.slow += other.slow;
    if (other.maxMs > this.maxMs) {
      this.maxMs = other.maxMs;
      this.slowest = other.slowest;
    }
    for (const [k, v] of other.statuses) this.statuses.set(k, (this.statuses.get(k) ?? 0) + v);
    for (const [k, v] of other.violations) this.violations.set(k, (this.violations.get(k) ?? 0) + v);
    for (const [k, v] of other.examples) if (!this.examples.has(k)) this.examples.set(k, v);
  }
}

/** Fast-check settings from the environment: FUZZ_RUNS (runs per property), FUZZ_SEED (fixed seed). */
export function fuzzRuns(fallback: number): number {
  const runs = Number(process.env.FUZZ_RUNS);
  return Number.isInteger(runs) && runs > 0 ? runs : fallback;
}

export function fuzzParams(numRuns: number): { numRuns: number; seed?: number } {
  const seed = process.env.FUZZ_SEED === undefined || process.env.FUZZ_SEED === "" ? undefined : Number(process.env.FUZZ_SEED);
  return seed !== undefined && Number.isInteger(seed) ? { numRuns, seed } : { numRuns };
}

/** One emulator behind one listening server, rebuilt when its data grows or a portal was deleted. */
export class FuzzTarget {
  app!: EmulatorApp;
  private server!: http.Server;
  private sinceReset = 0;
  sent = 0;

  constructor(
    private readonly options: EmulatorOptions = {},
    private readonly resetEvery = 400,
  ) {}

  async start(): Promise<this> {
    // Built in locals and published at the end: a start that overlaps another must not create
    // "second" twice in whichever app happens to be current.
    const app = createEmulator({ fixture: testFixture(), deliveryTimeoutMs: 200, ...this.options });
    const server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    app.runtime.publicUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await app.createPortal({ id: "second" });
    this.app = app;
    this.server = server;
    this.sinceReset = 0;
    return this;
  }

  /**
   * Bounded, since the target is thrown away: a refused oversized body leaves its connection
   * half-read, and server.close() alone would wait for node's 30-second connection check to reap it
   * (seen as a 30 s reset that timed a fuzz test out on CI). Deliveries still queued are dropped.
   */
  async close(): Promise<void> {
    await this.app.runtime.dispatcher.close(100);
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  /** A fresh emulator when the data has grown (snapshots stay cheap) or the default portal is gone. */
  async maybeReset(): Promise<void> {
    const state = this.app.store.state;
    const gone = !Object.hasOwn(state.portals, "default") || !Object.hasOwn(state.portals, "second");
    if (gone || this.sinceReset >= this.resetEvery || Object.keys(state.portals).length > 20 || this.clockMoved()) {
      await this.close();
      await this.start();
    }
  }

  /** A moved clock (the emulator's or a portal's) would age every later probe's tokens and windows. */
  private clockMoved(): boolean {
    return this.app.runtime.time.offsetSeconds !== 0 || Object.values(this.app.store.state.portals).some((p) => (p.clockOffsetMs ?? 0) !== 0);
  }

  async send(req: FuzzRequest): Promise<Answer> {
    this.sinceReset++;
    this.sent++;
    const agent = request(this.server);
    const verb = req.method.toLowerCase() as "get" | "post" | "delete" | "put" | "patch";
    let test = agent[verb](req.url);
    for (const [name, value] of Object.entries(req.headers ?? {})) test = test.set(name, value);
    if (req.contentType !== undefined) test = test.set("Content-Type", req.contentType);
    test = test
      .ok(() => true)
      .buffer(true)
      .parse((res, done) => {
        // An event stream never ends by itself: its headers are the answer.
        if (/^text\/event-stream/i.test(String(res.headers["content-type"] ?? ""))) {
          (res as unknown as { destroy(): void }).destroy();
          done(null, "");
          return;
        }
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => done(null, Buffer.concat(chunks).toString("utf8")));
        res.on("error", (error: Error) => done(error, undefined));
      });
    // Bytes go out untouched: superagent would otherwise re-serialise them for form and JSON types.
    if (req.body !== undefined) test = test.serialize((data: unknown) => data as string).send(req.body as unknown as string);
    const started = performance.now();
    const res = await test;
    const ms = performance.now() - started;
    const text = typeof res.body === "string" ? res.body : "";
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    return { status: res.status, ms, contentType: String(res.headers["content-type"] ?? ""), text, body };
  }
}

// ---------------------------------------------------------------------------------------------
// Prototype watch

const WATCHED: [string, object][] = [
  ["Object.prototype", Object.prototype],
  ["Array.prototype", Array.prototype],
  ["Function.prototype", Function.prototype],
  ["String.prototype", String.prototype],
];
const baseline = new Map(WATCHED.map(([name, proto]) => [name, new Map(Reflect.ownKeys(proto).map((k) => [k, Object.getOwnPropertyDescriptor(proto, k)?.value]))]));

/** Every way a prototype changed since the module loaded; empty when none did. */
export function pollutionProblems(): string[] {
  const problems: string[] = [];
  const probe = {} as Record<string, unknown>;
  if (probe[POLLUTION_MARK] !== undefined) problems.push(`({}).${POLLUTION_MARK} is ${String(probe[POLLUTION_MARK])}`);
  if (probe.isAdmin !== undefined) problems.push("({}).isAdmin is set");
  for (const [name, proto] of WATCHED) {
    const before = baseline.get(name) as Map<string | symbol, unknown>;
    for (const key of Reflect.ownKeys(proto)) {
      if (!before.has(key)) problems.push(`${name} gained ${String(key)}`);
      else if (Object.getOwnPropertyDescriptor(proto, key)?.value !== before.get(key)) problems.push(`${name}.${String(key)} was replaced`);
    }
  }
  return problems;
}

/** Puts the prototypes back, so one hit does not fail every later request too. */
export function repairPrototypes(): void {
  for (const [name, proto] of WATCHED) {
    const before = baseline.get(name) as Map<string | symbol, unknown>;
    for (const key of Reflect.ownKeys(proto)) {
      if (!before.has(key)) Reflect.deleteProperty(proto, key);
      else if (Object.getOwnPropertyDescriptor(proto, key)?.value !== before.get(key)) Reflect.set(proto, key, before.get(key));
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The properties of one answer

const TIME_NUMBERS = ["start", "finish", "duration", "processing"] as const;
const TIME_DATES = ["date_start", "date_finish"] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `{error, error_description}`, both non-empty strings, nothing else. */
export function envelopeProblem(body: unknown): string | undefined {
  if (!isRecord(body)) return "the error answer is not a JSON object";
  const keys = Object.keys(body).sort().join(",");
  if (keys !== "error,error_description") return `the error envelope has keys [${keys}]`;
  if (typeof body.error !== "string" || body.error === "") return "`error` is not a non-empty string";
  if (typeof body.error_description !== "string" || body.error_description === "") return "`error_description` is not a non-empty string";
  return undefined;
}

/** `{result, time}` with a complete time block; a list page (user.get) adds `total` and maybe `next`. */
export function successProblem(body: unknown): string | undefined {
  if (!isRecord(body)) return "the success answer is not a JSON object";
  const keys = Object.keys(body).sort().join(",");
  if (!["result,time", "result,time,total", "next,result,time,total"].includes(keys)) return `the success envelope has keys [${keys}]`;
  if (body.result === undefined) return "`result` is missing";
  const time = body.time;
  if (!isRecord(time)) return "`time` is not an object";
  for (const k of TIME_NUMBERS) if (typeof time[k] !== "number" || !Number.isFinite(time[k])) return `time.${k} is not a number`;
  for (const k of TIME_DATES) if (typeof time[k] !== "string") return `time.${k} is not a string`;
  return undefined;
}

export interface ExerciseOptions {
  /** REST answers: success must be `{result, time}`. Control answers only need JSON + the schema. */
  rest: boolean;
  /** Part of a sequence: keep the emulator as the previous request left it. */
  keepState?: boolean;
}

/** Sends one request and returns the answer with every property it broke. */
export async function exercise(target: FuzzTarget, req: FuzzRequest, options: ExerciseOptions): Promise<{ answer?: Answer; violations: Violation[] }> {
  if (!options.keepState) await target.maybeReset();
  const before = JSON.stringify(target.app.store.state);
  let answer: Answer;
  try {
    answer = await target.send(req);
  } catch (error) {
    return { violations: [{ kind: "transport", detail: `the request failed: ${(error as Error).message}` }] };
  }
  const violations: Violation[] = [];

  if (answer.status >= 500) violations.push({ kind: "crash", detail: `HTTP ${answer.status}: ${answer.text.slice(0, 300)}` });

  const mediaType = answer.contentType.split(";")[0]?.trim().toLowerCase();
  const streamed = mediaType === "text/event-stream" && answer.status === 200;
  if (streamed) {
    // Checked against openapi.yaml below: only the documented stream may answer this way.
  } else if (mediaType !== "application/json" || answer.body === undefined) {
    violations.push({ kind: "nonJson", detail: `content-type "${answer.contentType}", body ${JSON.stringify(answer.text.slice(0, 200))}` });
  } else if (answer.status >= 400 || (options.rest && answer.status !== 200)) {
    const problem = envelopeProblem(answer.body);
    if (problem) violations.push({ kind: "badEnvelope", detail: problem });
  } else if (options.rest) {
    const problem = successProblem(answer.body);
    if (problem) violations.push({ kind: "badEnvelope", detail: problem });
  }

  try {
    expectMatchesOpenApi(
      { method: req.method, url: req.url },
      { status: answer.status, body: answer.body, contentType: answer.contentType },
      { statusOverrides: target.app.fidelity.statusOverrides },
    );
  } catch (error) {
    violations.push({ kind: "undocumented", detail: (error as Error).message });
  }

  if (answer.status >= 400 && answer.status < 500) {
    const after = JSON.stringify(target.app.store.state);
    if (after !== before) violations.push({ kind: "storeChanged", detail: `HTTP ${answer.status} ${answer.text.slice(0, 200)} but the store changed` });
  }

  const pollution = pollutionProblems();
  if (pollution.length > 0) {
    violations.push({ kind: "pollution", detail: pollution.join("; ") });
    repairPrototypes();
  }
  return { answer, violations };
}

/**
 * Sends requests one after another on the same emulator state (the first may start from a fresh
 * one) and checks each; REST answers are told apart from control answers by their path.
 */
export async function exerciseSequence(target: FuzzTarget, reqs: readonly FuzzRequest[]): Promise<{ req: FuzzRequest; answer?: Answer; violations: Violation[] }[]> {
  const outcomes: { req: FuzzRequest; answer?: Answer; violations: Violation[] }[] = [];
  for (const [index, req] of reqs.entries()) {
    const rest = /^\/rest(?=[/?]|$)/i.test(req.url);
    outcomes.push({ req, ...(await exercise(target, req, { rest, keepState: index > 0 })) });
  }
  return outcomes;
}

export function describeRequest(req: FuzzRequest): string {
  const body = req.body === undefined ? "(no body)" : req.body.length > 300 ? `${req.body.subarray(0, 300).toString("utf8")}… (${req.body.length} bytes)` : req.body.toString("utf8");
  const headers = Object.entries(req.headers ?? {}).map(([k, v]) => `${k}: ${v}`);
  return [`${req.method} ${req.url.length > 300 ? `${req.url.slice(0, 300)}…` : req.url}  [${req.label}]`, `    content-type: ${String(req.contentType)}`, ...headers.map((h) => `    ${h}`), `    body: ${JSON.stringify(body)}`].join("\n");
}

export function failureMessage(req: FuzzRequest, violations: readonly Violation[], answer?: Answer): string {
  return [
    "The emulator broke a fuzz property:",
    describeRequest(req),
    answer ? `  answered: HTTP ${answer.status} ${answer.contentType} ${answer.text.slice(0, 300)}` : "  no answer",
    ...violations.map((v) => `  [${v.kind}] ${v.detail}`),
  ].join("\n");
}

/** HTTP methods openapi.yaml documents for a REST method (POST everywhere, GET on some). */
let openApiPaths: Record<string, Record<string, unknown> | undefined> | undefined;

export function documentedRestVerbs(method: string): ("GET" | "POST")[] {
  openApiPaths ??= (loadOpenApiDocument().paths ?? {}) as Record<string, Record<string, unknown> | undefined>;
  const doc = { paths: openApiPaths };
  const item = Object.entries(doc.paths ?? {}).find(([path]) => path.toLowerCase() === `/rest/${method.toLowerCase()}`)?.[1];
  const verbs: ("GET" | "POST")[] = [];
  if (item?.post) verbs.push("POST");
  if (item?.get) verbs.push("GET");
  return verbs;
}

/** Prints the long-run table. */
export function summaryTable(title: string, tally: Tally, seconds: number): string {
  const rows: [string, string][] = [
    ["total requests", String(tally.requests)],
    ["crashes (5xx)", String(tally.count("crash"))],
    ["non-JSON answers", String(tally.count("nonJson"))],
    ["bad envelopes", String(tally.count("badEnvelope"))],
    ["undocumented statuses / bodies", String(tally.count("undocumented"))],
    ["store changes on refusals", String(tally.count("storeChanged"))],
    ["prototype pollution hits", String(tally.count("pollution"))],
    ["transport failures", String(tally.count("transport"))],
    [`answers slower than ${SLOW_MS} ms`, String(tally.slow)],
    ["slowest answer", `${tally.maxMs.toFixed(0)} ms: ${tally.slowest}`],
    ["statuses seen", [...tally.statuses.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}:${n}`).join(" ")],
    ["seconds", seconds.toFixed(1)],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = [`== ${title} ==`, ...rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`)];
  for (const [kind, example] of tally.examples) lines.push(`first ${kind}:\n  ${example}`);
  return lines.join("\n");
}
