import { describe, expect, it } from "vitest";
import type { PortalHandle } from "../src/control/portal-handle.js";
import { httpClient } from "./support/http-client.js";
import { expectMatchesOpenApi } from "./support/openapi.js";
import { useListeningEmulator, type EventHandler, type ReceivedEvent } from "./support/v1-bot.js";

/**
 * Uninstalling an app through the control API, the end of its life on a portal (spec oauth.md §7,
 * OPEN-O5): the install handler hears ONAPPUNINSTALL, the app's tokens die, its bots go as
 * imbot.unregister makes them go, and the app can be installed again.
 */

const { emulator: running, handler } = useListeningEmulator();
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- wire JSON, read the way a test reads it
type Json = Record<string, any>;
const http = () => httpClient(running().httpUrl as string);
const appsOf = (portal: PortalHandle) => `/_emulator/portals/${portal.id}/apps`;
const install = async (portal: PortalHandle, app: EventHandler, body: Record<string, unknown> = {}) => {
  const installed = await http().call("POST", appsOf(portal), { installHandler: `${app.url}install`, ...body });
  expect(installed.status).toBe(200);
  return installed.body as Json;
};
const uninstall = (portal: PortalHandle, clientId: string, query = "") =>
  http().call("DELETE", `${appsOf(portal)}/${encodeURIComponent(clientId)}${query}`);
const rest = (method: string, params: Record<string, unknown>) => http().call("POST", `/rest/${method}`, params);
/** The first event of `type` that arrives at the handler and fits (bots' events travel in parallel). */
async function arrival(app: EventHandler, type: string, fits: (event: ReceivedEvent) => boolean): Promise<ReceivedEvent> {
  for (let after = 0; ; ) {
    const event = await app.next(type, after);
    if (fits(event)) return event;
    after = app.received.indexOf(event) + 1;
  }
}
const info = async (portal: PortalHandle) => (await http().get(`/_emulator/portals/${portal.id}`)).body as Json;

describe("DELETE /_emulator/portals/{id}/apps/{clientId}: ONAPPUNINSTALL at the install handler", () => {
  it("sends the documented form: data[LANGUAGE_ID] and data[CLEAN], an auth block without any token", async () => {
    const app = await handler();
    const portal = await running().createPortal();
    const installed = await install(portal, app);

    const answer = await uninstall(portal, installed.clientId as string, "?clean=1");
    expect(answer).toMatchObject({ status: 200, body: { clientId: installed.clientId, clean: true, unregisteredBots: [] } });
    const event = await app.next("ONAPPUNINSTALL");
    expect(event.path).toBe("/install");
    expect(event.contentType).toBe("application/x-www-form-urlencoded");
    const base = running().httpUrl as string;
    expect(event.form).toMatchObject({
      event: "ONAPPUNINSTALL",
      "data[LANGUAGE_ID]": "en",
      "data[CLEAN]": "1",
      "auth[domain]": portal.domain,
      "auth[server_endpoint]": `${base}/oauth-server/rest/`,
      "auth[client_endpoint]": `${base}/rest/`,
      "auth[member_id]": portal.memberId,
      "auth[application_token]": installed.applicationToken,
    });
    expect(Object.keys(event.form).filter((key) => key.startsWith("auth[")).sort()).toEqual(
      ["auth[application_token]", "auth[client_endpoint]", "auth[domain]", "auth[member_id]", "auth[server_endpoint]"],
    );
    expect(Number(event.form.event_handler_id)).toBeGreaterThan(0);
    expect(Number(event.form.ts)).toBeGreaterThan(0);

    const body = answer.body as Json;
    expect(body.event).toMatchObject({ type: "ONAPPUNINSTALL", botId: 0, mode: "webhook" });
    expect(body.events).toEqual([body.event]);
    const journal = (await http().get(`/_emulator/portals/${portal.id}/journal`)).body as Json;
    expect(journal.calls.at(-1)).toMatchObject({ method: "emulator.appUninstall", httpMethod: "DELETE", params: { clientId: installed.clientId, clean: true }, eventIds: [body.event.eventId] });
  });

  it("sends CLEAN 0 unless asked, and the typed control call does the same", async () => {
    const app = await handler();
    const portal = await running().createPortal();
    const first = await install(portal, app);
    expect((await uninstall(portal, first.clientId as string)).body).toMatchObject({ clean: false });
    expect((await app.next("ONAPPUNINSTALL")).form["data[CLEAN]"]).toBe("0");

    const second = await install(portal, app);
    const seen = app.received.length;
    const done = await portal.control.uninstallApp(second.clientId as string, { clean: true });
    expect(done).toMatchObject({ clientId: second.clientId, clean: true, event: { type: "ONAPPUNINSTALL" } });
    expect((await app.next("ONAPPUNINSTALL", seen)).form["data[CLEAN]"]).toBe("1");
  });
});

