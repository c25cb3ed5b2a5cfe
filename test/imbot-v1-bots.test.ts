import { beforeEach, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../src/index.js";
import { expectMatchesOpenApi } from "./support/openapi.js";
import { useListeningEmulator, v1Call, type EventHandler } from "./support/v1-bot.js";

/**
 * imbot v1 bots through a listening emulator, as a v1 bot sees them: it registers with CLIENT_ID
 * over an incoming webhook, its handler receives form-encoded ONIMBOT* events, and it answers with
 * imbot.message.add. Each test has a fresh portal.
 */
const listening = useListeningEmulator();
let emulator: RunningEmulator;
let handler: EventHandler;
beforeEach(() => {
  emulator = listening.emulator();
});

const CLIENT_ID = "v1-bot-client";

async function portalWithBot(extra: Record<string, unknown> = {}) {
  const portal = await emulator.createPortal();
  handler = await listening.handler();
  const call = (method: string, params: Record<string, unknown>, encoding: "form" | "json" = "form") => v1Call(portal.webhookUrl!, method, params, encoding);
  const registered = await call("imbot.register", {
    CODE: "echobot",
    TYPE: "B",
    EVENT_HANDLER: handler.url,
    PROPERTIES: { NAME: "Echo", LAST_NAME: "Bot", COLOR: "AQUA", WORK_POSITION: "" },
    CLIENT_ID,
    ...extra,
  });
  expect(registered.status).toBe(200);
  const botId = registered.body.result as number;
  return { portal, call, botId };
}

describe("imbot.register", () => {
  it("answers the new bot's id, bare, and the bot shows up in imbot.bot.list and imbot.v2.Bot.get", async () => {
    const { call, botId, portal } = await portalWithBot();
    expect(botId).toBeGreaterThan(456);
    const list = await call("imbot.bot.list", {});
    expect(list.body.result[String(botId)]).toEqual({ ID: botId, NAME: "Echo Bot", CODE: "echobot", OPENLINE: "N" });
    expect(list.body.result["456"]).toMatchObject({ CODE: "support_bot" });
    const v2 = await fetch(`${portal.webhookUrl!}imbot.v2.Bot.get`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ botId, botToken: CLIENT_ID }) });
    expect(((await v2.json()) as { result: { bot: unknown; users: unknown[] } }).result).toMatchObject({
      bot: { id: botId, code: "echobot", type: "bot", eventMode: "webhook" },
      users: [{ id: botId, firstName: "Echo", lastName: "Bot", color: "#1eb4aa", workPosition: "Chat bot", bot: true }],
    });
  });

  it("returns the existing id for a CODE that exists, changing nothing", async () => {
    const { call, botId } = await portalWithBot();
    const again = await call("imbot.register", { CODE: "echobot", EVENT_HANDLER: "http://127.0.0.1:1/other", PROPERTIES: { NAME: "Other" }, CLIENT_ID: "someone-else" });
    expect(again.body.result).toBe(botId);
    expect((await call("imbot.bot.list", {})).body.result[String(botId)].NAME).toBe("Echo Bot");
  });

  it.each([
    ["no CLIENT_ID under webhook auth", { CLIENT_ID: "" }, "ACCESS_DENIED", 403],
    ["no handler at all", { EVENT_HANDLER: "" }, "EVENT_MESSAGE_ADD_ERROR", 400],
    ["a handler that is not an absolute URL", { EVENT_HANDLER: "/bitrix" }, "EVENT_MESSAGE_ADD_ERROR", 400],
    ["only the message handler", { EVENT_HANDLER: "", EVENT_MESSAGE_ADD: "http://127.0.0.1:9/a" }, "EVENT_WELCOME_MESSAGE_ERROR", 400],
    ["no CODE", { CODE: "" }, "CODE_ERROR", 400],
    ["no NAME and no LAST_NAME", { PROPERTIES: { COLOR: "RED" } }, "NAME_ERROR", 400],
  ])("refuses %s", async (_case, change, code, status) => {
    const portal = await emulator.createPortal();
    const reply = await v1Call(portal.webhookUrl!, "imbot.register", {
      CODE: "bot",
      EVENT_HANDLER: "http://127.0.0.1:9/hook",
      PROPERTIES: { NAME: "Bot" },
      CLIENT_ID,
      ...change,
    });
    expect([reply.status, reply.body.error]).toEqual([status, code]);
    expect((await v1Call(portal.webhookUrl!, "imbot.bot.list", {})).body.result).not.toHaveProperty("457");
  });

  it("refuses a sixth bot of one owner with MAX_COUNT_ERROR", async () => {
    const portal = await emulator.createPortal();
    for (let i = 0; i < 5; i++) {
      const ok = await v1Call(portal.webhookUrl!, "imbot.register", { CODE: `b${i}`, EVENT_HANDLER: "http://127.0.0.1:9/h", PROPERTIES: { NAME: "B" }, CLIENT_ID });
      expect(ok.status).toBe(200);
    }
    const sixth = await v1Call(portal.webhookUrl!, "imbot.register", { CODE: "b5", EVENT_HANDLER: "http://127.0.0.1:9/h", PROPERTIES: { NAME: "B" }, CLIENT_ID });
    expect([sixth.status, sixth.body.error]).toEqual([400, "MAX_COUNT_ERROR"]);
  });
});

