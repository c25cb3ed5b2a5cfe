import { describe, expect, it } from "vitest";
import type { PortalHandle } from "../src/control/portal-handle.js";
import { httpClient } from "./support/http-client.js";
import { useListeningEmulator } from "./support/v1-bot.js";

/**
 * An app binds its own lifecycle events with event.bind, with its OAuth token, as apps do in their
 * install step (b24restdocs BX24.callBind('OnAppUninstall', …)): the bound handler then hears
 * ONAPPUNINSTALL and ONAPPUPDATE instead of the install handler, and the bindings go with the app.
 */

const { emulator: running, handler } = useListeningEmulator();
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- wire JSON, read the way a test reads it
type Json = Record<string, any>;
const http = () => httpClient(running().httpUrl as string);
const appsOf = (portal: PortalHandle) => `/_emulator/portals/${portal.id}/apps`;
const rest = (method: string, params: Record<string, unknown>) => http().call("POST", `/rest/${method}`, params);

async function installedApp() {
  const app = await handler();
  const portal = await running().createPortal();
  const installed = await http().call("POST", appsOf(portal), { installHandler: `${app.url}install` });
  expect(installed.status).toBe(200);
  const body = installed.body as Json;
  const oauth = (method: string, params: Record<string, unknown> = {}) => rest(method, { auth: body.accessToken, ...params });
  const uninstall = (query = "") => http().call("DELETE", `${appsOf(portal)}/${encodeURIComponent(body.clientId as string)}${query}`);
  return { app, portal, installed: body, oauth, uninstall };
}

describe("event.bind of ONAPPUNINSTALL", () => {
  it("the bound handler gets the documented form on uninstall, the install handler nothing; the binding goes with the app", async () => {
    const { app, portal, installed, oauth, uninstall } = await installedApp();
    const bound = await oauth("event.bind", { event: "OnAppUninstall", handler: `${app.url}uninstalled` });
    expect([bound.status, (bound.body as Json).result]).toEqual([200, true]);
    const listed = await oauth("event.get");
    expect((listed.body as Json).result).toEqual([{ event: "ONAPPUNINSTALL", handler: `${app.url}uninstalled`, auth_type: "0", offline: 0 }]);

    const answer = await uninstall("?clean=1");
    expect(answer.status).toBe(200);
    const event = await app.next("ONAPPUNINSTALL");
    expect(event.path).toBe("/uninstalled");
    expect(event.contentType).toBe("application/x-www-form-urlencoded");
    expect(event.form).toMatchObject({
      event: "ONAPPUNINSTALL",
      "data[LANGUAGE_ID]": "en",
      "data[CLEAN]": "1",
      "auth[domain]": portal.domain,
      "auth[member_id]": portal.memberId,
      "auth[application_token]": installed.applicationToken,
    });
    expect(Object.keys(event.form).filter((key) => key.startsWith("auth[")).sort()).toEqual(
      ["auth[application_token]", "auth[client_endpoint]", "auth[domain]", "auth[member_id]", "auth[server_endpoint]"],
    );
    expect(Number(event.form.event_handler_id)).toBeGreaterThan(0);
    await running().app.runtime.dispatcher.idle(); // nothing else on its way to the install handler
    expect(app.received.filter((e) => e.path === "/install").map((e) => e.form.event)).toEqual(["ONAPPINSTALL"]);
    expect((answer.body as Json).event).toMatchObject({ type: "ONAPPUNINSTALL", botId: 0, eventId: expect.any(Number) });

    // Installed again, the app starts without bindings: ONAPPUNINSTALL is back at the install handler.
    const again = await http().call("POST", appsOf(portal), { installHandler: `${app.url}install`, clientId: installed.clientId });
    expect((await rest("event.get", { auth: (again.body as Json).accessToken })).body).toMatchObject({ result: [] });
    await uninstall();
    const second = await app.next("ONAPPUNINSTALL", app.received.indexOf(event) + 1);
    expect(second.path).toBe("/install");
  });

  it("outlives the app's bots: bound beside a v1 bot's handlers, it stays when the last bot is unregistered", async () => {
    const { app, oauth, uninstall } = await installedApp();
    const botId = (await oauth("imbot.register", { CODE: "lifebot", EVENT_HANDLER: `${app.url}bot`, PROPERTIES: { NAME: "Life" } })).body as Json;
    expect((await oauth("event.bind", { event: "ONAPPUNINSTALL", handler: `${app.url}bye` })).status).toBe(200);
    const events = ((await oauth("event.get")).body as Json).result as Json[];
    expect(events.map((e) => e.event)).toEqual(expect.arrayContaining(["ONIMBOTMESSAGEADD", "ONAPPUNINSTALL"]));
    expect(events.at(-1)).toEqual({ event: "ONAPPUNINSTALL", handler: `${app.url}bye`, auth_type: "0", offline: 0 });

    expect((await oauth("imbot.unregister", { BOT_ID: botId.result })).status).toBe(200);
    expect(((await oauth("event.get")).body as Json).result).toEqual([{ event: "ONAPPUNINSTALL", handler: `${app.url}bye`, auth_type: "0", offline: 0 }]);
    await uninstall();
    expect((await app.next("ONAPPUNINSTALL")).path).toBe("/bye");
  });

  it("event.unbind removes it ({count}), after which the install handler hears the uninstall again", async () => {
    const { app, oauth, uninstall } = await installedApp();
    await oauth("event.bind", { event: "ONAPPUNINSTALL", handler: `${app.url}bye` });
    expect(((await oauth("event.unbind", { event: "ONAPPUNINSTALL", handler: `${app.url}elsewhere` })).body as Json).result).toEqual({ count: 0 });
    const unbound = await oauth("event.unbind", { event: "onappuninstall", handler: `${app.url}bye` });
    expect([unbound.status, (unbound.body as Json).result]).toEqual([200, { count: 1 }]);
    expect(((await oauth("event.get")).body as Json).result).toEqual([]);
    expect(((await oauth("event.unbind", { event: "ONAPPUNINSTALL" })).body as Json).result).toEqual({ count: 0 });
    await uninstall();
    expect((await app.next("ONAPPUNINSTALL")).path).toBe("/install");
  });
});

