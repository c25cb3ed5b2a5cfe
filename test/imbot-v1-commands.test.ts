import { beforeEach, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../src/index.js";
import { useListeningEmulator, v1Call, type EventHandler } from "./support/v1-bot.js";

/**
 * imbot v1 commands and message edits through a listening emulator, as a v1 bot sees them: the
 * command call arrives as ONIMCOMMANDADD (instead of ONIMBOTMESSAGEADD), the bot answers with
 * imbot.command.answer, edits and deletes its messages, and hears edits when it bound a handler.
 */
const listening = useListeningEmulator();
let emulator: RunningEmulator;
let handler: EventHandler;
beforeEach(() => {
  emulator = listening.emulator();
});

const CLIENT_ID = "cmd-client";

async function botWithEcho(type = "B") {
  const portal = await emulator.createPortal();
  handler = await listening.handler();
  const call = (method: string, params: Record<string, unknown>) => v1Call(portal.webhookUrl!, method, { CLIENT_ID, ...params });
  const botId = (await call("imbot.register", { CODE: "echobot", TYPE: type, EVENT_HANDLER: handler.url, PROPERTIES: { NAME: "Echo" } })).body.result as number;
  const registered = await call("imbot.command.register", {
    BOT_ID: botId,
    COMMAND: "echo",
    COMMON: "Y",
    HIDDEN: "N",
    EXTRANET_SUPPORT: "N",
    LANG: [{ LANGUAGE_ID: "en", TITLE: "Echo", PARAMS: "text" }],
    EVENT_COMMAND_ADD: `${handler.url}commands`,
  });
  expect(registered.status).toBe(200);
  return { portal, call, botId, commandId: registered.body.result as number };
}

describe("imbot.command.register", () => {
  it("answers the command id; the command is the shared one v2 lists as /echo; the same call again gives the same id", async () => {
    const { portal, call, botId, commandId } = await botWithEcho();
    const again = await call("imbot.command.register", { BOT_ID: botId, COMMAND: "/echo", EVENT_COMMAND_ADD: handler.url, LANG: [{ LANGUAGE_ID: "en", TITLE: "Echo" }] });
    expect(again.body.result).toBe(commandId);
    const v2 = await fetch(`${portal.webhookUrl}imbot.v2.Command.list`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ botId, botToken: CLIENT_ID }) });
    expect(((await v2.json()) as { result: { commands: unknown[] } }).result.commands).toEqual([
      expect.objectContaining({ id: commandId, botId, command: "/echo", common: true, hidden: false, title: "Echo", params: "text" }),
    ]);
  });

  it.each([
    ["no EVENT_COMMAND_ADD", { EVENT_COMMAND_ADD: "" }, "EVENT_COMMAND_ADD_ERROR"],
    ["a relative EVENT_COMMAND_ADD", { EVENT_COMMAND_ADD: "commands" }, "EVENT_COMMAND_ADD_ERROR"],
    ["no COMMAND", { COMMAND: "" }, "COMMAND_ERROR"],
    ["no BOT_ID", { BOT_ID: "" }, "BOT_ID_ERROR"],
    ["another owner's bot", { BOT_ID: 456 }, "APP_ID_ERROR"],
    ["no LANG", { LANG: "" }, "LANG_ERROR"],
  ])("refuses %s", async (_case, change, code) => {
    const { call, botId } = await botWithEcho();
    const reply = await call("imbot.command.register", { BOT_ID: botId, COMMAND: "other", EVENT_COMMAND_ADD: handler.url, LANG: [{ LANGUAGE_ID: "en", TITLE: "O" }], ...change });
    expect([reply.status, reply.body.error]).toEqual([400, code]);
  });
});