describe("imbot.update and imbot.unregister", () => {
  it("imbot.update renames the bot and moves the owner's handlers; TYPE is not changeable", async () => {
    const { portal, call, botId } = await portalWithBot();
    const moved = await listening.handler();
    const updated = await call("imbot.update", { BOT_ID: botId, CLIENT_ID, FIELDS: { CODE: "echo2", EVENT_MESSAGE_ADD: moved.url, PROPERTIES: { NAME: "Renamed" }, TYPE: "S" } });
    expect(updated.body.result).toBe(true);
    expect((await call("imbot.bot.list", {})).body.result[String(botId)]).toMatchObject({ NAME: "Renamed Bot", CODE: "echo2" });
    await portal.control.userSays({ authorId: 1, dialogId: String(botId), text: "after the move" });
    expect((await moved.next("ONIMBOTMESSAGEADD")).form["data[PARAMS][MESSAGE]"]).toBe("after the move");
    expect(handler.received.map((e) => e.form.event)).toEqual(["ONIMBOTJOINCHAT"]);
    for (const [fields, code] of [[{}, "WRONG_REQUEST"], [{ EVENT_HANDLER: "nope" }, "EVENT_MESSAGE_ADD_ERROR"], [{ PROPERTIES: { NAME: "", LAST_NAME: "" } }, "NAME_ERROR"]] as const) {
      expect((await call("imbot.update", { BOT_ID: botId, CLIENT_ID, FIELDS: fields })).body.error).toBe(code);
    }
    expect((await call("imbot.update", { BOT_ID: 456, CLIENT_ID, FIELDS: { CODE: "x" } })).body.error).toBe("APP_ID_ERROR");
  });

  it("imbot.unregister sends ONIMBOTDELETE, then the bot and its commands are gone", async () => {
    const { portal, call, botId } = await portalWithBot();
    await call("imbot.command.register", { BOT_ID: botId, COMMAND: "ping", EVENT_COMMAND_ADD: handler.url, LANG: [{ LANGUAGE_ID: "en", TITLE: "Ping" }], CLIENT_ID });
    expect((await call("imbot.unregister", { BOT_ID: botId, CLIENT_ID: "intruder" })).body.error).toBe("APP_ID_ERROR");
    expect((await call("imbot.unregister", { BOT_ID: botId, CLIENT_ID })).body.result).toBe(true);
    const deleted = await handler.next("ONIMBOTDELETE");
    expect(deleted.form).toMatchObject({ "data[BOT_ID]": String(botId), "data[BOT_CODE]": "echobot", "auth[application_token]": CLIENT_ID });
    expect((await call("imbot.bot.list", {})).body.result).not.toHaveProperty(String(botId));
    expect((await call("imbot.unregister", { BOT_ID: botId, CLIENT_ID })).body.error).toBe("BOT_ID_ERROR");
    const { commands } = await portal.control.userSays({ authorId: 1, dialogId: "chat5", text: "/ping" });
    expect(commands).toEqual([]);
    await portal.control.waitFor({ for: "delivery", event: "ONIMBOTDELETE", timeout: 5000 });
    expect(portal.control.deliveries().map((d) => [d.event, d.botId, d.status])).toContainEqual(["ONIMBOTDELETE", botId, 200]);
  });

  it("imbot.unregister deletes the bot's 1:1 dialogs with their messages and keeps its group chats' history", async () => {
    const { portal, call, botId } = await portalWithBot();
    const { message } = await portal.control.userSays({ authorId: 1, dialogId: String(botId), text: "hello bot" });
    const reply = await call("imbot.message.add", { BOT_ID: botId, DIALOG_ID: "1", MESSAGE: "hi there", CLIENT_ID });
    await portal.control.addToChat("chat5", { userIds: [botId], addedBy: 1 });
    const inGroup = await call("imbot.message.add", { BOT_ID: botId, DIALOG_ID: "chat5", MESSAGE: "group hello", CLIENT_ID });
    const dialogs = () => portal.control.chats().filter((c) => c.type === "private" && c.members.includes(botId));
    expect(dialogs()).toHaveLength(1);

    expect((await call("imbot.unregister", { BOT_ID: botId, CLIENT_ID })).body.result).toBe(true);
    const deleted = await handler.next("ONIMBOTDELETE");
    expect(deleted.form).toMatchObject({ event: "ONIMBOTDELETE", "data[BOT_ID]": String(botId), "data[BOT_CODE]": "echobot" });
    expect(Object.keys(deleted.form).filter((key) => key.startsWith("data["))).toEqual(["data[BOT_ID]", "data[BOT_CODE]"]);

    expect(dialogs()).toEqual([]);
    const history = await call("im.dialog.messages.get", { DIALOG_ID: String(botId) });
    expect([history.status, history.body.error]).toEqual([400, "ACCESS_ERROR"]);
    const group = await call("im.dialog.messages.get", { DIALOG_ID: "chat5", LIMIT: 50 });
    const ids = (group.body.result.messages as { id: number }[]).map((m) => m.id);
    expect(ids).toContain(inGroup.body.result);
    expect(ids).not.toContain(message.id);
    expect(ids).not.toContain(reply.body.result);
  });
});