describe("uninstalling kills every token of the app (spec OPEN-O5)", () => {
  it("REST answers 401 APPLICATION_NOT_FOUND to its access tokens, in any place the token is sent; /oauth/token/ answers 401 invalid_client", async () => {
    const app = await handler();
    const portal = await running().createPortal();
    const installed = await install(portal, app);
    const refreshed = await http().form("/oauth/token/", {
      grant_type: "refresh_token",
      client_id: installed.clientId as string,
      client_secret: installed.clientSecret as string,
      refresh_token: installed.refreshToken as string,
    });
    expect(refreshed.status).toBe(200);
    const tokens = [installed.accessToken as string, refreshed.body.access_token as string];
    for (const auth of tokens) expect((await rest("profile", { auth })).status).toBe(200);

    expect((await uninstall(portal, installed.clientId as string)).status).toBe(200);

    for (const auth of tokens) {
      expect(await rest("profile", { auth })).toMatchObject({ status: 401, body: { error: "APPLICATION_NOT_FOUND", error_description: "Application not found" } });
    }
    const bearer = await fetch(`${running().httpUrl as string}/rest/profile`, { method: "POST", headers: { Authorization: `Bearer ${tokens[0]}` } });
    const refusal = { status: bearer.status, body: (await bearer.json()) as Json, contentType: bearer.headers.get("content-type") ?? "" };
    expectMatchesOpenApi({ method: "POST", url: "/rest/profile" }, refusal);
    expect(refusal).toMatchObject({ status: 401, body: { error: "APPLICATION_NOT_FOUND" } });

    const again = await http().form("/oauth/token/", {
      grant_type: "refresh_token",
      client_id: installed.clientId as string,
      client_secret: installed.clientSecret as string,
      refresh_token: refreshed.body.refresh_token as string,
    });
    expect(again).toMatchObject({ status: 401, body: { error: "invalid_client" } });
    // The portal's other app lives on.
    expect((await rest("profile", { auth: portal.accessToken })).status).toBe(200);
  });

  it("uninstalls the fixture's own app too: no install handler to tell, its bot goes, its token answers APPLICATION_NOT_FOUND", async () => {
    const portal = await running().createPortal();
    const done = await portal.control.uninstallApp(portal.clientId);
    expect(done).toMatchObject({ clientId: portal.clientId, unregisteredBots: [456], event: null });
    expect(done.events.map((e) => [e.type, e.botId])).toEqual([["ONIMBOTV2DELETE", 456]]);
    expect(await rest("profile", { auth: portal.accessToken })).toMatchObject({ status: 401, body: { error: "APPLICATION_NOT_FOUND" } });
    expect((await info(portal)).apps).toEqual([]);
  });
});

describe("the app's bots go with it, as imbot.unregister makes them go", () => {
  it("v2 bots hear ONIMBOTV2DELETE, v1 bots' owner ONIMBOTDELETE, before ONAPPUNINSTALL; bots, commands and dialogs are gone", async () => {
    const app = await handler();
    const portal = await running().createPortal();
    const installed = await install(portal, app);
    const auth = installed.accessToken as string;
    const v2 = await rest("imbot.v2.Bot.register", {
      auth,
      fields: { code: "app_v2", properties: { name: "Two" }, eventMode: "webhook", webhookUrl: `${app.url}v2` },
    });
    const v2Id = (v2.body.result as Json).bot.id as number;
    const v1Id = (await rest("imbot.register", { auth, CODE: "app_v1", EVENT_HANDLER: `${app.url}v1`, PROPERTIES: { NAME: "One" } })).body.result as number;
    const fetchBot = await rest("imbot.v2.Bot.register", { auth, fields: { code: "app_fetch", properties: { name: "Fetch" }, eventMode: "fetch" } });
    const fetchId = (fetchBot.body.result as Json).bot.id as number;
    await rest("imbot.command.register", { auth, BOT_ID: v1Id, COMMAND: "ping", EVENT_COMMAND_ADD: `${app.url}v1`, LANG: [{ LANGUAGE_ID: "en", TITLE: "Ping" }] });
    await portal.control.userSays({ authorId: 1, dialogId: String(v2Id), text: "hello" });
    await portal.control.userSays({ authorId: 1, dialogId: String(v1Id), text: "hello" });
    const someoneElse = (await portal.control.bots()).map((bot) => bot.id).filter((id) => ![v2Id, v1Id, fetchId].includes(id));

    const answer = await uninstall(portal, installed.clientId as string);
    expect(answer.status).toBe(200);
    const body = answer.body as Json;
    expect([...body.unregisteredBots].sort()).toEqual([v2Id, v1Id, fetchId].sort());
    expect((body.events as Json[]).map((e) => e.type).at(-1)).toBe("ONAPPUNINSTALL");
    expect((body.events as Json[]).map((e) => [e.type, e.botId])).toEqual(
      expect.arrayContaining([["ONIMBOTV2DELETE", v2Id], ["ONIMBOTDELETE", v1Id], ["ONIMBOTV2DELETE", fetchId]]),
    );

    const v2Deleted = await arrival(app, "ONIMBOTV2DELETE", (e) => e.form["data[bot][id]"] === String(v2Id));
    expect(v2Deleted.path).toBe("/v2");
    const v1Deleted = await arrival(app, "ONIMBOTDELETE", (e) => e.form["data[BOT_ID]"] === String(v1Id));
    expect(v1Deleted.path).toBe("/v1");
    expect(v1Deleted.form).toMatchObject({ "data[BOT_CODE]": "app_v1" });
    await app.next("ONAPPUNINSTALL");
    // A fetch bot's deletion stays queued where only the control API shows it (spec OPEN-E4).
    expect(portal.control.events(fetchId).map((e) => e.type)).toEqual(["ONIMBOTV2DELETE"]);

    expect((await portal.control.bots()).map((bot) => bot.id).sort()).toEqual(someoneElse.sort());
    const dialogs = portal.control.chats().filter((chat) => chat.type === "private" && [v1Id, v2Id].some((id) => chat.members.includes(id)));
    expect(dialogs).toEqual([]);
    const { commands } = await portal.control.userSays({ authorId: 1, dialogId: "chat5", text: "/ping" });
    expect(commands).toEqual([]);
  });
});