describe("ONIMCOMMANDADD and imbot.command.answer", () => {
  it("a typed command reaches the command handler instead of ONIMBOTMESSAGEADD; answering by COMMAND name posts the reply", async () => {
    const { portal, call, botId, commandId } = await botWithEcho();
    const { message } = await portal.control.userSays({ authorId: 1, dialogId: String(botId), text: "/echo hello there" });
    const event = await handler.next("ONIMCOMMANDADD");
    expect(event.path).toBe(`/commands?CLIENT_ID=${CLIENT_ID}`);
    expect(event.form).toMatchObject({
      [`data[COMMAND][${commandId}][COMMAND]`]: "echo",
      [`data[COMMAND][${commandId}][COMMAND_ID]`]: String(commandId),
      [`data[COMMAND][${commandId}][COMMAND_PARAMS]`]: "hello there",
      [`data[COMMAND][${commandId}][COMMAND_CONTEXT]`]: "TEXTAREA",
      [`data[COMMAND][${commandId}][MESSAGE_ID]`]: String(message.id),
      [`data[COMMAND][${commandId}][BOT_ID]`]: String(botId),
      [`data[COMMAND][${commandId}][BOT_CODE]`]: "echobot",
      "data[PARAMS][MESSAGE]": "/echo hello there",
      "data[PARAMS][DIALOG_ID]": "1",
      "data[PARAMS][MESSAGE_ID]": String(message.id),
      "data[USER][ID]": "1",
      "data[USER][NAME]": "Anna Admin",
    });
    expect(handler.received.map((e) => e.form.event)).not.toContain("ONIMBOTMESSAGEADD");

    // bitrixogram's answer: BOT_ID, COMMAND (the name), MESSAGE_ID from the event, MESSAGE.
    const answer = await call("imbot.command.answer", { BOT_ID: botId, COMMAND: "echo", MESSAGE_ID: event.form[`data[COMMAND][${commandId}][MESSAGE_ID]`], MESSAGE: "hello there" });
    expect(answer.status).toBe(200);
    expect(await portal.control.waitForMessage(String(botId), { authorId: botId, afterId: message.id })).toMatchObject({ id: answer.body.result, text: "hello there" });

    // The official SDK's answer: COMMAND_ID.
    const byId = await call("imbot.command.answer", { COMMAND_ID: commandId, MESSAGE_ID: message.id, MESSAGE: "again" });
    expect(byId.status).toBe(200);
  });

  it("a keyboard button press arrives as ONIMCOMMANDADD with KEYBOARD context and the bot message's id", async () => {
    const { portal, call, botId, commandId } = await botWithEcho();
    await portal.control.addToChat("chat5", { userIds: [botId], addedBy: 1 });
    const posted = await call("imbot.message.add", { BOT_ID: botId, DIALOG_ID: "chat5", MESSAGE: "Press", KEYBOARD: [{ TEXT: "Echo", COMMAND: "echo", COMMAND_PARAMS: "pressed" }] });
    await portal.control.pressButton({ userId: 1, messageId: posted.body.result as number, command: "echo" });
    const event = await handler.next("ONIMCOMMANDADD");
    expect(event.form).toMatchObject({
      [`data[COMMAND][${commandId}][COMMAND_CONTEXT]`]: "KEYBOARD",
      [`data[COMMAND][${commandId}][COMMAND_PARAMS]`]: "pressed",
      [`data[COMMAND][${commandId}][MESSAGE_ID]`]: String(posted.body.result),
      "data[PARAMS][DIALOG_ID]": "chat5",
      "data[USER][ID]": "1",
    });
  });

  it.each([
    ["no CLIENT_ID", { CLIENT_ID: "" }, "ACCESS_DENIED", 403],
    ["an unknown COMMAND", { COMMAND: "nope" }, "COMMAND_ID_ERROR", 400],
    ["another owner's command", { CLIENT_ID: "intruder" }, "APP_ID_ERROR", 400],
    ["no MESSAGE_ID", { MESSAGE_ID: "" }, "MESSAGE_ID_EMPTY", 400],
    ["no MESSAGE", { MESSAGE: "" }, "MESSAGE_EMPTY", 400],
    ["a broken KEYBOARD", { KEYBOARD: "[" }, "KEYBOARD_ERROR", 400],
    ["an unknown MESSAGE_ID", { MESSAGE_ID: 999999 }, "WRONG_REQUEST", 400],
  ])("imbot.command.answer refuses %s", async (_case, change, code, status) => {
    const { portal, call } = await botWithEcho();
    const { message } = await portal.control.userSays({ authorId: 1, dialogId: "chat5", text: "/echo x" });
    const reply = await call("imbot.command.answer", { COMMAND: "echo", MESSAGE_ID: message.id, MESSAGE: "x", ...change });
    expect([reply.status, reply.body.error]).toEqual([status, code]);
  });

  it("imbot.command.update renames the command and imbot.command.unregister removes it", async () => {
    const { portal, call, botId, commandId } = await botWithEcho();
    expect((await call("imbot.command.update", { COMMAND_ID: commandId, FIELDS: { COMMAND: "say" } })).body.result).toBe(true);
    expect((await call("imbot.command.update", { COMMAND_ID: commandId, FIELDS: {} })).body.error).toBe("WRONG_REQUEST");
    await portal.control.userSays({ authorId: 1, dialogId: String(botId), text: "/say hi" });
    const event = await handler.next("ONIMCOMMANDADD");
    expect(event.form[`data[COMMAND][${commandId}][COMMAND]`]).toBe("say");
    expect((await call("imbot.command.unregister", { COMMAND_ID: commandId })).body.result).toBe(true);
    expect((await call("imbot.command.unregister", { COMMAND_ID: commandId })).body.error).toBe("COMMAND_ID_ERROR");
    const { commands } = await portal.control.userSays({ authorId: 1, dialogId: String(botId), text: "/say hi" });
    expect(commands).toEqual([]);
  });
});