describe("ONIMBOTMESSAGEADD and imbot.message.add", () => {
  it("a user's 1:1 message reaches the handler form-encoded, and the bot's reply lands in the dialog", async () => {
    const { portal, call, botId } = await portalWithBot();
    const { message } = await portal.control.userSays({ authorId: 1, dialogId: String(botId), text: "hello bot" });

    const welcome = await handler.next("ONIMBOTJOINCHAT");
    expect(welcome.form).toMatchObject({
      "data[PARAMS][CHAT_TYPE]": "P",
      "data[PARAMS][DIALOG_ID]": "1",
      "data[PARAMS][USER_ID]": "1",
      "data[PARAMS][BOT_ID]": String(botId),
      [`data[BOT][${botId}][BOT_ID]`]: String(botId),
      "data[USER][ID]": "1",
      "data[USER][NAME]": "Anna Admin",
    });

    const event = await handler.next("ONIMBOTMESSAGEADD");
    expect(event.contentType).toBe("application/x-www-form-urlencoded");
    expect(event.path).toBe(`/?CLIENT_ID=${CLIENT_ID}`);
    expect(event.form).toMatchObject({
      event: "ONIMBOTMESSAGEADD",
      "data[PARAMS][MESSAGE]": "hello bot",
      "data[PARAMS][MESSAGE_ID]": String(message.id),
      "data[PARAMS][DIALOG_ID]": "1",
      "data[PARAMS][FROM_USER_ID]": "1",
      "data[PARAMS][TO_USER_ID]": String(botId),
      "data[PARAMS][MESSAGE_TYPE]": "P",
      "data[PARAMS][CHAT_TYPE]": "P",
      "data[PARAMS][SYSTEM]": "N",
      "data[PARAMS][LANGUAGE]": "en",
      [`data[BOT][${botId}][BOT_ID]`]: String(botId),
      [`data[BOT][${botId}][BOT_CODE]`]: "echobot",
      "data[USER][ID]": "1",
      "data[USER][FIRST_NAME]": "Anna",
      "data[USER][IS_BOT]": "N",
      "auth[application_token]": CLIENT_ID,
      "auth[client_endpoint]": `${emulator.restUrl}`,
    });
    expect(Number(event.form.event_handler_id)).toBeGreaterThan(0);
    expect(Math.abs(Number(event.form.ts) - Date.now() / 1000)).toBeLessThan(600);

    // The bot answers as bitrixogram does: no BOT_ID (the owner's first bot), DIALOG_ID from the event.
    const reply = await call("imbot.message.add", { DIALOG_ID: event.form["data[PARAMS][DIALOG_ID]"], MESSAGE: "you said: hello bot", ATTACH: "", CLIENT_ID });
    expect(reply.status).toBe(200);
    const stored = await portal.control.waitForMessage(String(botId), { authorId: botId, afterId: message.id });
    expect(stored).toMatchObject({ id: reply.body.result, text: "you said: hello bot", isSystem: false });
  });

  it("a group chat message reaches a v1 bot only when it is mentioned, without the mention tag", async () => {
    const { portal, botId } = await portalWithBot();
    await portal.control.addToChat("chat5", { userIds: [botId], addedBy: 1 });
    const joined = await handler.next("ONIMBOTJOINCHAT");
    expect(joined.form).toMatchObject({ "data[PARAMS][CHAT_TYPE]": "C", "data[PARAMS][DIALOG_ID]": "chat5", "data[PARAMS][CHAT_ID]": "5", "data[PARAMS][USER_ID]": "1" });

    await portal.control.userSays({ authorId: 1, dialogId: "chat5", text: "nobody is mentioned" });
    const { message } = await portal.control.userSays({ authorId: 1, dialogId: "chat5", text: `[USER=${botId}]Echo Bot[/USER], ping` });
    const event = await handler.next("ONIMBOTMESSAGEADD");
    expect(event.form).toMatchObject({
      "data[PARAMS][MESSAGE]": "ping",
      "data[PARAMS][MESSAGE_ORIGINAL]": `[USER=${botId}]Echo Bot[/USER], ping`,
      "data[PARAMS][MESSAGE_ID]": String(message.id),
      "data[PARAMS][DIALOG_ID]": "chat5",
      "data[PARAMS][TO_USER_ID]": String(botId),
      [`data[PARAMS][MENTIONED_LIST][${botId}]`]: String(botId),
      "data[PARAMS][CHAT_TITLE]": expect.any(String),
    });
    expect(handler.received.filter((e) => e.form.event === "ONIMBOTMESSAGEADD")).toHaveLength(1);
  });

  it("imbot.message.add posts into a chat the bot is in, with a keyboard sent as PHP form keys", async () => {
    const { portal, call, botId } = await portalWithBot();
    await portal.control.addToChat("chat5", { userIds: [botId], addedBy: 1 });
    const reply = await call("imbot.message.add", {
      BOT_ID: botId,
      DIALOG_ID: "chat5",
      MESSAGE: "Pick one",
      KEYBOARD: [{ TEXT: "+", COMMAND: "inc", WIDTH: 200, BLOCK: "Y" }, { TYPE: "NEWLINE" }, { TEXT: "-", COMMAND: "dec" }],
      CLIENT_ID,
    });
    expect(reply.status).toBe(200);
    const stored = (await portal.control.messages("chat5")).find((m) => m.id === reply.body.result);
    expect(stored).toMatchObject({ authorId: botId, text: "Pick one", params: { KEYBOARD: { BOT_ID: botId, BUTTONS: [{ TEXT: "+", COMMAND: "inc" }, { TYPE: "NEWLINE" }, { TEXT: "-" }] } } });
  });

  it.each([
    ["no CLIENT_ID", { CLIENT_ID: "" }, "ACCESS_DENIED", 403],
    ["another owner's bot", { CLIENT_ID: "intruder" }, "APP_ID_ERROR", 400],
    ["an unknown BOT_ID", { BOT_ID: 99999 }, "BOT_ID_ERROR", 400],
    ["no DIALOG_ID", { DIALOG_ID: "" }, "DIALOG_ID_EMPTY", 400],
    ["no MESSAGE", { MESSAGE: "  " }, "MESSAGE_EMPTY", 400],
    ["a broken ATTACH", { ATTACH: "{not json" }, "ATTACH_ERROR", 400],
    ["a broken KEYBOARD", { KEYBOARD: "{not json" }, "KEYBOARD_ERROR", 400],
    ["a chat the bot is not in", { DIALOG_ID: "chat5" }, "WRONG_REQUEST", 400],
  ])("imbot.message.add refuses %s, and nothing is stored", async (_case, change, code, status) => {
    const { portal, call, botId } = await portalWithBot();
    const before = (await portal.control.messages("chat5")).length;
    const reply = await call("imbot.message.add", { BOT_ID: botId, DIALOG_ID: "1", MESSAGE: "hi", CLIENT_ID, ...change });
    expect([reply.status, reply.body.error]).toEqual([status, code]);
    expect(typeof reply.body.error_description).toBe("string");
    expect(await portal.control.messages("chat5")).toHaveLength(before);
  });

  it("a v1 bot's own message reaches no handler, and a v2 bot never hears v1 events", async () => {
    const { portal, call, botId } = await portalWithBot();
    await portal.control.addToChat("chat5", { userIds: [botId], addedBy: 1 });
    await handler.next("ONIMBOTJOINCHAT");
    await call("imbot.message.add", { BOT_ID: botId, DIALOG_ID: "chat5", MESSAGE: `[USER=${botId}]me[/USER] talking to myself`, CLIENT_ID });
    const { message } = await portal.control.userSays({ authorId: 1, dialogId: "chat5", text: `[USER=${botId}]x[/USER] [USER=456]y[/USER] both` });
    await handler.next("ONIMBOTMESSAGEADD");
    expect(handler.received.map((e) => e.form.event)).toEqual(["ONIMBOTJOINCHAT", "ONIMBOTMESSAGEADD"]);
    // The v2 fixture bot 456 (fetch mode) got its own ONIMBOTV2MESSAGEADD for the same message.
    expect(portal.control.events(456).map((e) => [e.type, (e.data.message as { id: number }).id])).toContainEqual(["ONIMBOTV2MESSAGEADD", message.id]);
  });

  it("the control API over HTTP reports v1 events in a user's message outcome, as documented", async () => {
    const { portal, botId } = await portalWithBot();
    const url = `${emulator.httpUrl}/_emulator/portals/${portal.id}/messages`;
    const res = await fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ authorId: 1, dialogId: String(botId), text: "over http" }) });
    const body = (await res.json()) as { events: { type: string; botId: number; mode: string }[] };
    expectMatchesOpenApi({ method: "POST", url }, { status: res.status, body, contentType: res.headers.get("content-type") ?? "" });
    expect(body.events.map((e) => [e.type, e.botId, e.mode])).toEqual([
      ["ONIMBOTJOINCHAT", botId, "webhook"],
      ["ONIMBOTMESSAGEADD", botId, "webhook"],
    ]);
  });
});
