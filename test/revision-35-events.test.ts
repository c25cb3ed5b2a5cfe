import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type PortalInfo, type RunningEmulator } from "../src/index.js";
import type { PortalHandle } from "../src/control/portal-handle.js";
import { httpClient } from "./support/http-client.js";
import { useEventHandlers, type EventHandler } from "./support/v1-bot.js";
import { EVENT_TYPES } from "../src/events/types.js";

/**
 * What revision 35 changed in the events a bot receives (spec revisions.md, issue 12), seen by a bot
 * through a listening emulator: its handler's POSTs and its Event.get pages, at revision 34 and 36.
 */

let rev34: RunningEmulator;
let rev36: RunningEmulator;
beforeAll(async () => {
  [rev34, rev36] = await Promise.all([startEmulator({ restRevision: 34 }), startEmulator({ restRevision: 36 })]);
});
afterAll(async () => {
  await Promise.all([rev34, rev36].map((e) => e.close()));
});

const handler = useEventHandlers();

const hook = (portal: PortalInfo) => new URL(portal.webhookUrl as string).pathname;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- wire JSON, read the way a bot reads it
type Json = Record<string, any>;
async function call(emulator: RunningEmulator, portal: PortalInfo, method: string, params: Record<string, unknown>): Promise<Json> {
  const reply = await httpClient(emulator.httpUrl as string).call("POST", `${hook(portal)}${method}`, params);
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply.body.result as Json;
}

/** A bot registered over the incoming webhook with its own botToken, delivering to `url`. */
async function webhookBot(emulator: RunningEmulator, portal: PortalInfo, code: string, botToken: string, url: string): Promise<number> {
  const result = await call(emulator, portal, "imbot.v2.Bot.register", {
    fields: { code, botToken, properties: { name: code }, eventMode: "webhook", webhookUrl: url },
  });
  return result.bot.id as number;
}

describe("bot.appId in events (BOT-FIX-0501-3): present below revision 35, gone from 35", () => {
  it("a webhook-registered bot's POSTs name its synthetic custom app, never its botToken", async () => {
    for (const [emulator, shown] of [[rev34, true], [rev36, false]] as const) {
      const bot = await handler();
      const portal: PortalHandle = await emulator.createPortal();
      const botId = await webhookBot(emulator, portal, "appid_hook", "my-secret-token", bot.url);
      await portal.control.userSays({ authorId: 1, dialogId: String(botId), text: "hello" });
      const event = await bot.next("ONIMBOTV2MESSAGEADD");
      expect(event.form["data[bot][id]"]).toBe(String(botId));
      const registered = (await call(emulator, portal, "imbot.v2.Bot.get", { botId, botToken: "my-secret-token" })).bot;
      if (shown) {
        expect(event.form["data[bot][appId]"]).toMatch(/^custom/);
        expect(event.form["data[bot][appId]"]).toBe(registered.appId);
      } else {
        expect(event.form).not.toHaveProperty("data[bot][appId]");
        expect(registered).not.toHaveProperty("appId");
      }
      expect(Object.values(event.form)).not.toContain("my-secret-token");
    }
  });

  it("a fetch bot's Event.get bot object names its OAuth app's client id", async () => {
    for (const [emulator, shown] of [[rev34, true], [rev36, false]] as const) {
      const portal: PortalHandle = await emulator.createPortal();
      await portal.control.userSays({ authorId: 1, dialogId: "456", text: "hello" });
      const page = await call(emulator, portal, "imbot.v2.Event.get", { botId: 456, botToken: "my_bot_token" });
      const bot = page.events[0].data.bot as Json;
      expect(bot.id).toBe(456);
      if (shown) expect(bot.appId).toBe(portal.clientId);
      else expect(bot).not.toHaveProperty("appId");
    }
  });
});

/** What each path of the handler got, by event type, once every delivery under way has finished. */
async function heard(emulator: RunningEmulator, bot: EventHandler, type: string): Promise<string[]> {
  await emulator.app.runtime.dispatcher.idle();
  return bot.received.filter((e) => e.form.event === type).map((e) => e.path);
}