describe("imbot.message.update / delete and their events", () => {
  it("a v1 bot edits and deletes its own message; a supervisor with update/delete handlers hears a person's edits", async () => {
    const portal = await emulator.createPortal();
    handler = await listening.handler();
    const call = (method: string, params: Record<string, unknown>) => v1Call(portal.webhookUrl!, method, { CLIENT_ID, ...params });
    const botId = (await call("imbot.register", { CODE: "watcher", TYPE: "S", EVENT_HANDLER: handler.url, PROPERTIES: { NAME: "Watcher" } })).body.result as number;
    await portal.control.addToChat("chat5", { userIds: [botId], addedBy: 1 });

    const mine = await call("imbot.message.add", { BOT_ID: botId, DIALOG_ID: "chat5", MESSAGE: "first", KEYBOARD: [{ TEXT: "x", COMMAND: "x" }] });
    expect((await call("imbot.message.update", { BOT_ID: botId, MESSAGE_ID: mine.body.result, DIALOG_ID: "chat5", MESSAGE: "second", ATTACH: "", KEYBOARD: "" })).body.result).toBe(true);
    const stored = (await portal.control.messages("chat5")).find((m) => m.id === mine.body.result);
    expect(stored).toMatchObject({ text: "second", params: {} });

    expect((await call("imbot.message.delete", { BOT_ID: botId, MESSAGE_ID: mine.body.result, COMPLETE: "N" })).body.result).toBe(true);
    expect((await portal.control.messages("chat5")).find((m) => m.id === mine.body.result)).toMatchObject({ deleted: true, text: "" });

    const refused = await call("imbot.message.update", { BOT_ID: botId, MESSAGE_ID: 789, MESSAGE: "not mine" });
    expect([refused.status, refused.body.error]).toEqual([403, "CANT_EDIT_MESSAGE"]);
    expect((await call("imbot.message.delete", { BOT_ID: botId, MESSAGE_ID: "" })).body.error).toBe("MESSAGE_ID_ERROR");

    // A supervisor sees every message of its chats; its owner bound the update and delete handlers
    // at registration (kept for TYPE S). A person edits and deletes through im.message.*.
    const person = (method: string, params: Record<string, unknown>) => v1Call(portal.webhookUrl!, method, params, "json");
    const sent = await person("im.message.add", { DIALOG_ID: "chat5", MESSAGE: "from Anna" });
    const added = await handler.next("ONIMBOTMESSAGEADD");
    expect(added.form).toMatchObject({ "data[PARAMS][MESSAGE_ID]": String(sent.body.result), "data[PARAMS][MESSAGE]": "from Anna", "data[USER][IS_BOT]": "N" });
    expect((await person("im.message.update", { MESSAGE_ID: sent.body.result, MESSAGE: "edited by Anna" })).body.result).toBe(true);
    const updated = await handler.next("ONIMBOTMESSAGEUPDATE");
    expect(updated.form).toMatchObject({ "data[PARAMS][ID]": String(sent.body.result), "data[PARAMS][MESSAGE]": "edited by Anna", "data[PARAMS][DIALOG_ID]": "chat5" });
    expect((await person("im.message.delete", { MESSAGE_ID: sent.body.result })).body.result).toBe(true);
    const deleted = await handler.next("ONIMBOTMESSAGEDELETE");
    expect(deleted.form["data[PARAMS][MESSAGE_ID]"]).toBe(String(sent.body.result));
    expect(deleted.form["data[PARAMS][MESSAGE]"]).toMatch(/^Message from \d\d\/\d\d\/\d{4} \d\d:\d\d:\d\d has been deleted$/);
    const notMine = await person("im.message.update", { MESSAGE_ID: mine.body.result, MESSAGE: "x" });
    expect([notMine.status, notMine.body.error]).toEqual([403, "CANT_EDIT_MESSAGE"]);
    expect((await call("imbot.message.like", { BOT_ID: botId, MESSAGE_ID: 789 })).body.result).toBe(true);
    expect((await call("imbot.message.like", { BOT_ID: botId, MESSAGE_ID: 789, ACTION: "plus" })).body.error).toBe("WITHOUT_CHANGES");
    expect((await call("imbot.message.like", { BOT_ID: botId, MESSAGE_ID: 789, ACTION: "minus" })).body.result).toBe(true);
    expect((await call("imbot.message.like", { BOT_ID: botId, MESSAGE_ID: 999999 })).body.error).toBe("MESSAGE_ID_ERROR");
    expect(await call("imbot.chat.sendTyping", { BOT_ID: botId, DIALOG_ID: "chat5" })).toMatchObject({ status: 200, body: { result: true } });
    expect((await call("imbot.chat.sendTyping", { BOT_ID: botId, DIALOG_ID: "" })).body.error).toBe("DIALOG_ID_EMPTY");
  });
});

