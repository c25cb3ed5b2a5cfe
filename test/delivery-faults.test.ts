import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Delivery, type PortalControl, type PortalInfo, type RunningEmulator } from "../src/index.js";
import { defaultFixture } from "./support/fixtures.js";
import { httpClient } from "./support/http-client.js";
import { TIMER_SLACK_MS } from "./support/timing.js";

/**
 * Outbound faults (issue 12 item 4), through a listening emulator: what a bot's webhook handler
 * receives, or what its Event.get loop reads, when a delivery rule drops, delays, duplicates or times
 * out its events. One handler server records every POST it gets, per portal.
 */

interface Received {
  event: string;
  eventId: string;
}

let emulator: RunningEmulator;
let hook: Server;
let hookUrl: string;
/** What the handler got, by request path: each portal's bot posts to a path of its own. */
const received = new Map<string, Received[]>();
/** Paths whose handler never answers. */
const hang = new Set<string>();

beforeAll(async () => {
  emulator = await startEmulator();
  hook = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = "";
    req.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
    req.on("end", () => {
      const key = req.url ?? "";
      const form = new URLSearchParams(body);
      const list = received.get(key) ?? [];
      list.push({ event: form.get("event") ?? "", eventId: form.get("data[message][id]") ?? form.get("ts") ?? "" });
      received.set(key, list);
      if (hang.has(key)) return; // never answers
      res.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((resolve) => hook.listen(0, "127.0.0.1", resolve));
  hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}`;
});

afterAll(async () => {
  hook.closeAllConnections();
  await new Promise((resolve) => hook.close(resolve));
  await emulator.close();
});

let portalCount = 0;

/** A portal whose bot 456 takes its events by webhook at a path of its own. */
async function webhookPortal(): Promise<{ info: PortalInfo; control: PortalControl; path: string }> {
  const path = `/bot-${++portalCount}`;
  const fixture = defaultFixture();
  fixture.bots = fixture.bots!.map((b) => ({ ...b, eventMode: "webhook" as const, webhookUrl: `${hookUrl}${path}` }));
  const created = await emulator.createPortal({ fixture });
  return { info: created, control: created.control, path };
}

/** One HTTP call, its answer checked against openapi.yaml. */
const http = (method: "GET" | "POST", path: string, body?: unknown) => httpClient(emulator.httpUrl as string).call(method, path, body);

const say = (portal: PortalInfo, text: string) =>
  http("POST", `/_emulator/portals/${portal.id}/messages`, { authorId: 1, dialogId: "chat5", text });

/** The deliveries log once it holds `count` entries (long-polls, never sleeps). */
async function deliveries(portal: PortalInfo, count: number): Promise<Delivery[]> {
  for (let seen = 0; ; ) {
    const all = (await http("GET", `/_emulator/portals/${portal.id}/deliveries`)).body.deliveries as Delivery[];
    if (all.length >= count) return all;
    const last = all.at(-1)?.id ?? seen;
    const waited = await http("GET", `/_emulator/portals/${portal.id}/wait?for=delivery&afterId=${last}&timeout=5000`);
    if (waited.status !== 200) throw new Error(`only ${all.length} of ${count} deliveries arrived`);
    seen = last;
  }
}

describe("delivery faults on webhook bots", () => {
  it("drop: the event is never sent, and the deliveries log shows it dropped", async () => {
    const { info, path } = await webhookPortal();
    const rule = await http("POST", `/_emulator/portals/${info.id}/faults`, { target: "delivery", botId: 456, event: "ONIMBOTV2COMMANDADD", action: "drop", times: 1 });
    expect(rule).toMatchObject({ status: 201, body: { target: "delivery", action: "drop", fired: 0 } });

    const first = await say(info, "/help");
    expect((first.body.events as Record<string, unknown>[])[0]).toMatchObject({ type: "ONIMBOTV2COMMANDADD", fault: rule.body.id });
    await say(info, "/help");
    const log = await deliveries(info, 2);

    expect(log.map((d) => [d.status, d.dropped ?? false, d.fault])).toEqual([
      [null, true, rule.body.id],
      [200, false, undefined],
    ]);
    expect(log[0]?.error).toBe(`dropped by fault rule ${rule.body.id as number}`);
    expect(received.get(path)?.map((r) => r.eventId)).toEqual([String(log[1]?.payload["data[message][id]"])]);
  });

  it("duplicate: the same event reaches the handler twice, as a retrying portal sends it", async () => {
    const { info, path } = await webhookPortal();
    await http("POST", `/_emulator/portals/${info.id}/faults`, { target: "delivery", action: "duplicate", times: 1 });
    await say(info, "/help");
    const log = await deliveries(info, 2);

    expect(log.map((d) => [d.eventId, d.status])).toEqual([
      [log[0]?.eventId, 200],
      [log[0]?.eventId, 200],
    ]);
    const got = received.get(path) ?? [];
    expect(got).toHaveLength(2);
    expect(got[1]).toEqual(got[0]);
  });

  it("delay: the event is sent after delayMs, and the bot's later events wait behind it", async () => {
    const { info, path } = await webhookPortal();
    await http("POST", `/_emulator/portals/${info.id}/faults`, { target: "delivery", action: "delay", delayMs: 300, times: 1 });
    const first = await say(info, "/help first");
    await say(info, "/help second");
    const log = await deliveries(info, 2);

    const raisedAt = Date.parse(String((first.body.events as Record<string, unknown>[])[0]?.date));
    // Timers fire on a millisecond-rounded clock and ISO times are truncated to the millisecond, so
    // a 300 ms wait can read as 299: the delay is the fact asserted, not its sub-millisecond length.
    expect(Date.parse(log[0]!.time) - raisedAt).toBeGreaterThanOrEqual(300 - TIMER_SLACK_MS);
    expect(log.map((d) => d.eventId)).toEqual([...log.map((d) => d.eventId)].sort((a, b) => a - b));
    expect(received.get(path)?.map((r) => r.eventId)).toEqual(log.map((d) => String(d.payload["data[message][id]"])));
  });

  it("timeout: a per-bot handler timeout shorter than the default cuts a slow handler off", async () => {
    const { info, path } = await webhookPortal();
    hang.add(path);
    await http("POST", `/_emulator/portals/${info.id}/faults`, { target: "delivery", botId: 456, action: "timeout", timeoutMs: 200 });
    await say(info, "/help");
    const [delivery] = await deliveries(info, 1);
    expect(delivery).toMatchObject({ status: null, error: "no answer within 200 ms", fault: 1 });
    hang.delete(path);
  });

  it("filters by event: a rule for MESSAGEADD leaves COMMANDADD alone", async () => {
    const { info } = await webhookPortal();
    await http("POST", `/_emulator/portals/${info.id}/faults`, { target: "delivery", event: "ONIMBOTV2MESSAGEADD", action: "drop" });
    await say(info, "/help");
    const [delivery] = await deliveries(info, 1);
    expect(delivery).toMatchObject({ event: "ONIMBOTV2COMMANDADD", status: 200 });
    expect(delivery?.fault).toBeUndefined();
  });

  it("refuses a delay without delayMs and an unknown action", async () => {
    const { info } = await webhookPortal();
    for (const rule of [{ target: "delivery", action: "delay" }, { target: "delivery", action: "explode" }, { target: "delivery", action: "timeout" }]) {
      expect(await http("POST", `/_emulator/portals/${info.id}/faults`, rule)).toMatchObject({ status: 400, body: { error: "CONTROL_ARGUMENT" } });
    }
  });
});

describe("delivery faults on fetch-mode bots, through Event.get", () => {
  const eventGet = (info: PortalInfo, offset?: number) =>
    http("POST", `${new URL(info.webhookUrl as string).pathname}imbot.v2.Event.get`, { botId: 456, botToken: "my_bot_token", ...(offset ? { offset } : {}) });

  it("duplicate: the event is served twice, with the same eventId", async () => {
    const info = await emulator.createPortal();
    await http("POST", `/_emulator/portals/${info.id}/faults`, { target: "delivery", action: "duplicate", times: 1 });
    await say(info, "/help");
    const page = (await eventGet(info)).body.result as { events: { eventId: number; type: string }[] };
    expect(page.events.map((e) => e.type)).toEqual(["ONIMBOTV2COMMANDADD", "ONIMBOTV2COMMANDADD"]);
    expect(page.events[1]?.eventId).toBe(page.events[0]?.eventId);
  });

  it("delay: the event and the ones after it are held back until delayMs passes on the portal's clock", async () => {
    const info = await emulator.createPortal();
    await http("POST", `/_emulator/portals/${info.id}/faults`, { target: "delivery", action: "delay", delayMs: 60_000, times: 1 });
    await say(info, "/help held");
    await say(info, "/help behind it");

    expect((await eventGet(info)).body.result).toMatchObject({ events: [], hasMore: false });
    await http("POST", `/_emulator/portals/${info.id}/clock`, { advanceSeconds: 61 });
    const page = (await eventGet(info)).body.result as { events: { type: string }[] };
    expect(page.events.map((e) => e.type)).toEqual(["ONIMBOTV2COMMANDADD", "ONIMBOTV2COMMANDADD"]);
  });

  it("drop: the event never reaches the queue", async () => {
    const info = await emulator.createPortal();
    await http("POST", `/_emulator/portals/${info.id}/faults`, { target: "delivery", action: "drop", times: 1 });
    await say(info, "/help dropped");
    await say(info, "/help kept");
    const page = (await eventGet(info)).body.result as { events: { data: { message: { text: string } } }[] };
    expect(page.events.map((e) => e.data.message.text)).toEqual(["/help kept"]);
    expect((await http("GET", `/_emulator/portals/${info.id}/faults`)).body.rules).toEqual([expect.objectContaining({ fired: 1, active: false })]);
  });
});
