import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../src/index.js";
import type { PortalHandle } from "../src/control/portal-handle.js";
import { httpClient } from "./support/http-client.js";
import { useEventHandlers } from "./support/v1-bot.js";

/**
 * Installing an app through the control API (spec oauth.md §7): its install handler gets ONAPPINSTALL
 * as a bot app's server would receive it, and the tokens in it work for the app's bots and refreshes.
 */

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.close();
});
const handler = useEventHandlers();

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- wire JSON, read the way a test reads it
type Json = Record<string, any>;
const http = () => httpClient(emulator.httpUrl as string);
const install = (portal: PortalHandle, body: Record<string, unknown>) => http().call("POST", `/_emulator/portals/${portal.id}/apps`, body);
const update = (portal: PortalHandle, clientId: string, body: Record<string, unknown>) =>
  http().call("POST", `/_emulator/portals/${portal.id}/apps/${encodeURIComponent(clientId)}/update`, body);

describe("POST /_emulator/portals/{id}/apps: ONAPPINSTALL at the install handler", () => {
  it("sends the documented form: data, ts, handler id and auth with refresh_token and application_token", async () => {
    const app = await handler();
    const portal = await emulator.createPortal();
    const installed = await install(portal, { installHandler: `${app.url}install` });
    expect(installed.status).toBe(200);
    const body = installed.body as Json;
    expect(body.clientId).toMatch(/^local\.[0-9a-f]+\.[0-9a-f]+$/);

    const event = await app.next("ONAPPINSTALL");
    expect(event.path).toBe("/install");
    expect(event.contentType).toBe("application/x-www-form-urlencoded");
    const base = emulator.httpUrl as string;
    expect(event.form).toMatchObject({
      event: "ONAPPINSTALL",
      "data[VERSION]": "1",
      "data[ACTIVE]": "Y",
      "data[INSTALLED]": "Y",
      "data[LANGUAGE_ID]": "en",
      "auth[access_token]": body.accessToken,
      "auth[expires_in]": "3600",
      "auth[scope]": "imbot,im",
      "auth[domain]": portal.domain,
      "auth[server_endpoint]": `${base}/oauth-server/rest/`,
      "auth[status]": "L",
      "auth[client_endpoint]": `${base}/rest/`,
      "auth[member_id]": portal.memberId,
      "auth[user_id]": "1",
      "auth[refresh_token]": body.refreshToken,
      "auth[application_token]": body.applicationToken,
    });
    expect(Number(event.form.event_handler_id)).toBeGreaterThan(0);
    expect(Number(event.form["auth[expires]"])).toBeGreaterThan(Number(event.form.ts));

    const journal = (await http().get(`/_emulator/portals/${portal.id}/journal`)).body as Json;
    expect(journal.calls.at(-1)).toMatchObject({ method: "emulator.appInstall", params: { clientId: body.clientId, version: 1 }, eventIds: [body.event.eventId] });
  });

  it("the app lives on what the event carried: its bot's events are signed with that application_token, its refresh_token refreshes", async () => {
    const app = await handler();
    const portal = await emulator.createPortal();
    const installed = (await install(portal, { installHandler: `${app.url}install`, userId: 1 })).body as Json;
    const auth = (await app.next("ONAPPINSTALL")).form;

    const registered = await http().call("POST", "/rest/imbot.v2.Bot.register", {
      auth: auth["auth[access_token]"],
      fields: { code: "installed_bot", properties: { name: "Installed" }, eventMode: "webhook", webhookUrl: `${app.url}bot` },
    });
    expect(registered.status).toBe(200);
    const botId = (registered.body.result as Json).bot.id as number;
    await portal.control.userSays({ authorId: 1, dialogId: String(botId), text: "hello" });
    const said = await app.next("ONIMBOTV2MESSAGEADD");
    expect(said.form["auth[application_token]"]).toBe(auth["auth[application_token]"]);

    const refreshed = await http().form("/oauth/token/", {
      grant_type: "refresh_token",
      client_id: installed.clientId,
      client_secret: installed.clientSecret,
      refresh_token: auth["auth[refresh_token]"] as string,
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.access_token).toEqual(expect.any(String));
  });

  it("ONAPPUPDATE carries the previous version and a new application_token, which then signs the bots' events", async () => {
    const app = await handler();
    const portal = await emulator.createPortal();
    const installed = (await install(portal, { installHandler: `${app.url}install`, clientId: "local.myapp.0001" })).body as Json;
    expect(installed.clientId).toBe("local.myapp.0001");
    const registered = await http().call("POST", "/rest/imbot.v2.Bot.register", {
      auth: installed.accessToken,
      fields: { code: "versioned", properties: { name: "Versioned" }, eventMode: "webhook", webhookUrl: `${app.url}bot` },
    });
    const botId = (registered.body.result as Json).bot.id as number;

    const updated = await update(portal, "local.myapp.0001", { version: 2 });
    expect(updated).toMatchObject({ status: 200, body: { clientId: "local.myapp.0001", version: 2 } });
    const event = await app.next("ONAPPUPDATE");
    expect(event.form).toMatchObject({ "data[VERSION]": "2", "data[PREVIOUS_VERSION]": "1", "auth[application_token]": (updated.body as Json).applicationToken });
    expect(event.form["auth[application_token]"]).not.toBe(installed.applicationToken);

    await portal.control.userSays({ authorId: 1, dialogId: String(botId), text: "after the update" });
    expect((await app.next("ONIMBOTV2MESSAGEADD")).form["auth[application_token]"]).toBe(event.form["auth[application_token]"]);

    expect(await update(portal, "local.myapp.0001", { version: 2 })).toMatchObject({ status: 400, body: { error: "CONTROL_ARGUMENT" } });
    expect(await update(portal, "local.nosuch.app", { version: 3 })).toMatchObject({ status: 404, body: { error: "CONTROL_NOT_FOUND" } });
  });

  it("installs one of the portal's own apps (the fixture's) under its client id", async () => {
    const app = await handler();
    const portal = await emulator.createPortal();
    const installed = await portal.control.installApp({ clientId: portal.clientId, installHandler: `${app.url}install` });
    expect(installed).toMatchObject({ clientId: portal.clientId, clientSecret: portal.clientSecret, applicationToken: portal.applicationToken });
    expect((await app.next("ONAPPINSTALL")).form["auth[application_token]"]).toBe(portal.applicationToken);
  });

  it("refuses what a webhook may not reach, a bad URL and an unknown installer, changing nothing", async () => {
    const portal = await emulator.createPortal();
    const own = `${emulator.httpUrl as string}/install`;
    for (const [body, status, error] of [
      [{ installHandler: "http://example.com/install" }, 400, "CONTROL_ARGUMENT"],
      [{ installHandler: own }, 400, "CONTROL_ARGUMENT"],
      [{ installHandler: "install.php" }, 400, "CONTROL_ARGUMENT"],
      [{ installHandler: "http://127.0.0.1:9/x", userId: 999 }, 404, "CONTROL_NOT_FOUND"],
      [{ installHandler: "http://127.0.0.1:9/x", unknown: 1 }, 400, "CONTROL_ARGUMENT"],
    ] as const) {
      expect(await install(portal, body)).toMatchObject({ status, body: { error } });
    }
    expect((await install(portal, { installHandler: "http://example.com/install" })).body.error_description).toContain("--webhook-allow");
    const info = (await http().get(`/_emulator/portals/${portal.id}`)).body as Json;
    expect(info.apps).toHaveLength(1);
  });
});
