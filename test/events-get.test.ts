import { beforeEach, describe, expect, it } from "vitest";
import { createEmulator, type EmulatorApp } from "../src/index.js";
import type { FixtureInput } from "../src/index.js";
import type { Portal, StoredEvent } from "../src/store/state.js";
import { testFixture } from "./support/fixtures.js";
import { expectRefusal, restClient, snapshot } from "./support/rest-client.js";

const WEBHOOK = "/rest/1/emulator/imbot.v2.Event.get";
const OAUTH = "/rest/imbot.v2.Event.get";
const IMBOT_ONLY_WEBHOOK = "/rest/1/imbot-only/imbot.v2.Event.get";
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$/;
const MENTION = "[USER=456]Support Bot[/USER]";

/** The test fixture plus a webhook without `im`, and a bot in webhook event mode. */
function fixture(): FixtureInput {
  const base = testFixture();
  return {
    ...base,
    webhooks: [...(base.webhooks ?? []), { userId: 1, code: "imbot-only", scopes: ["imbot"] }],
    bots: [
      ...(base.bots ?? []),
      {
        id: 458,
        code: "hook_bot",
        name: "Hook Bot",
        eventMode: "webhook",
        webhookUrl: "http://127.0.0.1:9/hook",
        botToken: "hook_bot_token",
      },
    ],
  };
}

let app: EmulatorApp;
let client: ReturnType<typeof restClient>;
const portal = (): Portal => app.store.state.portals.default!;
/** Puts `count` MESSAGEADD events (ids 1..count) straight into bot 456's queue. */
function queueEvents(count: number): StoredEvent[] {
  const stored = Array.from({ length: count }, (_, i): StoredEvent => ({
    eventId: i + 1,
    botId: 456,
    type: "ONIMBOTV2MESSAGEADD",
    date: "2026-05-14T10:26:32.000Z",
    data: { bot: { id: 456, code: "support_bot", type: "bot", eventMode: "fetch" } },
  }));
  portal().events.push(...stored);
  portal().seq.event = count;
  return stored;
}

/** The bot's queue as the control API shows it: confirmed events are gone. */
const eventsOf = (botId: number): readonly StoredEvent[] => app.portal().events(botId);

/** Queued events live 24 hours: the clock stands within a day of the dates queueEvents writes. */
const QUEUE_DAY = () => new Date("2026-05-14T12:00:00Z");

beforeEach(() => {
  app = createEmulator({ fixture: fixture(), clock: QUEUE_DAY });
  client = restClient(app);
});

const poll = (params: Record<string, unknown> = {}) => client.post(WEBHOOK, { botId: 456, botToken: "my_bot_token", ...params });

/** What the tests read of an event's data (the schema in openapi.yaml checks the rest). */
interface EventData {
  bot: Record<string, unknown>;
  command: { id: number; command: string; params: string; context: string };
  message: { id: number; text: string };
  chat: { dialogId: string };
  user: { id: number };
  language: string;
}

interface Page {
  events: { eventId: number; type: string; date: string; data: EventData }[];
  nextOffset: number;
  hasMore: boolean;
}

async function page(params: Record<string, unknown> = {}): Promise<Page> {
  const reply = await poll(params);
  expect(reply.status).toBe(200);
  return reply.body.result as Page;
}

/** Three events for bot 456, in order: COMMANDADD, MESSAGEADD (mention), COMMANDADD. */
async function threeEvents(): Promise<number[]> {
  await app.portal().userSays({ authorId: 1, dialogId: "chat5", text: "/help one" });
  await app.portal().userSays({ authorId: 1, dialogId: "chat5", text: `${MENTION} are you there?` });
  await app.portal().userSays({ authorId: 1, dialogId: "chat5", text: "/help three" });
  const ids = eventsOf(456).map((e) => e.eventId);
  expect(ids).toHaveLength(3);
  return ids;
}

async function expectRefused(url: string, params: Record<string, unknown>, code: string, status: number) {
  await expectRefusal(app, url, params, code, status);
}