describe("refusals change nothing", () => {
  it("another portal's app, an unknown client id, a webhook bot's synthetic app, a bad clean: documented errors, both portals as before", async () => {
    const app = await handler();
    const mine = await running().createPortal();
    const theirs = await running().createPortal();
    const their = await install(theirs, app);
    const hook = mine.webhooks[0] as { userId: number; code: string };
    const bot = await http().call("POST", `/rest/${hook.userId}/${hook.code}/imbot.v2.Bot.register`, {
      fields: { code: "hooked", botToken: "hooked-token", properties: { name: "Hooked" }, eventMode: "fetch" },
    });
    expect(bot.status).toBe(200);
    const before = [await info(mine), await info(theirs)];
    const synthetic = (before[0]!.apps as Json[]).find((app) => String(app.clientId).startsWith("custom"))?.clientId as string;
    expect(synthetic).toEqual(expect.any(String));

    for (const [portal, clientId, query, status, error] of [
      [mine, their.clientId, "", 404, "CONTROL_NOT_FOUND"],
      [mine, "local.nosuch.app", "", 404, "CONTROL_NOT_FOUND"],
      [mine, synthetic, "", 400, "CONTROL_ARGUMENT"],
      [mine, mine.clientId, "?clean=maybe", 400, "CONTROL_ARGUMENT"],
    ] as const) {
      expect(await uninstall(portal, clientId as string, query)).toMatchObject({ status, body: { error } });
    }
    expect(await http().call("DELETE", `/_emulator/portals/no-such-portal/apps/${mine.clientId}`)).toMatchObject({ status: 404, body: { error: "PORTAL_NOT_FOUND" } });
    expect([await info(mine), await info(theirs)]).toEqual(before);
    expect((await rest("profile", { auth: their.accessToken })).status).toBe(200);
    // Webhooks go out in the background: nothing may still be on its way.
    await running().app.runtime.dispatcher.idle();
    expect(app.received.filter((e) => e.form.event === "ONAPPUNINSTALL")).toEqual([]);
  });

  it("an app uninstalled once is not there to uninstall again", async () => {
    const app = await handler();
    const portal = await running().createPortal();
    const installed = await install(portal, app);
    expect((await uninstall(portal, installed.clientId as string)).status).toBe(200);
    expect(await uninstall(portal, installed.clientId as string)).toMatchObject({ status: 404, body: { error: "CONTROL_NOT_FOUND" } });
  });
});

describe("installing again after an uninstall", () => {
  it("keeps the client id and secret, hands out new tokens and application_token; the old tokens and bindings stay dead", async () => {
    const app = await handler();
    const portal = await running().createPortal();
    const first = await install(portal, app, { clientId: "local.again.0001" });
    const bound = await rest("event.bind", { auth: first.accessToken, event: "ONIMBOTJOINCHAT", handler: `${app.url}join` });
    expect(bound.body.result).toBe(true);
    await uninstall(portal, "local.again.0001");
    await app.next("ONAPPUNINSTALL");
    const seen = app.received.length;

    const second = await install(portal, app, { clientId: "local.again.0001" });
    expect(second).toMatchObject({ clientId: "local.again.0001", clientSecret: first.clientSecret });
    expect(second.applicationToken).not.toBe(first.applicationToken);
    const event = await app.next("ONAPPINSTALL", seen);
    expect(event.form).toMatchObject({ "auth[access_token]": second.accessToken, "auth[application_token]": second.applicationToken });

    expect((await rest("profile", { auth: second.accessToken })).status).toBe(200);
    // What the first install bound went with it.
    expect((await rest("event.get", { auth: second.accessToken })).body.result).toEqual([]);
    expect(await rest("profile", { auth: first.accessToken })).toMatchObject({ status: 401, body: { error: "NO_AUTH_FOUND" } });
    const bot = await rest("imbot.v2.Bot.register", { auth: second.accessToken, fields: { code: "back", properties: { name: "Back" }, eventMode: "fetch" } });
    expect(bot.status).toBe(200);
  });
});
