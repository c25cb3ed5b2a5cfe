import { beforeEach, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../src/index.js";
import { useListeningEmulator, v1Call } from "./support/v1-bot.js";

/**
 * event.bind, event.unbind and event.get of an application (spec v1.md §8, OPEN-V15): they read and
 * change the same handler bindings imbot.register makes, so a bound URL hears the app's v1 bots.
 */
const listening = useListeningEmulator();
let emulator: RunningEmulator;
beforeEach(() => {
  emulator = listening.emulator();
});

async function appWithV1Bot() {
  const portal = await emulator.createPortal();
  const registered = await listening.handler();
  const oauth = (method: string, params: Record<string, unknown>) => v1Call(emulator.restUrl, method, { auth: portal.accessToken, ...params });
  const botId = (await oauth("imbot.register", { CODE: "boundbot", EVENT_HANDLER: registered.url, PROPERTIES: { NAME: "Bound" } })).body.result as number;
  return { portal, oauth, botId, registered };
}

describe("event.* of an application", () => {
  it("event.get lists the handlers imbot.register bound, in the event.get layout", async () => {
    const { oauth, registered } = await appWithV1Bot();
    const listed = await oauth("event.get", {});
    expect(listed.status).toBe(200);
    expect(listed.body.result).toContainEqual({ event: "ONIMBOTMESSAGEADD", handler: registered.url, auth_type: "0", offline: 0 });
    expect(listed.body.result.map((binding: { event: string }) => binding.event)).toEqual(
      expect.arrayContaining(["ONIMBOTMESSAGEADD", "ONIMBOTJOINCHAT", "ONIMBOTDELETE"]),
    );
  });

  it("event.bind moves a v1 event to a new handler, which hears the bot's events through the v1 encoder", async () => {
    const { portal, oauth, botId } = await appWithV1Bot();
    const moved = await listening.handler();
    const bound = await oauth("event.bind", { event: "onImBotMessageAdd", handler: moved.url });
    expect([bound.status, bound.body.result]).toEqual([200, true]);
    expect((await oauth("event.get", {})).body.result).toContainEqual({ event: "ONIMBOTMESSAGEADD", handler: moved.url, auth_type: "0", offline: 0 });

    await portal.control.userSays({ authorId: 1, dialogId: String(botId), text: "to the bound handler" });
    const event = await moved.next("ONIMBOTMESSAGEADD");
    expect(event.form).toMatchObject({
      event: "ONIMBOTMESSAGEADD",
      "data[PARAMS][MESSAGE]": "to the bound handler",
      [`data[BOT][${botId}][BOT_CODE]`]: "boundbot",
      "auth[application_token]": portal.applicationToken,
    });
  });

  it("event.unbind removes the binding and counts what it removed", async () => {
    const { oauth, registered } = await appWithV1Bot();
    const wrongUrl = await oauth("event.unbind", { event: "ONIMBOTMESSAGEADD", handler: "http://127.0.0.1:9/elsewhere" });
    expect(wrongUrl.body.result).toEqual({ count: 0 });
    const removed = await oauth("event.unbind", { event: "ONIMBOTMESSAGEADD", handler: registered.url });
    expect([removed.status, removed.body.result]).toEqual([200, { count: 1 }]);
    const events = (await oauth("event.get", {})).body.result.map((binding: { event: string }) => binding.event);
    expect(events).not.toContain("ONIMBOTMESSAGEADD");
    expect(events).toContain("ONIMBOTJOINCHAT");
    expect((await oauth("event.unbind", { event: "ONIMBOTMESSAGEADD" })).body.result).toEqual({ count: 0 });
  });

  it("refuses unknown events, missing or unusable handlers and webhooks, leaving the bindings as they were", async () => {
    const { portal, oauth, registered } = await appWithV1Bot();
    const before = (await oauth("event.get", {})).body.result;

    const unknown = await oauth("event.bind", { event: "ONSOMETHINGELSE", handler: registered.url });
    expect([unknown.status, unknown.body.error]).toEqual([400, "ERROR_EVENT_NOT_FOUND"]);
    const noHandler = await oauth("event.bind", { event: "ONIMBOTMESSAGEADD" });
    expect([noHandler.status, noHandler.body.error]).toEqual([400, "ERROR_ARGUMENT"]);
    const notUrl = await oauth("event.bind", { event: "ONIMBOTMESSAGEADD", handler: "not a url" });
    expect([notUrl.status, notUrl.body.error]).toEqual([400, "BOT_INVALID_CALLBACK"]);
    const unbindUnknown = await oauth("event.unbind", { event: "ONSOMETHINGELSE" });
    expect([unbindUnknown.status, unbindUnknown.body.error]).toEqual([400, "ERROR_EVENT_NOT_FOUND"]);
    for (const method of ["event.bind", "event.unbind", "event.get"]) {
      const viaWebhook = await v1Call(portal.webhookUrl!, method, { event: "ONIMBOTMESSAGEADD", handler: registered.url });
      expect([viaWebhook.status, viaWebhook.body.error]).toEqual([403, "WRONG_AUTH_TYPE"]);
    }

    expect((await oauth("event.get", {})).body.result).toEqual(before);
  });
});

describe("event.bind auth_type and event_type", () => {
  it("auth_type names the user whose token the event's auth carries, and event.get shows it", async () => {
    const { portal, oauth, botId } = await appWithV1Bot();
    const moved = await listening.handler();
    expect((await oauth("event.bind", { event: "ONIMBOTMESSAGEADD", handler: moved.url, auth_type: 2 })).body.result).toBe(true);
    expect((await oauth("event.get", {})).body.result).toContainEqual({ event: "ONIMBOTMESSAGEADD", handler: moved.url, auth_type: "2", offline: 0 });

    await portal.control.userSays({ authorId: 1, dialogId: String(botId), text: "as Boris" });
    const event = await moved.next("ONIMBOTMESSAGEADD");
    expect(event.form).toMatchObject({ "auth[user_id]": "2", "data[USER][ID]": "1" });
    const current = await v1Call(emulator.restUrl, "user.current", { auth: event.form["auth[access_token]"] });
    expect(current.body.result).toMatchObject({ ID: "2", NAME: "Boris" });
  });

  it("event_type offline needs no handler: the events wait for event.offline.get, which takes them (clear=0 only reads)", async () => {
    const { portal, oauth, botId, registered } = await appWithV1Bot();
    expect((await oauth("event.bind", { event: "ONIMBOTMESSAGEADD", event_type: "offline" })).body.result).toBe(true);
    expect((await oauth("event.get", {})).body.result).toContainEqual({ event: "ONIMBOTMESSAGEADD", handler: "", auth_type: "0", offline: 1 });

    const said = await portal.control.userSays({ authorId: 1, dialogId: String(botId), text: "kept for later" });
    expect(said.events.map((e) => e.type)).not.toContain("ONIMBOTMESSAGEADD");
    const peek = await oauth("event.offline.get", { clear: 0 });
    expect(peek.status).toBe(200);
    expect(peek.body.result.events).toEqual([
      expect.objectContaining({
        EVENT_NAME: "ONIMBOTMESSAGEADD",
        EVENT_DATA: expect.objectContaining({ PARAMS: expect.objectContaining({ MESSAGE: "kept for later", MESSAGE_ID: said.message.id }) }),
        EVENT_ADDITIONAL: { user_id: "1" },
      }),
    ]);
    const taken = await oauth("event.offline.get", {});
    expect(taken.body.result.events.map((e: { ID: string }) => e.ID)).toEqual(peek.body.result.events.map((e: { ID: string }) => e.ID));
    expect((await oauth("event.offline.get", {})).body.result.events).toEqual([]);
    expect(registered.received.map((e) => e.form.event)).not.toContain("ONIMBOTMESSAGEADD");

    const viaWebhook = await v1Call(portal.webhookUrl!, "event.offline.get", {});
    expect([viaWebhook.status, viaWebhook.body.error]).toEqual([403, "WRONG_AUTH_TYPE"]);
  });
});
