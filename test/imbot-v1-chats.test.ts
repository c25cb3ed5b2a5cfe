import { beforeEach, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../src/index.js";
import { useListeningEmulator, v1Call, type EventHandler } from "./support/v1-bot.js";

/**
 * imbot.chat.* and imbot.dialog.get through a listening emulator, as a v1 bot calls them (JSON, as
 * b24pysdk sends), over the same chats v2 and the control API see.
 */
const listening = useListeningEmulator();
let emulator: RunningEmulator;
let handler: EventHandler;
beforeEach(() => {
  emulator = listening.emulator();
});

const CLIENT_ID = "chat-client";
const PNG_1X1 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

async function v1Bot() {
  const portal = await emulator.createPortal();
  handler = await listening.handler();
  const call = (method: string, params: Record<string, unknown>) => v1Call(portal.webhookUrl!, method, { CLIENT_ID, ...params }, "json");
  const botId = (await call("imbot.register", { CODE: "chatty", EVENT_HANDLER: handler.url, PROPERTIES: { NAME: "Chatty" } })).body.result as number;
  const other = (await call("imbot.register", { CODE: "other", EVENT_HANDLER: handler.url, PROPERTIES: { NAME: "Other" } })).body.result as number;
  return { portal, call, botId, other };
}

describe("imbot.chat.add / get / user.*", () => {
  it("creates a chat the bot owns; other bots among USERS hear ONIMBOTJOINCHAT; imbot.chat.get finds it by entity", async () => {
    const { portal, call, botId, other } = await v1Bot();
    const created = await call("imbot.chat.add", { BOT_ID: botId, TITLE: "Support", USERS: [1, other], MESSAGE: "Welcome", ENTITY_TYPE: "CRM", ENTITY_ID: 13, COLOR: "MINT", OWNER_ID: 1 });
    expect(created.status).toBe(200);
    const chatId = created.body.result as number;
    const join = await handler.next("ONIMBOTJOINCHAT");
    expect(Object.keys(join.form).filter((k) => k.endsWith("[BOT_ID]") && k.startsWith("data[BOT]"))).toEqual([`data[BOT][${other}][BOT_ID]`]);
    expect(join.form).toMatchObject({ "data[PARAMS][CHAT_ID]": String(chatId), "data[PARAMS][USER_ID]": String(botId) });

    expect((await call("imbot.chat.get", { ENTITY_TYPE: "CRM", ENTITY_ID: "13" })).body.result).toEqual({ ID: chatId });
    expect((await call("imbot.chat.get", { ENTITY_TYPE: "CRM" })).body.result).toBeNull();
    expect((await call("imbot.chat.user.list", { BOT_ID: botId, CHAT_ID: chatId })).body.result).toEqual([botId, 1, other]);
    expect((await portal.control.messages(`chat${chatId}`)).map((m) => [m.authorId, m.text])).toEqual([[botId, "Welcome"]]);
  });

  it("a member added later reads the history only with HIDE_HISTORY=N; otherwise older messages are MESSAGE_ACCESS_DENIED", async () => {
    const { portal, call, botId } = await v1Bot();
    const react = (messageId: number) =>
      v1Call(portal.webhookUrl!, "imbot.v2.Chat.Message.Reaction.add", { botId: 456, botToken: "my_bot_token", messageId, reaction: "like" }, "json");
    const welcomeIn = async (hideHistory: Record<string, string>) => {
      const chatId = (await call("imbot.chat.add", { BOT_ID: botId, TITLE: "History", USERS: [1], MESSAGE: "Welcome" })).body.result as number;
      expect((await call("imbot.chat.user.add", { BOT_ID: botId, CHAT_ID: chatId, USERS: [456], ...hideHistory })).body.result).toBe(true);
      return (await portal.control.messages(`chat${chatId}`)).find((m) => m.text === "Welcome")!.id;
    };
    const shown = await react(await welcomeIn({ HIDE_HISTORY: "N" }));
    expect(shown.status).toBe(200);
    const hiding: Record<string, string>[] = [{}, { HIDE_HISTORY: "Y" }];
    for (const hideHistory of hiding) {
      const hidden = await react(await welcomeIn(hideHistory));
      expect([hidden.status, hidden.body.error]).toEqual([400, "MESSAGE_ACCESS_DENIED"]);
    }
  });

  it("adds and removes members, hands over managers and ownership, renames and recolours", async () => {
    const { call, botId } = await v1Bot();
    const chatId = (await call("imbot.chat.add", { BOT_ID: botId, TITLE: "Room", USERS: [1] })).body.result as number;
    const inChat = { BOT_ID: botId, CHAT_ID: chatId };
    expect((await call("imbot.chat.user.add", { ...inChat, USERS: [2] })).body.result).toBe(true);
    expect((await call("imbot.chat.user.add", { ...inChat, USERS: [2] })).body.error).toBe("WRONG_REQUEST");
    expect((await call("imbot.chat.user.delete", { ...inChat, USER_ID: 2 })).body.result).toBe(true);
    expect((await call("imbot.chat.user.delete", { ...inChat, USER_ID: "" })).body.error).toBe("USER_ID_EMPTY");
    expect((await call("imbot.chat.setManager", { ...inChat, USER_ID: 1, IS_MANAGER: "Y" })).body.result).toBe(true);
    expect((await call("imbot.chat.updateTitle", { ...inChat, TITLE: " Renamed " })).body.result).toBe(true);
    expect((await call("imbot.chat.updateTitle", { ...inChat, TITLE: "" })).body.error).toBe("TITLE_EMPTY");
    expect((await call("imbot.chat.updateColor", { ...inChat, COLOR: "RED" })).body.result).toBe(true);
    expect((await call("imbot.chat.updateColor", { ...inChat, COLOR: "RED" })).body.error).toBe("WRONG_REQUEST");
    expect((await call("imbot.chat.updateColor", { ...inChat, COLOR: "PLAID" })).body.error).toBe("WRONG_COLOR");
    expect((await call("imbot.chat.updateAvatar", { ...inChat, AVATAR: PNG_1X1 })).body.result).toBe(true);
    expect((await call("imbot.chat.updateAvatar", { ...inChat, AVATAR: "bm90IGFuIGltYWdl" })).body.error).toBe("AVATAR_ERROR");
    const dialog = await call("imbot.dialog.get", { DIALOG_ID: `chat${chatId}` });
    expect(dialog.body.result).toMatchObject({ id: chatId, name: "Renamed", owner: botId, color: "#df532d", type: "chat", role: "MANAGER", dialog_id: `chat${chatId}`, manager_list: [1] });

    const leaveAsOwner = await call("imbot.chat.leave", inChat);
    expect([leaveAsOwner.status, leaveAsOwner.body.error]).toEqual([403, "ACCESS_ERROR"]);
    expect((await call("imbot.chat.setOwner", { ...inChat, USER_ID: 1 })).body.result).toBe(true);
    expect((await call("imbot.chat.leave", inChat)).body.result).toBe(true);
    const gone = await call("imbot.chat.user.list", inChat);
    expect([gone.status, gone.body.error]).toEqual([403, "ACCESS_ERROR"]);
  });

  it.each([
    ["no CHAT_ID", {}, "CHAT_ID_EMPTY", 400],
    ["a chat the bot is not in", { CHAT_ID: 5 }, "ACCESS_ERROR", 403],
    ["no CLIENT_ID", { CHAT_ID: 5, CLIENT_ID: "" }, "ACCESS_DENIED", 403],
  ])("imbot.chat.user.list refuses %s", async (_case, change, code, status) => {
    const { call, botId } = await v1Bot();
    const reply = await call("imbot.chat.user.list", { BOT_ID: botId, ...change });
    expect([reply.status, reply.body.error]).toEqual([status, code]);
  });

  it("imbot.dialog.get answers a 1:1 dialog by user id as the caller sees it; 400 ACCESS_ERROR when there is none", async () => {
    const { portal, call, botId } = await v1Bot();
    await portal.control.userSays({ authorId: 1, dialogId: String(botId), text: "hi" });
    expect((await call("imbot.dialog.get", { DIALOG_ID: String(botId) })).body.result).toMatchObject({ type: "private", name: "Chatty", dialog_id: String(botId), message_type: "P" });
    const none = await call("imbot.dialog.get", { DIALOG_ID: "2" });
    expect([none.status, none.body.error]).toEqual([400, "ACCESS_ERROR"]);
    expect((await call("imbot.dialog.get", {})).body.error).toBe("DIALOG_ID_EMPTY");
  });
});

describe("chat avatars", () => {
  it("imbot.chat.updateAvatar keeps the picture: imbot.dialog.get, im.chat views, Chat.get and the next event show its URL", async () => {
    const { portal, call, botId } = await v1Bot();
    const chatId = (await call("imbot.chat.add", { BOT_ID: botId, TITLE: "Room", USERS: [1] })).body.result as number;
    const inChat = { BOT_ID: botId, CHAT_ID: chatId };
    const before = await call("imbot.dialog.get", { DIALOG_ID: `chat${chatId}` });
    expect(before.body.result.avatar).toBe("");

    expect((await call("imbot.chat.updateAvatar", { ...inChat, AVATAR: PNG_1X1 })).body.result).toBe(true);
    const url = `https://${portal.domain}/upload/emulator/chat-avatar/${chatId}.png`;
    expect((await call("imbot.dialog.get", { DIALOG_ID: `chat${chatId}` })).body.result.avatar).toBe(url);
    const v2 = await v1Call(portal.webhookUrl!, "imbot.v2.Chat.get", { botId, botToken: CLIENT_ID, dialogId: `chat${chatId}` }, "json");
    expect(v2.body.result.chat).toMatchObject({ id: chatId, avatar: url });

    // A refused picture leaves the kept one alone.
    const refused = await call("imbot.chat.updateAvatar", { ...inChat, AVATAR: "bm90IGFuIGltYWdl" });
    expect([refused.status, refused.body.error]).toEqual([400, "AVATAR_ERROR"]);
    expect((await call("imbot.dialog.get", { DIALOG_ID: `chat${chatId}` })).body.result.avatar).toBe(url);

    await portal.control.userSays({ authorId: 1, dialogId: `chat${chatId}`, text: `[USER=${botId}]Chatty[/USER] hi` });
    expect((await handler.next("ONIMBOTMESSAGEADD")).form["data[PARAMS][CHAT_AVATAR]"]).toBe(url);
  });

  it("imbot.chat.add and imbot.v2.Chat.add keep an AVATAR given at creation; v2 Chat.update replaces it, an unreadable one clears it", async () => {
    const { portal, call, botId } = await v1Bot();
    const chatId = (await call("imbot.chat.add", { BOT_ID: botId, TITLE: "Pictured", USERS: [1], AVATAR: PNG_1X1 })).body.result as number;
    expect((await call("imbot.dialog.get", { DIALOG_ID: `chat${chatId}` })).body.result.avatar).toBe(`https://${portal.domain}/upload/emulator/chat-avatar/${chatId}.png`);

    const v2 = (method: string, params: Record<string, unknown>) => v1Call(portal.webhookUrl!, `imbot.v2.${method}`, { botId, botToken: CLIENT_ID, ...params }, "json");
    const created = await v2("Chat.add", { fields: { title: "Also pictured", userIds: [1], avatar: PNG_1X1 } });
    const v2Chat = created.body.result.chat as { id: number; avatar: string };
    expect(v2Chat.avatar).toBe(`https://${portal.domain}/upload/emulator/chat-avatar/${v2Chat.id}.png`);
    expect((await v2("Chat.update", { dialogId: `chat${v2Chat.id}`, fields: { avatar: "bm90IGFuIGltYWdl" } })).status).toBe(200);
    expect((await v2("Chat.get", { dialogId: `chat${v2Chat.id}` })).body.result.chat.avatar).toBe("");
    expect((await v2("Chat.update", { dialogId: `chat${chatId}`, fields: { avatar: PNG_1X1 } })).status).toBe(200);
    expect((await v2("Chat.get", { dialogId: `chat${chatId}` })).body.result.chat.avatar).toBe(`https://${portal.domain}/upload/emulator/chat-avatar/${chatId}.png`);
  });
});