describe("imbot.message.like", () => {
  it("is the bot's `like` reaction: a v2 author with reactions enabled hears ONIMBOTV2REACTIONCHANGE, add then delete", async () => {
    const { portal, call, botId } = await botWithEcho();
    await portal.control.addToChat("chat5", { userIds: [botId], addedBy: 1 });
    const v2 = (method: string, params: Record<string, unknown>) => v1Call(portal.webhookUrl!, `imbot.v2.${method}`, { botId: 456, botToken: "my_bot_token", ...params }, "json");
    const sent = await v2("Chat.Message.send", { dialogId: "chat5", fields: { message: "rate me" } });
    const messageId = sent.body.result.id as number;
    const reactionEvents = () => portal.control.events(456).filter((e) => e.type === "ONIMBOTV2REACTIONCHANGE");

    expect((await call("imbot.message.like", { BOT_ID: botId, MESSAGE_ID: messageId })).body.result).toBe(true);
    expect(reactionEvents().map((e) => e.data)).toEqual([
      expect.objectContaining({ reaction: "like", action: "add", message: expect.objectContaining({ id: messageId }), user: expect.objectContaining({ id: botId }) }),
    ]);
    // The v2 API sees the same reaction: the bot's like is already set, so adding it again is refused.
    const twice = await v1Call(portal.webhookUrl!, "imbot.v2.Chat.Message.Reaction.add", { botId, botToken: CLIENT_ID, messageId, reaction: "like" }, "json");
    expect([twice.status, twice.body.error]).toEqual([400, "REACTION_ALREADY_SET"]);

    expect((await call("imbot.message.like", { BOT_ID: botId, MESSAGE_ID: messageId, ACTION: "minus" })).body.result).toBe(true);
    expect(reactionEvents().map((e) => [e.data.reaction, e.data.action])).toEqual([["like", "add"], ["like", "delete"]]);
    const unchanged = await call("imbot.message.like", { BOT_ID: botId, MESSAGE_ID: messageId, ACTION: "minus" });
    expect([unchanged.status, unchanged.body.error]).toEqual([400, "WITHOUT_CHANGES"]);
    expect(reactionEvents()).toHaveLength(2);
  });

  it("raises nothing for a v1 author (v1 has no reaction event) nor for a v2 author with reactions off", async () => {
    const { portal, call, botId } = await botWithEcho();
    await portal.control.addToChat("chat5", { userIds: [botId], addedBy: 1 });
    const own = await call("imbot.message.add", { BOT_ID: botId, DIALOG_ID: "chat5", MESSAGE: "mine" });
    const { events } = await portal.control.userReacts({ userId: 1, messageId: own.body.result as number, reaction: "like" });
    expect(events).toEqual([]);

    const v2 = (method: string, params: Record<string, unknown>) => v1Call(portal.webhookUrl!, `imbot.v2.${method}`, { botId: 456, botToken: "my_bot_token", ...params }, "json");
    expect((await v2("Bot.update", { fields: { isReactionsEnabled: false } })).status).toBe(200);
    const quiet = await v2("Chat.Message.send", { dialogId: "chat5", fields: { message: "no feedback wanted" } });
    expect((await call("imbot.message.like", { BOT_ID: botId, MESSAGE_ID: quiet.body.result.id })).body.result).toBe(true);
    expect(portal.control.events(456).filter((e) => e.type === "ONIMBOTV2REACTIONCHANGE")).toEqual([]);
  });
});