describe("a fetch bot reads a typed command from its queue", () => {
  it("gets ONIMBOTV2COMMANDADD with the command, message, chat, user and portal language", async () => {
    const said = await app.portal().userSays({ authorId: 1, dialogId: "chat5", text: "/help please" });
    const result = await page();

    expect(result.events).toHaveLength(1); // not mentioned in a group chat: no MESSAGEADD for a `bot`
    const [event] = result.events;
    const stored = eventsOf(456)[0]!;
    expect(event).toMatchObject({ eventId: stored.eventId, type: "ONIMBOTV2COMMANDADD" });
    expect(event!.date).toMatch(ISO_WITH_OFFSET);
    expect(Date.parse(event!.date)).toBe(Math.floor(Date.parse(stored.date) / 1000) * 1000);

    const data = event!.data;
    expect(data.bot).toMatchObject({ id: 456, code: "support_bot", type: "bot", eventMode: "fetch", moduleId: "rest", countCommand: 1 });
    expect(data.bot).not.toHaveProperty("auth");
    expect(data.command).toEqual({ id: 42, command: "/help", params: "please", context: "textarea" });
    expect(data.message.id).toBe(said.message.id);
    expect(data.message.text).toBe("/help please");
    expect(data.chat.dialogId).toBe("chat5");
    expect(data.user.id).toBe(1);
    expect(data.language).toBe("en");
    expect(Object.keys(data).sort()).toEqual(["bot", "chat", "command", "language", "message", "user"]);

    expect(result.nextOffset).toBe(stored.eventId + 1);
    expect(result.hasMore).toBe(false);
  });

  it("answers the command with the ids the event carried", async () => {
    await app.portal().userSays({ authorId: 1, dialogId: "chat5", text: "/help" });
    const [event] = (await page()).events;
    const reply = await client.post("/rest/1/emulator/imbot.v2.Command.answer", {
      botId: 456,
      botToken: "my_bot_token",
      commandId: event!.data.command.id,
      messageId: event!.data.message.id,
      dialogId: event!.data.chat.dialogId,
      fields: { message: "Here you go" },
    });
    expect(reply.status).toBe(200);
    expect(Object.values(portal().messages).at(-1)).toMatchObject({ chatId: 5, authorId: 456, text: "Here you go" });
  });

  it("reads the same queue through OAuth with the app's token and no botToken", async () => {
    await app.portal().userSays({ authorId: 1, dialogId: "chat5", text: "/help" });
    const reply = await client.post(OAUTH, { auth: "emulator-token", botId: 456 });
    expect(reply.status).toBe(200);
    expect((reply.body.result as Page).events.map((e) => e.type)).toEqual(["ONIMBOTV2COMMANDADD"]);
  });

  it("accepts a PHP-style form body with every value a string", async () => {
    const ids = await threeEvents();
    const reply = await client.post(WEBHOOK, { botId: "456", botToken: "my_bot_token", offset: String(ids[1]), limit: "1", withUserEvents: "N" }, "form");
    expect(reply.status).toBe(200);
    const result = reply.body.result as Page;
    expect(result.events.map((e) => e.eventId)).toEqual([ids[1]]);
    expect(result).toMatchObject({ nextOffset: ids[1]! + 1, hasMore: true });
  });
});

