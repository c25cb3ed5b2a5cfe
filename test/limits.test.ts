import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../src/index.js";
import { KEEP_BYTES_PER_PORTAL, MAX_PENDING_WAITS } from "../src/activity/activity.js";
import { MAX_BACKLOG_PER_BOT } from "../src/events/dispatcher.js";
import { defaultFixture } from "./support/fixtures.js";
import { rawRequest } from "./support/raw-http.js";

let emulator: RunningEmulator;
let url: string;
beforeAll(async () => {
  emulator = await startEmulator({ maxPortals: 4, headersTimeoutMs: 300, requestTimeoutMs: 600 });
  url = emulator.httpUrl as string;
});
afterAll(() => emulator.close());

describe("bounded resources", () => {
  it("keeps a large call's params truncated in the journal, marked as such", async () => {
    const portal = await emulator.createPortal();
    const reply = await rawRequest(url, "POST", `/rest/1/${portal.webhooks[0]!.code}/server.time`, { "Content-Type": "application/json" }, JSON.stringify({ junk: "x".repeat(200_000) }));
    expect(reply.status).toBe(200);
    const journal = await rawRequest(url, "GET", `/_emulator/portals/${portal.id}/journal`);
    const [entry] = journal.body.calls as { truncated?: boolean; params: { junk: string } }[];
    expect(entry?.truncated).toBe(true);
    expect(entry?.params.junk).toContain("(200000 characters, truncated)");
    expect(JSON.stringify(entry).length).toBeLessThan(20_000);
  });

  it("keeps each portal's journal within its byte budget, dropping the oldest entries", async () => {
    const portal = await emulator.createPortal();
    const activity = emulator.app.runtime.activity;
    const big = { text: "y".repeat(15_000) };
    for (let i = 0; i < 700; i++) {
      activity.record(portal.id, { time: "", httpMethod: "POST", method: `m${i}`, params: big, status: 200, error: null, durationMs: 0 });
    }
    const kept = portal.control.journal();
    expect(JSON.stringify(kept).length).toBeLessThanOrEqual(KEEP_BYTES_PER_PORTAL + 100_000);
    expect(kept.at(-1)?.method).toBe("m699");
    expect(kept.length).toBeLessThan(700);
    await rawRequest(url, "DELETE", `/_emulator/portals/${portal.id}`);
  });

  it("refuses a portal past --max-portals with 429 PORTAL_LIMIT_EXCEEDED, creating nothing", async () => {
    const held = Object.keys(emulator.app.store.state.portals).length;
    const created: string[] = [];
    for (let i = held; i < 4; i++) created.push((await emulator.createPortal()).id);
    const reply = await rawRequest(url, "POST", "/_emulator/portals", { "Content-Type": "application/json" }, "{}");
    expect([reply.status, reply.body.error]).toEqual([429, "PORTAL_LIMIT_EXCEEDED"]);
    expect(reply.body.error_description).toContain("--max-portals");
    expect(Object.keys(emulator.app.store.state.portals)).toHaveLength(4);
    for (const id of created) await rawRequest(url, "DELETE", `/_emulator/portals/${id}`);
  });

  it(`refuses a long-poll past ${MAX_PENDING_WAITS} waiting with 429 WAIT_LIMIT_EXCEEDED; REST calls still answer`, async () => {
    const portal = emulator.portal();
    const waits = Array.from({ length: MAX_PENDING_WAITS }, () => portal.waitFor({ for: "call", method: "never.called", timeout: 60_000 }));
    const reply = await rawRequest(url, "GET", "/_emulator/portals/default/wait?for=call&timeout=100");
    expect([reply.status, reply.body.error]).toEqual([429, "WAIT_LIMIT_EXCEEDED"]);
    const rest = await rawRequest(url, "POST", "/rest/1/emulator/server.time", { "Content-Type": "application/json" }, "{}");
    expect(rest.status).toBe(200);
    emulator.app.runtime.activity.releaseWaits();
    expect(await Promise.all(waits)).toEqual(waits.map(() => undefined));
  });

  it("answers 408 REQUEST_TIMEOUT in JSON to a client that never finishes its headers", async () => {
    const port = Number(new URL(url).port);
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, "127.0.0.1");
      let text = "";
      socket.on("data", (d: Buffer) => (text += d.toString()));
      socket.on("error", reject);
      socket.on("close", () => resolve(text));
      socket.write("GET /_emulator/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
    });
    expect(raw).toMatch(/^HTTP\/1\.1 408 /);
    expect(raw).toContain("Content-Type: application/json");
    expect(JSON.parse(raw.slice(raw.indexOf("\r\n\r\n") + 4))).toMatchObject({ error: "REQUEST_TIMEOUT" });
  });
});

describe("a handler that never answers", () => {
  let hung: Server;
  let hungUrl: string;
  beforeAll(async () => {
    hung = createServer(() => {});
    await new Promise<void>((resolve) => hung.listen(0, "127.0.0.1", resolve));
    hungUrl = `http://127.0.0.1:${(hung.address() as AddressInfo).port}/hook`;
  });
  afterAll(async () => {
    hung.closeAllConnections();
    await new Promise((r) => hung.close(r));
  });

  it("gets at most its backlog queued (the rest is logged as not sent), and cannot hold up shutdown", async () => {
    const lines: string[] = [];
    const fixture = defaultFixture();
    fixture.bots = fixture.bots!.map((b) => ({ ...b, eventMode: "webhook" as const, webhookUrl: hungUrl }));
    const quiet = { info: () => {}, warn: (m: string) => lines.push(m), error: (m: string) => lines.push(m) };
    const own = await startEmulator({ fixture, deliveryTimeoutMs: 60_000, logger: quiet });
    const portal = own.portal();
    for (let i = 0; i < MAX_BACKLOG_PER_BOT + 5; i++) await portal.userSays({ authorId: 1, dialogId: "chat5", text: `/help ${i}` });
    const dropped = portal.deliveries().filter((d) => d.dropped);
    expect(dropped.length).toBeGreaterThanOrEqual(5);
    expect(dropped[0]).toMatchObject({ status: null, error: expect.stringContaining(`already has ${MAX_BACKLOG_PER_BOT} events waiting`) });
    await own.close();
    expect(lines.some((l) => /shutdown: \d+ webhook deliveries still waiting after 3000 ms were dropped/.test(l))).toBe(true);
  }, 30_000);
});