describe("stale ONIMBOTV2 subscriptions (BOT-FIX-0501-1): kept below revision 35, resynced from 35", () => {
  it("after Bot.update moves the webhook, the old URL keeps getting the bot's events at 34, not at 36", async () => {
    for (const [emulator, paths] of [[rev34, ["/new", "/old"]], [rev36, ["/new"]]] as const) {
      const bot = await handler();
      const portal: PortalHandle = await emulator.createPortal();
      const botId = await webhookBot(emulator, portal, "mover", "mover-token", `${bot.url}old`);
      await call(emulator, portal, "imbot.v2.Bot.update", { botId, botToken: "mover-token", fields: { webhookUrl: `${bot.url}new` } });
      await portal.control.userSays({ authorId: 1, dialogId: String(botId), text: "where are you?" });
      expect(await heard(emulator, bot, "ONIMBOTV2MESSAGEADD")).toEqual(paths);
      const copies = bot.received.filter((e) => e.form.event === "ONIMBOTV2MESSAGEADD");
      // Both copies are the same event of the same bot, signed alike.
      expect(new Set(copies.map((e) => `${e.form["data[bot][id]"]}/${e.form["data[message][id]"]}/${e.form["auth[application_token]"]}`)).size).toBe(1);
    }
  });

  it("every past URL hears it at 34: two moves, three handlers", async () => {
    const bot = await handler();
    const portal: PortalHandle = await rev34.createPortal();
    const botId = await webhookBot(rev34, portal, "nomad", "nomad-token", `${bot.url}one`);
    for (const next of ["two", "three"]) {
      await call(rev34, portal, "imbot.v2.Bot.update", { botId, botToken: "nomad-token", fields: { webhookUrl: `${bot.url}${next}` } });
    }
    await portal.control.userSays({ authorId: 1, dialogId: String(botId), text: "hi" });
    expect((await heard(rev34, bot, "ONIMBOTV2MESSAGEADD")).sort()).toEqual(["/one", "/three", "/two"]);
  });

  it("switching to fetch leaves the webhook subscribed at 34: the event is queued and still POSTed", async () => {
    for (const [emulator, paths] of [[rev34, ["/hook"]], [rev36, []]] as const) {
      const bot = await handler();
      const portal: PortalHandle = await emulator.createPortal();
      const botId = await webhookBot(emulator, portal, "fetcher", "fetcher-token", `${bot.url}hook`);
      await call(emulator, portal, "imbot.v2.Bot.update", { botId, botToken: "fetcher-token", fields: { eventMode: "fetch" } });
      await portal.control.userSays({ authorId: 1, dialogId: String(botId), text: "poll me" });
      const page = await call(emulator, portal, "imbot.v2.Event.get", { botId, botToken: "fetcher-token" });
      expect(page.events.filter((e: Json) => e.type === "ONIMBOTV2MESSAGEADD")).toHaveLength(1);
      expect(await heard(emulator, bot, "ONIMBOTV2MESSAGEADD")).toEqual(paths);
    }
  });

  it("a deleted webhook bot's handler keeps receiving at 34 (its token's next bot) until event.unbind", async () => {
    for (const [emulator, paths] of [[rev34, ["/second", "/first"]], [rev36, ["/second"]]] as const) {
      const bot = await handler();
      const portal: PortalHandle = await emulator.createPortal();
      const first = await webhookBot(emulator, portal, "first", "shared-token", `${bot.url}first`);
      await call(emulator, portal, "imbot.v2.Bot.unregister", { botId: first, botToken: "shared-token" });
      expect(await heard(emulator, bot, "ONIMBOTV2DELETE")).toEqual(["/first"]);

      const second = await webhookBot(emulator, portal, "second", "shared-token", `${bot.url}second`);
      await portal.control.userSays({ authorId: 1, dialogId: String(second), text: "anyone?" });
      expect(await heard(emulator, bot, "ONIMBOTV2MESSAGEADD")).toEqual(paths);
    }
  });

  it("event.unbind with the bot's app token removes the kept subscription, counted; the current one stays", async () => {
    const bot = await handler();
    const portal: PortalHandle = await rev34.createPortal();
    const first = await webhookBot(rev34, portal, "first", "shared-token", `${bot.url}first`);
    await call(rev34, portal, "imbot.v2.Bot.unregister", { botId: first, botToken: "shared-token" });
    const second = await webhookBot(rev34, portal, "second", "shared-token", `${bot.url}second`);
    await portal.control.userSays({ authorId: 1, dialogId: String(second), text: "one" });
    const event = await bot.next("ONIMBOTV2MESSAGEADD");
    const token = event.form["data[bot][auth][access_token]"];

    const rest = httpClient(rev34.httpUrl as string);
    const unbind = (handlerUrl: string) => rest.call("POST", "/rest/event.unbind", { auth: token, event: "onimbotv2messageadd", handler: handlerUrl });
    expect(await unbind(`${bot.url}second`)).toMatchObject({ status: 200, body: { result: { count: 0 } } });
    expect(await unbind(`${bot.url}first`)).toMatchObject({ status: 200, body: { result: { count: 1 } } });
    expect(await unbind(`${bot.url}first`)).toMatchObject({ status: 200, body: { result: { count: 0 } } });

    expect(await heard(rev34, bot, "ONIMBOTV2MESSAGEADD")).toEqual(["/second", "/first"]);
    await portal.control.userSays({ authorId: 1, dialogId: String(second), text: "two" });
    expect((await heard(rev34, bot, "ONIMBOTV2MESSAGEADD")).slice(2)).toEqual(["/second"]);
    // Only MESSAGEADD was unbound: the deleted bot's handler still hears the other types.
    await call(rev34, portal, "imbot.v2.Bot.unregister", { botId: second, botToken: "shared-token" });
    expect(await heard(rev34, bot, "ONIMBOTV2DELETE")).toEqual(["/first", "/second", "/first"]);
  });

  it("from 35 an OAuth app with several bots keeps the old subscriptions (no resync)", async () => {
    const bot = await handler();
    const portal: PortalHandle = await rev36.createPortal();
    const oauth = (method: string, params: Record<string, unknown>) =>
      httpClient(rev36.httpUrl as string).call("POST", `/rest/${method}`, { auth: portal.accessToken, ...params });
    const register = async (code: string, path: string) =>
      ((await oauth("imbot.v2.Bot.register", { fields: { code, properties: { name: code }, eventMode: "webhook", webhookUrl: `${bot.url}${path}` } })).body.result as Json).bot.id as number;
    const botId = await register("app_one", "one");
    await register("app_two", "two");
    expect((await oauth("imbot.v2.Bot.update", { botId, fields: { webhookUrl: `${bot.url}moved` } })).status).toBe(200);
    await portal.control.userSays({ authorId: 1, dialogId: String(botId), text: "hi" });
    expect(await heard(rev36, bot, "ONIMBOTV2MESSAGEADD")).toEqual(["/moved", "/one"]);
  });
});