describe("delivery is at-least-once until the client confirms with offset", () => {
  it("returns the same events again when no offset is sent, and changes nothing", async () => {
    const ids = await threeEvents();
    const before = snapshot(app);
    const first = await page();
    const second = await page();
    expect(first.events.map((e) => e.eventId)).toEqual(ids);
    expect(second).toEqual(first);
    expect(first).toMatchObject({ nextOffset: ids[2]! + 1, hasMore: false });
    expect(snapshot(app)).toBe(before);
  });

  it("deletes for good every event of the bot below the offset, then reads on", async () => {
    const ids = await threeEvents();
    const result = await page({ offset: ids[1] });
    expect(result.events.map((e) => e.eventId)).toEqual([ids[1], ids[2]]);
    expect(eventsOf(456).map((e) => e.eventId)).toEqual([ids[1], ids[2]]);
    expect(portal().eventCursor?.[456]).toBe(ids[1]);

    const again = await page();
    expect(again.events.map((e) => e.eventId)).toEqual([ids[1], ids[2]]);
  });

  it("answers an empty page with the offset sent once everything is confirmed", async () => {
    const ids = await threeEvents();
    const { nextOffset } = await page();
    const confirmed = await page({ offset: nextOffset });
    expect(confirmed).toEqual({ events: [], nextOffset, hasMore: false });
    expect(eventsOf(456)).toEqual([]);
    expect(nextOffset).toBe(ids[2]! + 1);
  });

  it("answers an empty page with nextOffset = the offset sent, 0 without one (as the portal's EventService)", async () => {
    expect(await page()).toEqual({ events: [], nextOffset: 0, hasMore: false });
    const ids = await threeEvents();
    await page({ offset: ids[2]! + 1 });
    expect(await page()).toEqual({ events: [], nextOffset: 0, hasMore: false });
    // A smaller offset later is echoed, but does not move the confirmation back.
    expect(await page({ offset: 1 })).toEqual({ events: [], nextOffset: 1, hasMore: false });
    expect(portal().eventCursor?.[456]).toBe(ids[2]! + 1);
    expect(await page()).toEqual({ events: [], nextOffset: 0, hasMore: false });
  });

  it("keeps nextOffset at the last returned id + 1 when hasMore is false", async () => {
    const ids = await threeEvents();
    const result = await page({ offset: ids[2] });
    expect(result).toMatchObject({ nextOffset: ids[2]! + 1, hasMore: false });
    expect(result.events.map((e) => e.eventId)).toEqual([ids[2]]);
  });

  it("treats an offset of 0 or below as no offset: nothing confirmed", async () => {
    const ids = await threeEvents();
    for (const offset of [0, "0", -5]) {
      const result = await page({ offset });
      expect(result.events.map((e) => e.eventId)).toEqual(ids);
    }
    expect(portal().eventCursor).toBeUndefined();
  });

  it('refuses an offset or limit that is not an integer with the binder\'s "100", confirming nothing', async () => {
    const ids = await threeEvents();
    const before = snapshot(app);
    for (const [name, value] of [["offset", "abc"], ["limit", "ten"], ["offset", "2x"]] as const) {
      const reply = await expectRefusal(app, WEBHOOK, { botId: 456, botToken: "my_bot_token", [name]: value }, "100", 400);
      expect(reply.body.error_description).toBe(`Invalid value {${value}} to match with parameter {${name}}. Should be value of type int.`);
    }
    expect(snapshot(app)).toBe(before);
    expect((await page({ offset: "2" })).events.map((e) => e.eventId)).toEqual(ids.slice(1));
  });

  it("never touches another bot's events", async () => {
    await app.portal().userSays({ authorId: 1, dialogId: "457", text: "hello other bot" });
    const ids = await threeEvents();
    const foreign = eventsOf(457);
    expect(foreign.length).toBeGreaterThan(0);
    expect(foreign.every((e) => e.eventId < ids[0]!)).toBe(true);

    await page({ offset: ids[2]! + 1 });
    expect(eventsOf(456)).toEqual([]);
    expect(eventsOf(457)).toEqual(foreign);

    const other = await client.post(OAUTH, { auth: "other-token", botId: 457 });
    expect((other.body.result as Page).events.map((e) => e.eventId)).toEqual(foreign.map((e) => e.eventId));
  });
});

