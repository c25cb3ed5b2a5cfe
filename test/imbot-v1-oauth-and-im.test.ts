import { beforeEach, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../src/index.js";
import { useListeningEmulator, v1Call } from "./support/v1-bot.js";

/**
 * A v1 bot of an OAuth application, and the generic methods bots call beside imbot: its events carry
 * live access tokens (one acting as the author, one as the bot), and calling back with the bot's
 * token through im.message.add posts as the bot.
 */
const listening = useListeningEmulator();
let emulator: RunningEmulator;
beforeEach(() => {
  emulator = listening.emulator();
});

describe("a v1 bot registered by an OAuth application", () => {
  it("hears events with access tokens, and calls back with its own token as the bot", async () => {
    const portal = await emulator.createPortal();
    const handler = await listening.handler();
    const oauth = (method: string, params: Record<string, unknown>) => v1Call(emulator.restUrl, method, { auth: portal.accessToken, ...params });
    const botId = (await oauth("imbot.register", { CODE: "oauthbot", EVENT_HANDLER: handler.url, PROPERTIES: { NAME: "Appy" }, CLIENT_ID: "ignored" })).body.result as number;
    expect(botId).toBeGreaterThan(0);

    const { message } = await portal.control.userSays({ authorId: 1, dialogId: String(botId), text: "hi app" });
    const event = await handler.next("ONIMBOTMESSAGEADD");
    expect(event.path).toBe("/");
    expect(event.form).toMatchObject({
      "auth[user_id]": "1",
      "auth[scope]": expect.stringContaining("imbot"),
      "auth[status]": "L",
      "auth[domain]": "emulator.bitrix24.com",
      [`data[BOT][${botId}][user_id]`]: String(botId),
      [`data[BOT][${botId}][client_id]`]: portal.clientId,
      [`data[BOT][${botId}][AUTH][user_id]`]: String(botId),
      [`data[BOT][${botId}][BOT_CODE]`]: "oauthbot",
    });
    expect(event.form["auth[access_token]"]).toMatch(/^[0-9a-f]{32}$/);
    expect(event.form["auth[application_token]"]).toBe(portal.applicationToken);
    expect(event.form["auth[refresh_token]"]).toMatch(/^[0-9a-f]{32}$/);
    expect(event.form["auth[server_endpoint]"]).toBe(`${emulator.httpUrl}/oauth-server/rest/`);

    const botToken = event.form[`data[BOT][${botId}][access_token]`];
    const asBot = (method: string, params: Record<string, unknown>) => v1Call(emulator.restUrl, method, { auth: botToken, ...params }, "json");
    const posted = await asBot("im.message.add", { DIALOG_ID: "1", MESSAGE: "answered with the bot's token" });
    expect(posted.status).toBe(200);
    expect(await portal.control.waitForMessage(String(botId), { afterId: message.id })).toMatchObject({ authorId: botId, text: "answered with the bot's token" });

    expect((await asBot("user.current", {})).body.result).toMatchObject({ ID: String(botId), NAME: "Appy" });
    const history = await asBot("im.dialog.messages.get", { DIALOG_ID: "1", LIMIT: 1 });
    expect(history.body.result).toMatchObject({ messages: [{ id: posted.body.result, author_id: botId, text: "answered with the bot's token" }] });
  });
});

describe("the generic methods beside imbot", () => {
  it("user.current and im.user.get answer from the portal's users", async () => {
    const portal = await emulator.createPortal();
    const call = (method: string, params: Record<string, unknown>) => v1Call(portal.webhookUrl!, method, params, "json");
    expect((await call("user.current", {})).body.result).toMatchObject({ ID: "1", ACTIVE: true, NAME: "Anna", LAST_NAME: "Admin", UF_DEPARTMENT: [1] });
    expect((await call("im.user.get", {})).body.result).toMatchObject({ id: 1, name: "Anna Admin", first_name: "Anna", bot: false });
    expect((await call("im.user.get", { ID: 456 })).body.result).toMatchObject({ id: 456, bot: true, type: "bot" });
    const missing = await call("im.user.get", { ID: 9999 });
    expect([missing.status, missing.body.error]).toEqual([400, "USER_NOT_EXISTS"]);
  });

  it("im.dialog.messages.get pages a chat newest first, with its authors", async () => {
    const portal = await emulator.createPortal();
    const call = (method: string, params: Record<string, unknown>) => v1Call(portal.webhookUrl!, method, params, "json");
    const ids: number[] = [];
    for (const text of ["one", "two", "three"]) ids.push((await portal.control.userSays({ authorId: 1, dialogId: "chat5", text })).message.id);
    const page = await call("im.dialog.messages.get", { DIALOG_ID: "chat5", LIMIT: 2 });
    expect(page.body.result.chat_id).toBe(5);
    expect(page.body.result.messages.map((m: { text: string }) => m.text)).toEqual(["three", "two"]);
    expect(page.body.result.users.map((u: { id: number }) => u.id)).toEqual([1]);
    const back = await call("im.dialog.messages.get", { CHAT_ID: 5, LAST_ID: ids[1] });
    expect(back.body.result.messages.map((m: { id: number }) => m.id)).toEqual([ids[0], 789]);
    const forward = await call("im.dialog.messages.get", { DIALOG_ID: "chat5", FIRST_ID: ids[0] });
    expect(forward.body.result.messages.map((m: { id: number }) => m.id)).toEqual([ids[1], ids[2]]);
    expect((await call("im.dialog.messages.get", { DIALOG_ID: "chat5", LAST_ID: "abc" })).body.error).toBe("LAST_ID_STRING");
    expect((await call("im.dialog.messages.get", {})).body.error).toBe("DIALOG_ID_EMPTY");
    const unknown = await call("im.dialog.messages.get", { DIALOG_ID: "chat999" });
    expect([unknown.status, unknown.body.error]).toEqual([400, "ACCESS_ERROR"]);
  });

  it("im.message.add as a person reaches the bots that see it; im.chat.get finds chats by entity", async () => {
    const portal = await emulator.createPortal();
    const call = (method: string, params: Record<string, unknown>) => v1Call(portal.webhookUrl!, method, params, "json");
    const sent = await call("im.message.add", { DIALOG_ID: "chat5", MESSAGE: "/help" });
    expect(sent.status).toBe(200);
    // The v2 fixture bot 456 owns /help: the person's message called it.
    expect(portal.control.events(456).map((e) => e.type)).toContain("ONIMBOTV2COMMANDADD");
    expect((await call("im.message.add", { DIALOG_ID: "chat5", MESSAGE: "" })).body.error).toBe("MESSAGE_EMPTY");
    expect((await call("im.chat.get", { ENTITY_TYPE: "CRM", ENTITY_ID: "1" })).body.result).toBeNull();
  });
});