/** event.get as a bot's app reads it (its ONIMBOTV2* subscriptions), compared with where the events go. */
type Binding = { event: string; handler: string; auth_type: string; offline: number };

const rowsAt = (url: string): Binding[] => EVENT_TYPES.map((event) => ({ event, handler: url, auth_type: "0", offline: 0 }));

/** The bot's app token, as its handler finds it in an event, after a person greets the bot. */
async function appTokenOf(portal: PortalHandle, bot: EventHandler, botId: number): Promise<string> {
  const after = bot.received.length;
  const said = await portal.control.userSays({ authorId: 1, dialogId: String(botId), text: "hello" });
  const event = await bot.next("ONIMBOTV2MESSAGEADD", after);
  expect(event.form["data[message][id]"]).toBe(String(said.message.id));
  return event.form["data[bot][auth][access_token]"]!;
}

async function eventGet(emulator: RunningEmulator, token: string): Promise<Binding[]> {
  const reply = await httpClient(emulator.httpUrl as string).call("POST", "/rest/event.get", { auth: token });
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply.body.result as unknown as Binding[];
}

describe("event.get lists the ONIMBOTV2* subscriptions that receive the events", () => {
  it("a webhook bot's current eight; after Bot.update at 34 the kept old URL too, and both get the events", async () => {
    const bot = await handler();
    const portal: PortalHandle = await rev34.createPortal();
    const botId = await webhookBot(rev34, portal, "mover", "mover-token", `${bot.url}old`);
    const token = await appTokenOf(portal, bot, botId);
    expect(await eventGet(rev34, token)).toEqual(rowsAt(`${bot.url}old`));

    await call(rev34, portal, "imbot.v2.Bot.update", { botId, botToken: "mover-token", fields: { webhookUrl: `${bot.url}new` } });
    const listed = await eventGet(rev34, token);
    expect(listed).toHaveLength(16);
    expect(listed).toEqual(expect.arrayContaining([...rowsAt(`${bot.url}new`), ...rowsAt(`${bot.url}old`)]));

    const before = bot.received.length;
    await portal.control.userSays({ authorId: 1, dialogId: String(botId), text: "where are you?" });
    expect((await heard(rev34, bot, "ONIMBOTV2MESSAGEADD")).slice(1).sort()).toEqual(["/new", "/old"]);
    expect(bot.received.length).toBe(before + 2);
  });

  it("event.unbind of a kept one takes it off the list and off the deliveries; the current one stays on both", async () => {
    const bot = await handler();
    const portal: PortalHandle = await rev34.createPortal();
    const botId = await webhookBot(rev34, portal, "unbinder", "unbinder-token", `${bot.url}old`);
    const token = await appTokenOf(portal, bot, botId);
    await call(rev34, portal, "imbot.v2.Bot.update", { botId, botToken: "unbinder-token", fields: { webhookUrl: `${bot.url}new` } });

    const unbind = (url: string) => httpClient(rev34.httpUrl as string).call("POST", "/rest/event.unbind", { auth: token, event: "ONIMBOTV2MESSAGEADD", handler: url });
    expect(await unbind(`${bot.url}old`)).toMatchObject({ status: 200, body: { result: { count: 1 } } });
    expect(await unbind(`${bot.url}new`)).toMatchObject({ status: 200, body: { result: { count: 0 } } });
    const listed = await eventGet(rev34, token);
    expect(listed).toHaveLength(15);
    expect(listed).not.toContainEqual({ event: "ONIMBOTV2MESSAGEADD", handler: `${bot.url}old`, auth_type: "0", offline: 0 });
    expect(listed).toContainEqual({ event: "ONIMBOTV2MESSAGEADD", handler: `${bot.url}new`, auth_type: "0", offline: 0 });
    expect(listed).toContainEqual({ event: "ONIMBOTV2MESSAGEUPDATE", handler: `${bot.url}old`, auth_type: "0", offline: 0 });

    await portal.control.userSays({ authorId: 1, dialogId: String(botId), text: "only the new one" });
    expect((await heard(rev34, bot, "ONIMBOTV2MESSAGEADD")).slice(1)).toEqual(["/new"]);
  });

  it("at 36 Bot.update resyncs: only the new URL is listed, as only it hears the events", async () => {
    const bot = await handler();
    const portal: PortalHandle = await rev36.createPortal();
    const botId = await webhookBot(rev36, portal, "mover36", "mover36-token", `${bot.url}old`);
    const token = await appTokenOf(portal, bot, botId);
    await call(rev36, portal, "imbot.v2.Bot.update", { botId, botToken: "mover36-token", fields: { webhookUrl: `${bot.url}new` } });
    expect(await eventGet(rev36, token)).toEqual(rowsAt(`${bot.url}new`));
    await portal.control.userSays({ authorId: 1, dialogId: String(botId), text: "new only" });
    expect((await heard(rev36, bot, "ONIMBOTV2MESSAGEADD")).slice(1)).toEqual(["/new"]);
  });

  it("at 34 the next bot of a deleted bot's botToken lists what the deleted one left, which it also hears", async () => {
    const bot = await handler();
    const portal: PortalHandle = await rev34.createPortal();
    const first = await webhookBot(rev34, portal, "first", "shared-token", `${bot.url}first`);
    await call(rev34, portal, "imbot.v2.Bot.unregister", { botId: first, botToken: "shared-token" });
    const second = await webhookBot(rev34, portal, "second", "shared-token", `${bot.url}second`);
    const token = await appTokenOf(portal, bot, second);
    expect(await heard(rev34, bot, "ONIMBOTV2MESSAGEADD")).toEqual(["/second", "/first"]);
    const listed = await eventGet(rev34, token);
    expect(listed).toHaveLength(16);
    expect(listed).toEqual(expect.arrayContaining([...rowsAt(`${bot.url}second`), ...rowsAt(`${bot.url}first`)]));
  });

  it("a fetch-mode app lists no ONIMBOTV2* subscription", async () => {
    const portal: PortalHandle = await rev36.createPortal();
    expect(await eventGet(rev36, portal.accessToken as string)).toEqual([]);
  });
});