describe("event.bind of ONAPPUPDATE", () => {
  it("the bound handler gets ONAPPUPDATE with tokens of the auth_type user and the new application_token", async () => {
    const { app, portal, installed, oauth } = await installedApp();
    const bound = await oauth("event.bind", { event: "ONAPPUPDATE", handler: `${app.url}updated`, auth_type: 2 });
    expect(bound.status).toBe(200);
    expect(((await oauth("event.get")).body as Json).result).toEqual([{ event: "ONAPPUPDATE", handler: `${app.url}updated`, auth_type: "2", offline: 0 }]);

    const updated = await http().call("POST", `${appsOf(portal)}/${installed.clientId}/update`, { version: 2 });
    expect(updated.status).toBe(200);
    const event = await app.next("ONAPPUPDATE");
    expect(event.path).toBe("/updated");
    expect(event.form).toMatchObject({
      event: "ONAPPUPDATE",
      "data[VERSION]": "2",
      "data[PREVIOUS_VERSION]": "1",
      "auth[user_id]": "2",
      "auth[application_token]": (updated.body as Json).applicationToken,
    });
    const profile = await rest("profile", { auth: event.form["auth[access_token]"] });
    expect((profile.body as Json).result).toMatchObject({ ID: "2" });
    await running().app.runtime.dispatcher.idle(); // nothing else on its way to the install handler
    expect(app.received.filter((e) => e.path === "/install").map((e) => e.form.event)).toEqual(["ONAPPINSTALL"]);
  });
});

describe("refusals", () => {
  it("bad handlers, offline binding of an app event and webhooks get exact errors; nothing is bound", async () => {
    const { app, portal, oauth } = await installedApp();
    for (const [params, status, error] of [
      [{ event: "ONAPPUNINSTALL" }, 400, "ERROR_ARGUMENT"],
      [{ event: "ONAPPUNINSTALL", handler: "not a url" }, 400, "BOT_INVALID_CALLBACK"],
      [{ event: "ONAPPUPDATE", handler: "http://collector.example/steal" }, 400, "BOT_INVALID_CALLBACK"],
      [{ event: "ONAPPUPDATE", handler: `${running().httpUrl}/rest/` }, 400, "BOT_INVALID_CALLBACK"],
      [{ event: "ONAPPUNINSTALL", handler: `${app.url}bye`, event_type: "offline" }, 400, "ERROR_ARGUMENT"],
      [{ event: "ONAPPINSTALL", handler: `${app.url}bye` }, 400, "ERROR_EVENT_NOT_FOUND"],
    ] as const) {
      expect(await oauth("event.bind", params)).toMatchObject({ status, body: { error } });
    }
    const hook = portal.webhooks[0] as { userId: number; code: string };
    for (const method of ["event.bind", "event.unbind", "event.get"]) {
      const viaWebhook = await http().call("POST", `/rest/${hook.userId}/${hook.code}/${method}`, { event: "ONAPPUNINSTALL", handler: `${app.url}bye` });
      expect(viaWebhook).toMatchObject({ status: 403, body: { error: "WRONG_AUTH_TYPE" } });
    }
    expect(((await oauth("event.get")).body as Json).result).toEqual([]);
  });
});
