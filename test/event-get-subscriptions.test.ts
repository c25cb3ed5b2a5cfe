import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type PortalInfo, type RunningEmulator } from "../src/index.js";
import type { PortalHandle } from "../src/control/portal-handle.js";
import { httpClient } from "./support/http-client.js";
import { useEventHandlers, type EventHandler } from "./support/v1-bot.js";

/**
 * event.get lists an app's ONIMBOTV2* subscriptions as they are delivered: its webhook bot's current
 * eight and, below revision 35, those kept from earlier handlers (spec revisions.md BOT-FIX-0501-1),
 * which event.unbind removes. Checked against what a listening handler receives, at 34 and 36.
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
type Binding = { event: string; handler: string; auth_type: string; offline: number };

const V2_EVENTS = [
  "ONIMBOTV2MESSAGEADD",
  "ONIMBOTV2MESSAGEUPDATE",
  "ONIMBOTV2MESSAGEDELETE",
  "ONIMBOTV2JOINCHAT",
  "ONIMBOTV2DELETE",
  "ONIMBOTV2CONTEXTGET",
  "ONIMBOTV2COMMANDADD",
  "ONIMBOTV2REACTIONCHANGE",
];
const rowsAt = (url: string): Binding[] => V2_EVENTS.map((event) => ({ event, handler: url, auth_type: "0", offline: 0 }));

function client(emulator: RunningEmulator) {
  return httpClient(emulator.httpUrl as string);
}

async function webhookCall(emulator: RunningEmulator, portal: PortalInfo, method: string, params: Record<string, unknown>): Promise<void> {
  const reply = await client(emulator).call("POST", `${new URL(portal.webhookUrl as string).pathname}${method}`, params);
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
}

async function registerAt(emulator: RunningEmulator, portal: PortalInfo, code: string, botToken: string, url: string): Promise<number> {
  const reply = await client(emulator).call("POST", `${new URL(portal.webhookUrl as string).pathname}imbot.v2.Bot.register`, {
    fields: { code, botToken, properties: { name: code }, eventMode: "webhook", webhookUrl: url },
  });
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return (reply.body.result as { bot: { id: number } }).bot.id;
}

/** The bot's app token, as its handler finds it in an event, after a person greets the bot. */
async function appTokenOf(portal: PortalHandle, bot: EventHandler, botId: number): Promise<string> {
  const after = bot.received.length;
  const said = await portal.control.userSays({ authorId: 1, dialogId: String(botId), text: "hello" });
  const event = await bot.next("ONIMBOTV2MESSAGEADD", after);
  expect(event.form["data[message][id]"]).toBe(String(said.message.id));
  return event.form["data[bot][auth][access_token]"]!;
}

async function eventGet(emulator: RunningEmulator, token: string): Promise<Binding[]> {
  const reply = await client(emulator).call("POST", "/rest/event.get", { auth: token });
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply.body.result as unknown as Binding[];
}

/** The paths that got `type`, once every delivery under way has finished. */
async function heard(emulator: RunningEmulator, bot: EventHandler, type: string): Promise<string[]> {
  await emulator.app.runtime.dispatcher.idle();
  return bot.received.filter((e) => e.form.event === type).map((e) => e.path);
}

describe("event.get lists the ONIMBOTV2* subscriptions that receive the events", () => {
  it("a webhook bot's current eight; after Bot.update at 34 the kept old URL too, and both get the events", async () => {
    const bot = await handler();
    const portal: PortalHandle = await rev34.createPortal();
    const botId = await registerAt(rev34, portal, "mover", "mover-token", `${bot.url}old`);
    const token = await appTokenOf(portal, bot, botId);
    expect(await eventGet(rev34, token)).toEqual(rowsAt(`${bot.url}old`));

    await webhookCall(rev34, portal, "imbot.v2.Bot.update", { botId, botToken: "mover-token", fields: { webhookUrl: `${bot.url}new` } });
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
    const botId = await registerAt(rev34, portal, "unbinder", "unbinder-token", `${bot.url}old`);
    const token = await appTokenOf(portal, bot, botId);
    await webhookCall(rev34, portal, "imbot.v2.Bot.update", { botId, botToken: "unbinder-token", fields: { webhookUrl: `${bot.url}new` } });

    const unbind = (url: string) => client(rev34).call("POST", "/rest/event.unbind", { auth: token, event: "ONIMBOTV2MESSAGEADD", handler: url });
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
    const botId = await registerAt(rev36, portal, "mover36", "mover36-token", `${bot.url}old`);
    const token = await appTokenOf(portal, bot, botId);
    await webhookCall(rev36, portal, "imbot.v2.Bot.update", { botId, botToken: "mover36-token", fields: { webhookUrl: `${bot.url}new` } });
    expect(await eventGet(rev36, token)).toEqual(rowsAt(`${bot.url}new`));
    await portal.control.userSays({ authorId: 1, dialogId: String(botId), text: "new only" });
    expect((await heard(rev36, bot, "ONIMBOTV2MESSAGEADD")).slice(1)).toEqual(["/new"]);
  });

  it("at 34 the next bot of a deleted bot's botToken lists what the deleted one left, which it also hears", async () => {
    const bot = await handler();
    const portal: PortalHandle = await rev34.createPortal();
    const first = await registerAt(rev34, portal, "first", "shared-token", `${bot.url}first`);
    await webhookCall(rev34, portal, "imbot.v2.Bot.unregister", { botId: first, botToken: "shared-token" });
    const second = await registerAt(rev34, portal, "second", "shared-token", `${bot.url}second`);
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
