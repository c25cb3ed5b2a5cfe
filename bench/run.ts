import { spawn, type ChildProcess } from "node:child_process";
import { cpSync } from "node:fs";
import { readFile, mkdtemp, rm, writeFile, mkdir } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { createServer as createNetServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import autocannon from "autocannon";
import { createEmulator } from "../src/emulator.js";
import { seedDataDir } from "./seed.js";

/**
 * `npm run bench`: every server in its own process on loopback, measured side by side in one run,
 * reported as ratios against a bare express route measured in the same run (machines are noisy).
 */
const DURATION_S = Number(process.env.BENCH_SECONDS ?? 4);
/** Scenarios run in interleaved rounds and report medians: a shared machine drifts within a minute. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = 10;
const STORED_MESSAGES = 100_000;
const CLI = join(process.cwd(), "dist", "cli.bundle.mjs");
const FIXTURE = join(process.cwd(), "fixtures", "default.json");

const answerBody = JSON.stringify({
  botId: 456,
  botToken: "my_bot_token",
  commandId: 42,
  messageId: 789,
  dialogId: "chat5",
  fields: { message: "Here is the help text..." },
});

interface Row {
  scenario: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  peakRssMb: number | null;
  firstAnswerMs: number | null;
  errors: number;
}

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function peakRssMb(pid: number | undefined): Promise<number | null> {
  if (!pid) return null;
  try {
    const status = await readFile(`/proc/${pid}/status`, "utf8");
    const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1]);
    return Number.isFinite(kb) ? Math.round(kb / 1024) : null;
  } catch {
    return null;
  }
}

/** Starts a server process and measures the time from spawn to its first successful answer. */
async function startServer(args: string[], port: number): Promise<{ child: ChildProcess; firstAnswerMs: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { stdio: ["ignore", "ignore", "inherit"] });
  for (;;) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/rest/1/emulator/imbot.v2.Command.answer`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: answerBody,
      });
      if (res.status === 200) return { child, firstAnswerMs: Math.round(performance.now() - started) };
    } catch {
      // not listening yet
    }
    if (performance.now() - started > 30_000) throw new Error(`server ${args.join(" ")} did not answer within 30 s`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

async function load(port: number, path: string, body: string): Promise<autocannon.Result> {
  return autocannon({
    url: `http://127.0.0.1:${port}${path}`,
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
    connections: CONNECTIONS,
    duration: DURATION_S,
  });
}

async function measureAnswer(scenario: string, args: (port: number) => string[]): Promise<Row> {
  const port = await freePort();
  const { child, firstAnswerMs } = await startServer(args(port), port);
  const result = await load(port, "/rest/1/emulator/imbot.v2.Command.answer", answerBody);
  const row: Row = {
    scenario,
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    peakRssMb: await peakRssMb(child.pid),
    firstAnswerMs,
    errors: result.errors + result.non2xx,
  };
  await stop(child);
  return row;
}

/** User message -> COMMANDADD webhook POST at a bot handler, ten at a time, for the same duration. */
async function measureRoundTrip(dir: string): Promise<Row> {
  const arrived = new Map<string, () => void>();
  const seen = new Set<string>();
  const handler: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      const id = new URLSearchParams(body).get("data[message][id]") ?? "";
      res.writeHead(200).end("ok");
      seen.add(id);
      arrived.get(id)?.();
    });
  });
  await new Promise<void>((resolve) => handler.listen(0, "127.0.0.1", resolve));
  const fixture = JSON.parse(await readFile(FIXTURE, "utf8")) as { bots: Record<string, unknown>[] };
  fixture.bots[0] = { ...fixture.bots[0], eventMode: "webhook", webhookUrl: `http://127.0.0.1:${(handler.address() as AddressInfo).port}/` };
  const fixturePath = join(dir, "webhook-fixture.json");
  await writeFile(fixturePath, JSON.stringify(fixture));

  const port = await freePort();
  const { child, firstAnswerMs } = await startServer([CLI, "--port", String(port), "--memory", "--quiet", "--fixture", fixturePath], port);
  const latencies: number[] = [];
  let errors = 0;
  const deadline = performance.now() + DURATION_S * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const started = performance.now();
      const res = await fetch(`http://127.0.0.1:${port}/_emulator/portals/default/messages`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ authorId: 1, dialogId: "chat5", text: "/help" }),
      });
      const outcome = (await res.json()) as { message?: { id: number } };
      const id = String(outcome.message?.id ?? "");
      if (res.status !== 201) {
        errors++;
        continue;
      }
      if (!seen.has(id)) await new Promise<void>((resolve) => arrived.set(id, resolve));
      arrived.delete(id);
      seen.delete(id);
      latencies.push(performance.now() - started);
    }
  };
  const began = performance.now();
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  const elapsed = (performance.now() - began) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => Math.round((latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0) * 100) / 100;
  const row: Row = {
    scenario: "user message -> webhook delivery (round trip)",
    requestsPerSecond: Math.round(latencies.length / elapsed),
    p50Ms: pct(0.5),
    p99Ms: pct(0.99),
    peakRssMb: await peakRssMb(child.pid),
    firstAnswerMs,
    errors,
  };
  await stop(child);
  await new Promise((resolve) => handler.close(resolve));
  return row;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** Median throughput, latency and start time over the rounds; the highest peak memory. */
