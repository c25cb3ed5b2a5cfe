import { describe, expect, it } from "vitest";
import type { PortalHandle } from "../src/index.js";
import { httpClient } from "./support/http-client.js";
import { webhookRest } from "./support/webhook-rest.js";
import { useListeningEmulator, v1Call } from "./support/v1-bot.js";

/**
 * A reply names the message it answers in the message's params (`REPLY_ID`), so a bot can read the
 * original (issue 11): in the events of both delivery modes, in the v1 layout, and wherever a method
 * hands the message back. Each test has a fresh portal of one listening emulator.
 */

const listening = useListeningEmulator();
const client = () => httpClient(listening.emulator().httpUrl!);

type Result = Record<string, unknown>;

const rest = (portal: PortalHandle) => webhookRest(listening.emulator().httpUrl!, portal);

/** A person types into the chat through the control API, as the inspector's Reply button does. */
async function userSays(portal: PortalHandle, body: { authorId: number; dialogId: string; text: string; replyId?: number }): Promise<number> {
  const reply = await client().call("POST", `/_emulator/portals/${portal.id}/messages`, body);
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return (reply.body.message as { id: number }).id;
}

async function registerBot(portal: PortalHandle, fields: Record<string, unknown>): Promise<{ botId: number; botToken: string }> {
  const botToken = `token-${String(fields.code)}`;
  const result = await rest(portal)("imbot.v2.Bot.register", { botToken, fields: { properties: { name: "Reader" }, ...fields } });
  return { botId: (result.bot as { id: number }).id, botToken };
}

type FetchedEvent = { type: string; data: { message: { id: number; params: Result } } };

async function fetchedEvents(portal: PortalHandle, bot: { botId: number; botToken: string }): Promise<FetchedEvent[]> {
  return (await rest(portal)("imbot.v2.Event.get", bot)).events as FetchedEvent[];
}