describe("paging", () => {
  it("returns at most limit events, oldest first, with hasMore while more wait", async () => {
    const ids = await threeEvents();
    const first = await page({ limit: 2 });
    expect(first.events.map((e) => e.eventId)).toEqual([ids[0], ids[1]]);
    expect(first).toMatchObject({ nextOffset: ids[1]! + 1, hasMore: true });
    expect(first.events.map((e) => e.type)).toEqual(["ONIMBOTV2COMMANDADD", "ONIMBOTV2MESSAGEADD"]);

    const second = await page({ limit: 2, offset: first.nextOffset });
    expect(second.events.map((e) => e.eventId)).toEqual([ids[2]]);
    expect(second).toMatchObject({ nextOffset: ids[2]! + 1, hasMore: false });
    expect(eventsOf(456).map((e) => e.eventId)).toEqual([ids[2]]);
  });

  it("keeps confirmed events out of every answer, and out of storage once they are most of it", async () => {
    queueEvents(600);
    await page({ offset: 11, limit: 1 });
    expect(eventsOf(456)).toHaveLength(590);
    expect(portal().events).toHaveLength(600); // 10 confirmed: not worth rewriting the stored list yet
    const rest = await page({ offset: 401, limit: 1000 });
    expect(rest.events.map((e) => e.eventId)).toEqual(Array.from({ length: 200 }, (_, i) => i + 401));
    expect(portal().events.map((e) => e.eventId)).toEqual(Array.from({ length: 200 }, (_, i) => i + 401));
  });

  it("clamps limit into 1..1000 and defaults to 100", async () => {
    const stored = queueEvents(1005);

    const byDefault = await page();
    expect(byDefault.events).toHaveLength(100);
    expect(byDefault).toMatchObject({ nextOffset: 101, hasMore: true });
    expect((await page({ limit: 5000 })).events).toHaveLength(1000);
    expect((await page({ limit: 1000 })).events).toHaveLength(1000);
    expect((await page({ limit: 0 })).events).toHaveLength(1);
    expect((await page({ limit: -3 })).events).toHaveLength(1);
    expect((await page({ limit: "7" })).events).toHaveLength(7);
    const all = await page({ limit: 1000, offset: 6 });
    expect(all.events).toHaveLength(1000);
    // hasMore means "the page is full": true on an exactly full last page; the next page is empty.
    expect(all).toMatchObject({ nextOffset: 1006, hasMore: true });
    expect(await page({ offset: 1006 })).toEqual({ events: [], nextOffset: 1006, hasMore: false });
    expect(all.events[0]).toEqual({ eventId: 6, type: "ONIMBOTV2MESSAGEADD", date: "2026-05-14T10:26:32+00:00", data: stored[5]!.data });
  });
});

describe("events live 24 hours", () => {
  it("drops events raised more than 24 hours ago, read or not; younger ones stay", async () => {
    let now = new Date("2026-06-01T10:00:00Z");
    app = createEmulator({ fixture: testFixture(), clock: () => now });
    client = restClient(app);
    await app.portal().userSays({ authorId: 1, dialogId: "chat5", text: "/help old" });
    now = new Date("2026-06-02T09:00:00Z");
    await app.portal().userSays({ authorId: 1, dialogId: "chat5", text: "/help young" });
    expect((await page()).events.map((e) => e.data.command.params)).toEqual(["old", "young"]);
    now = new Date("2026-06-02T10:00:01Z");
    const later = await page();
    expect(later.events.map((e) => e.data.command.params)).toEqual(["young"]);
    expect(eventsOf(456)).toHaveLength(1);
  });
});

describe("user events and webhook-mode bots", () => {
  it("adds no user events for withUserEvents when the caller has the im scope", async () => {
    const ids = await threeEvents();
    const result = await page({ withUserEvents: true });
    expect(result.events.map((e) => e.eventId)).toEqual(ids);
  });

  it("gives a bot in webhook event mode an empty page and leaves its leftovers alone", async () => {
    const leftover: StoredEvent = { eventId: 1, botId: 458, type: "ONIMBOTV2JOINCHAT", date: new Date().toISOString(), data: {} };
    portal().events.push(leftover);
    portal().seq.event = 1;
    const params = { botId: 458, botToken: "hook_bot_token" };
    expect((await client.post(WEBHOOK, params)).body.result).toEqual({ events: [], nextOffset: 0, hasMore: false });
    expect((await client.post(WEBHOOK, { ...params, offset: 5 })).body.result).toEqual({ events: [], nextOffset: 5, hasMore: false });
    expect(portal().events).toEqual([leftover]);
  });
});