function medianRow(rows: Row[]): Row {
  const first = rows[0] as Row;
  return {
    scenario: first.scenario,
    requestsPerSecond: median(rows.map((r) => r.requestsPerSecond)),
    p50Ms: median(rows.map((r) => r.p50Ms)),
    p99Ms: median(rows.map((r) => r.p99Ms)),
    peakRssMb: Math.max(...rows.map((r) => r.peakRssMb ?? 0)) || null,
    firstAnswerMs: median(rows.map((r) => r.firstAnswerMs ?? 0)) || null,
    errors: rows.reduce((sum, r) => sum + r.errors, 0),
  };
}

/** Creating an isolated portal in-process, as a test's beforeEach would. */
async function measurePortalCreation(): Promise<number> {
  const app = createEmulator({ fixture: FIXTURE });
  for (let i = 0; i < 20; i++) await app.createPortal();
  const runs = 500;
  const started = performance.now();
  for (let i = 0; i < runs; i++) await app.createPortal();
  return Math.round(((performance.now() - started) / runs) * 1000) / 1000;
}

async function main(): Promise<void> {
  const began = performance.now();
  const dir = await mkdtemp(join(tmpdir(), "b24-bench-"));
  try {
    const seeded = join(dir, "seeded");
    await mkdir(seeded);
    await seedDataDir(seeded, STORED_MESSAGES);

    const scenarios: (() => Promise<Row>)[] = [
      () => measureAnswer("baseline: bare express 5 JSON route", (port) => [join(process.cwd(), ".bench-build", "bench", "baseline-server.js"), String(port)]),
      () => measureAnswer("Command.answer, in-memory store", (port) => [CLI, "--port", String(port), "--memory", "--quiet"]),
      () => measureAnswer("Command.answer, durable file store (empty)", (port) => [CLI, "--port", String(port), "--quiet", "--data-dir", join(dir, "empty")]),
      () => measureAnswer(`Command.answer, durable file store (${STORED_MESSAGES.toLocaleString("en")} messages)`, (port) => [CLI, "--port", String(port), "--quiet", "--data-dir", seededCopy()]),
      () => measureRoundTrip(dir),
    ];
    let copies = 0;
    function seededCopy(): string {
      // Every round starts from exactly 100,000 messages: the previous round's answers were folded in.
      const target = join(dir, `seeded-${copies++}`);
      cpSync(seeded, target, { recursive: true });
      return target;
    }
    const samples: Row[][] = scenarios.map(() => []);
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, run] of scenarios.entries()) samples[i]!.push(await run());
    }
    const rows = samples.map(medianRow);
    const portalMs = await measurePortalCreation();

    const [baseline, memory, durable, durableLarge] = rows as [Row, Row, Row, Row, Row];
    const ratio = (a: Row, b: Row) => Math.round((a.requestsPerSecond / b.requestsPerSecond) * 100) / 100;
    const targets = [
      { target: "in-memory >= 0.8x baseline", value: ratio(memory, baseline), met: ratio(memory, baseline) >= 0.8 },
      { target: "durable >= 0.5x baseline", value: ratio(durable, baseline), met: ratio(durable, baseline) >= 0.5 },
      { target: "durable at 100k >= 0.8x durable empty", value: ratio(durableLarge, durable), met: ratio(durableLarge, durable) >= 0.8 },
      { target: "p99 <= 10 ms in memory", value: memory.p99Ms, met: memory.p99Ms <= 10 },
      { target: "peak RSS <= 250 MB at 100k", value: durableLarge.peakRssMb, met: (durableLarge.peakRssMb ?? Infinity) <= 250 },
      { target: "first answer <= 300 ms (small store)", value: durable.firstAnswerMs, met: (durable.firstAnswerMs ?? Infinity) <= 300 },
      { target: "first answer <= 1000 ms (100k messages)", value: durableLarge.firstAnswerMs, met: (durableLarge.firstAnswerMs ?? Infinity) <= 1000 },
      { target: "isolated in-process portal <= 2 ms", value: portalMs, met: portalMs <= 2 },
    ];

    console.log(`\nb24-emulator benchmark: ${CONNECTIONS} connections, ${DURATION_S} s per scenario, median of ${ROUNDS} interleaved rounds, node ${process.version}\n`);
    console.table(rows.map((r) => ({ ...r, vsBaseline: ratio(r, baseline) })));
    console.log(`isolated portal, in-process: ${portalMs} ms each\n`);
    console.table(targets);
    const results = {
      date: new Date().toISOString(),
      node: process.version,
      connections: CONNECTIONS,
      durationSeconds: DURATION_S,
      rounds: ROUNDS,
      scenarios: rows.map((r) => ({ ...r, ratioToBaseline: ratio(r, baseline) })),
      isolatedPortalMs: portalMs,
      targets,
      totalSeconds: Math.round((performance.now() - began) / 1000),
    };
    await mkdir(join(process.cwd(), "bench"), { recursive: true });
    await writeFile(join(process.cwd(), "bench", "results.json"), `${JSON.stringify(results, null, 2)}\n`);
    console.log(`written bench/results.json (${results.totalSeconds} s)`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