describe("a person's reply reaches the bot with params.REPLY_ID", () => {
  it("fetch mode: MESSAGEADD and COMMANDADD carry it; Chat.Message.get and getContext show it", async () => {
    const portal = await listening.emulator().createPortal();
    const bot = await registerBot(portal, { code: "reply_reader", type: "personal", eventMode: "fetch" });
    await rest(portal)("imbot.v2.Command.register", { ...bot, command: "again", title: { en: "Again" } });
    const dialogId = String(bot.botId);
    const original = await userSays(portal, { authorId: 1, dialogId, text: "first thought" });
    const reply = await userSays(portal, { authorId: 1, dialogId, text: "about that", replyId: original });
    const commandReply = await userSays(portal, { authorId: 1, dialogId, text: "/again", replyId: original });

    const events = (await fetchedEvents(portal, bot)).filter((e) => e.type !== "ONIMBOTV2JOINCHAT");
    expect(events.map((e) => [e.type, e.data.message.id, e.data.message.params.REPLY_ID])).toEqual([
      ["ONIMBOTV2MESSAGEADD", original, undefined],
      ["ONIMBOTV2MESSAGEADD", reply, original],
      ["ONIMBOTV2COMMANDADD", commandReply, original],
    ]);

    const got = await rest(portal)("imbot.v2.Chat.Message.get", { ...bot, messageId: reply });
    expect((got.message as { params: Result }).params).toEqual({ REPLY_ID: original });
    const context = await rest(portal)("imbot.v2.Chat.Message.getContext", { ...bot, messageId: reply, range: 5 });
    const params = (context.messages as { id: number; params: Result }[]).map((m) => [m.id, m.params.REPLY_ID]);
    expect(params).toEqual([
      [original, undefined],
      [reply, original],
      [commandReply, original],
    ]);
  });

  it("webhook mode: the form carries data[message][params][REPLY_ID]", async () => {
    const portal = await listening.emulator().createPortal();
    const handler = await listening.handler();
    const bot = await registerBot(portal, { code: "hook_reader", eventMode: "webhook", webhookUrl: handler.url });
    const dialogId = String(bot.botId);
    const original = await userSays(portal, { authorId: 2, dialogId, text: "first thought" });
    const first = await handler.next("ONIMBOTV2MESSAGEADD");
    expect(Object.keys(first.form).filter((key) => key.includes("REPLY_ID"))).toEqual([]);

    const reply = await userSays(portal, { authorId: 2, dialogId, text: "about that", replyId: original });
    const event = await handler.next("ONIMBOTV2MESSAGEADD", handler.received.indexOf(first) + 1);
    expect(event.form).toMatchObject({
      "data[message][id]": String(reply),
      "data[message][params][REPLY_ID]": String(original),
    });
  });

  it("a v1 bot gets data[PARAMS][PARAMS][REPLY_ID] in ONIMBOTMESSAGEADD and ONIMCOMMANDADD", async () => {
    const portal = await listening.emulator().createPortal();
    const handler = await listening.handler();
    const owner = { CLIENT_ID: "v1-owner" };
    const register = { CODE: "v1replies", TYPE: "B", EVENT_HANDLER: handler.url, PROPERTIES: { NAME: "Old reader" }, ...owner };
    const botId = (await v1Call(portal.webhookUrl!, "imbot.register", register)).body.result as number;
    const command = await v1Call(portal.webhookUrl!, "imbot.command.register", { BOT_ID: botId, ...owner, COMMAND: "again", EVENT_COMMAND_ADD: handler.url, LANG: [{ LANGUAGE_ID: "en", TITLE: "Again" }] });
    expect(command.status, JSON.stringify(command.body)).toBe(200);
    const dialogId = String(botId);
    const original = await userSays(portal, { authorId: 1, dialogId, text: "first thought" });
    const plain = await handler.next("ONIMBOTMESSAGEADD");
    expect(Object.keys(plain.form).filter((key) => key.startsWith("data[PARAMS][PARAMS]"))).toEqual([]);

    const reply = await userSays(portal, { authorId: 1, dialogId, text: "about that", replyId: original });
    const event = await handler.next("ONIMBOTMESSAGEADD", handler.received.indexOf(plain) + 1);
    expect(event.form).toMatchObject({ "data[PARAMS][MESSAGE_ID]": String(reply), "data[PARAMS][PARAMS][REPLY_ID]": String(original) });

    const commandReply = await userSays(portal, { authorId: 1, dialogId, text: "/again", replyId: original });
    const called = await handler.next("ONIMCOMMANDADD");
    expect(called.form).toMatchObject({ "data[PARAMS][MESSAGE_ID]": String(commandReply), "data[PARAMS][PARAMS][REPLY_ID]": String(original) });
  });
});

describe("replies sent through REST show REPLY_ID where the message is read back", () => {
  it("Chat.Message.send fields.replyId, seen by Chat.Message.get", async () => {
    const portal = await listening.emulator().createPortal();
    const bot = await registerBot(portal, { code: "replier", type: "personal", eventMode: "fetch" });
    const dialogId = String(bot.botId);
    const question = await userSays(portal, { authorId: 1, dialogId, text: "what time is it?" });
    const sent = await rest(portal)("imbot.v2.Chat.Message.send", { ...bot, dialogId: "1", fields: { message: "noon", replyId: question } });
    const answer = sent.id as number;
    const got = await rest(portal)("imbot.v2.Chat.Message.get", { ...bot, messageId: answer });
    expect(got.message).toMatchObject({ id: answer, params: { REPLY_ID: question } });
  });

  it("im.message.add REPLY_ID, seen by im.dialog.messages.get", async () => {
    const portal = await listening.emulator().createPortal();
    const bot = await registerBot(portal, { code: "listener", eventMode: "fetch" });
    const dialogId = String(bot.botId);
    const original = await userSays(portal, { authorId: 1, dialogId, text: "note one" });
    const replyId = (await rest(portal)("im.message.add", { DIALOG_ID: dialogId, MESSAGE: "and another", REPLY_ID: original })) as unknown as number;
    const history = await rest(portal)("im.dialog.messages.get", { DIALOG_ID: dialogId });
    const params = (history.messages as { id: number; params: Result }[]).map((m) => [m.id, m.params.REPLY_ID]);
    expect(params).toEqual([
      [replyId, original],
      [original, undefined],
    ]);
  });
});
