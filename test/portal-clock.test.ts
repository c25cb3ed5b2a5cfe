import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type PortalInfo, type RunningEmulator } from "../src/index.js";
import { httpClient } from "./support/http-client.js";

let emulator: RunningEmulator;
let http: ReturnType<typeof httpClient>;

beforeAll(async () => {
  emulator = await startEmulator();
  http = httpClient(emulator.httpUrl!);
});
afterAll(() => emulator.close());

const seconds = (iso: unknown) => Date.parse(String(iso)) / 1000;

/** Through the portal's webhook, which never expires however far its clock moves (tokens do). */
async function serverTime(portal: PortalInfo): Promise<number> {
  const reply = await http.get(`/rest/1/${portal.webhooks[0]!.code}/server.time`);
  expect(reply.status).toBe(200);
  return seconds(reply.body.result);
}

describe("a clock per portal", () => {
  it("moving one portal's clock moves only that portal", async () => {
    const moved = await emulator.createPortal();
    const still = await emulator.createPortal();
    const before = await http.get(`/_emulator/portals/${moved.id}/clock`);
    expect(before.body).toMatchObject({ offsetSeconds: 0, frozen: false });

    const reply = await http.call("POST", `/_emulator/portals/${moved.id}/clock`, { advanceSeconds: 86_400 });
    expect(reply.status).toBe(200);
    expect(reply.body.offsetSeconds).toBe(86_400);
    expect(seconds(reply.body.now) - seconds(before.body.now)).toBeGreaterThanOrEqual(86_400);

    // The unmoved portal is read first: time passing between the two calls (a loaded machine) can
    // only widen the gap, never shrink it below a day.
    const stillNow = await serverTime(still);
    expect((await serverTime(moved)) - stillNow).toBeGreaterThanOrEqual(86_399);
    const other = await http.get(`/_emulator/portals/${still.id}/clock`);
    expect(other.body.offsetSeconds).toBe(0);
  });

  it("sets a portal's clock to an instant, and its time blocks and message dates follow it", async () => {
    const portal = await emulator.createPortal();
    const reply = await http.call("POST", `/_emulator/portals/${portal.id}/clock`, { now: "2030-01-01T12:00:00Z" });
    expect(seconds(reply.body.now)).toBeGreaterThanOrEqual(seconds("2030-01-01T12:00:00Z"));
    expect(seconds(reply.body.now)).toBeLessThan(seconds("2030-01-01T12:01:00Z"));

    const call = await http.get(`/rest/1/${portal.webhooks[0]!.code}/server.time`);
    const time = call.body.time as { start: number; date_start: string };
    expect(time.date_start.startsWith("2030-01-01T12:0")).toBe(true);
    expect(time.start).toBeGreaterThanOrEqual(seconds("2030-01-01T12:00:00Z"));

    const said = await portal.control.userSays({ authorId: 1, dialogId: "chat5", text: "hello" });
    expect(said.message.date.startsWith("2030-01-01T12:0")).toBe(true);
  });

  it("moving the emulator's clock moves every portal, each keeping its own offset", async () => {
    const ahead = await emulator.createPortal();
    const plain = await emulator.createPortal();
    await ahead.control.moveClock({ advanceSeconds: 3_600 });
    const global = await http.get("/_emulator/clock");
    const moved = await http.call("POST", "/_emulator/clock", { advanceSeconds: 600 });
    expect(moved.body.offsetSeconds).toBe((global.body.offsetSeconds as number) + 600);
    try {
      const plainNow = seconds(plain.control.clock().now);
      const aheadNow = seconds(ahead.control.clock().now);
      expect(plainNow - seconds(global.body.now)).toBeGreaterThanOrEqual(600);
      expect(aheadNow - plainNow).toBeGreaterThanOrEqual(3_599);
      expect(aheadNow - plainNow).toBeLessThan(3_601);
    } finally {
      await http.call("POST", "/_emulator/clock", { advanceSeconds: -600 });
    }
  });

  it("an answer window closes on the portal's clock, not on another portal's", async () => {
    const late = await emulator.createPortal();
    const onTime = await emulator.createPortal();
    const answerAfterTenMinutes = async (portal: typeof late, move: boolean) => {
      const bot = portal.bots[0]!;
      // A chat of its own: the fixture's chat5 has a window that never closes.
      const chat = await portal.control.createChat({ title: "Clocked", ownerId: 1, members: [1, bot.id] });
      const dialogId = `chat${chat.id as number}`;
      const said = await portal.control.userSays({ authorId: 1, dialogId, text: "/help" });
      if (move) await portal.control.moveClock({ advanceSeconds: 601 });
      await http.call("POST", `/rest/1/${portal.webhooks[0]!.code}/imbot.v2.Command.answer`, {
        botId: bot.id, botToken: bot.botToken, commandId: 42, messageId: said.message.id, dialogId, fields: { message: "answer" },
      });
      return portal.control.messages(dialogId).filter((m) => m.text === "answer").length;
    };
    expect(await answerAfterTenMinutes(late, true)).toBe(0);
    expect(await answerAfterTenMinutes(onTime, false)).toBe(1);
  });

  it("journals the move, and refuses a bad one with CONTROL_ARGUMENT", async () => {
    const portal = await emulator.createPortal();
    await http.call("POST", `/_emulator/portals/${portal.id}/clock`, { advanceSeconds: 5 });
    expect(portal.control.journal().at(-1)).toMatchObject({ method: "emulator.clock", params: { advanceSeconds: 5 }, status: 200 });

    for (const body of [{}, { advanceSeconds: 1, now: "2030-01-01T00:00:00Z" }, { now: "tomorrow" }, { advanceSeconds: 1e15 }]) {
      const refused = await http.call("POST", `/_emulator/portals/${portal.id}/clock`, body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.body.error).toBe("CONTROL_ARGUMENT");
    }
    expect(portal.control.clock().offsetSeconds).toBe(5);
    const missing = await http.get("/_emulator/portals/nope/clock");
    expect([missing.status, missing.body.error]).toEqual([404, "PORTAL_NOT_FOUND"]);
  });

  it("fetch-mode events are forgotten after 24 hours of the portal's clock, not another's", async () => {
    const aged = await emulator.createPortal();
    const fresh = await emulator.createPortal();
    const pending = async (portal: typeof aged, move: boolean) => {
      await portal.control.userSays({ authorId: 1, dialogId: "chat5", text: "/help" });
      if (move) await portal.control.moveClock({ advanceSeconds: 24 * 3600 + 1 });
      const reply = await http.call("POST", `/rest/1/${portal.webhooks[0]!.code}/imbot.v2.Event.get`, { botId: 456, botToken: "my_bot_token" });
      return ((reply.body.result as { events: unknown[] }).events).length;
    };
    expect(await pending(aged, true)).toBe(0);
    expect(await pending(fresh, false)).toBe(1);
  });
});

describe("a portal's clock is portal state", () => {
  it("survives a restart of the file store", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "b24-emulator-clock-"));
    try {
      const first = await startEmulator({ store: "file", dataDir });
      const portal = await first.createPortal({ id: "kept" });
      await portal.control.moveClock({ advanceSeconds: 7200 });
      await first.close();
      const second = await startEmulator({ store: "file", dataDir });
      expect(second.portal("kept").clock().offsetSeconds).toBe(7200);
      await second.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it("--clock-start without --clock frozen starts the clock there and lets it run", async () => {
    const started = await startEmulator({ clockStart: "2031-06-01T12:00:00Z" });
    try {
      const now = Date.parse(started.portal().clock().now);
      expect(now).toBeGreaterThanOrEqual(Date.parse("2031-06-01T12:00:00Z"));
      expect(now).toBeLessThan(Date.parse("2031-06-01T12:10:00Z"));
      expect(started.portal().clock().frozen).toBe(false);
    } finally {
      await started.close();
    }
  });
});