describe("refusals", () => {
  it("BOT_TOKEN_NOT_SPECIFIED (400): webhook call without botToken", async () => {
    await threeEvents();
    await expectRefused(WEBHOOK, { botId: 456, offset: 1000 }, "BOT_TOKEN_NOT_SPECIFIED", 400);
    await expectRefused(WEBHOOK, { botId: 456, botToken: "  ", offset: 1000 }, "BOT_TOKEN_NOT_SPECIFIED", 400);
  });

  it("BOT_ID_REQUIRED (400): botId missing, zero or not a number", async () => {
    for (const botId of [undefined, 0, "abc"]) {
      await expectRefused(WEBHOOK, { botId, botToken: "my_bot_token" }, "BOT_ID_REQUIRED", 400);
    }
    await expectRefused(OAUTH, { auth: "emulator-token" }, "BOT_ID_REQUIRED", 400);
  });

  it("BOT_NOT_FOUND (400): no such bot", async () => {
    await expectRefused(WEBHOOK, { botId: 999, botToken: "my_bot_token" }, "BOT_NOT_FOUND", 400);
  });

  it("BOT_OWNERSHIP_ERROR (400): another app's token or another bot's botToken, and nothing is confirmed", async () => {
    await threeEvents();
    await expectRefused(OAUTH, { auth: "other-token", botId: 456, offset: 1000 }, "BOT_OWNERSHIP_ERROR", 400);
    await expectRefused(WEBHOOK, { botId: 456, botToken: "other_bot_token", offset: 1000 }, "BOT_OWNERSHIP_ERROR", 400);
    expect(eventsOf(456)).toHaveLength(3);
  });

  it("SCOPE_ERROR (400): withUserEvents from a caller without the im scope", async () => {
    await threeEvents();
    await expectRefused(IMBOT_ONLY_WEBHOOK, { botId: 456, botToken: "my_bot_token", offset: 1000, withUserEvents: "Y" }, "SCOPE_ERROR", 400);
    const reply = await client.post(IMBOT_ONLY_WEBHOOK, { botId: 456, botToken: "my_bot_token", withUserEvents: "N" });
    expect(reply.status).toBe(200);
  });

  it("insufficient_scope (403), NO_AUTH_FOUND (401) and expired_token (401) come before the bot checks", async () => {
    await expectRefused("/rest/2/im-only/imbot.v2.Event.get", { botId: 456, botToken: "my_bot_token" }, "insufficient_scope", 403);
    await expectRefused(OAUTH, { auth: "im-only-token", botId: 456 }, "insufficient_scope", 403);
    await expectRefused("/rest/1/wrong-code/imbot.v2.Event.get", { botId: 456, botToken: "my_bot_token" }, "NO_AUTH_FOUND", 401);
    await expectRefused(OAUTH, { auth: "stale-token", botId: 456 }, "expired_token", 401);
  });
});

describe("the legacy lastEventId (eventGetLegacy)", () => {
  it("is absent by default and present, next to nextOffset, with the switch", async () => {
    await app.portal().userSays({ authorId: 1, dialogId: "chat5", text: "/help" });
    const plain = await client.post("/rest/1/emulator/imbot.v2.Event.get", { botId: 456, botToken: "my_bot_token" });
    expect(plain.body.result).not.toHaveProperty("lastEventId");

    app = createEmulator({ fixture: fixture(), eventGetLegacy: true });
    client = restClient(app);
    const said = await app.portal().userSays({ authorId: 1, dialogId: "chat5", text: "/help" });
    const legacy = (await client.post("/rest/1/emulator/imbot.v2.Event.get", { botId: 456, botToken: "my_bot_token" })).body.result as {
      lastEventId: number;
      nextOffset: number;
    };
    expect(legacy.lastEventId).toBe(said.events.at(-1)!.eventId);
    expect(legacy.nextOffset).toBe(legacy.lastEventId + 1);
    const empty = (await client.post("/rest/1/emulator/imbot.v2.Event.get", { botId: 456, botToken: "my_bot_token", offset: legacy.nextOffset })).body.result;
    expect(empty).toMatchObject({ events: [], lastEventId: null });
  });
});
