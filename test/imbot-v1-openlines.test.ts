import { beforeEach, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../src/index.js";
import { useListeningEmulator, v1Call } from "./support/v1-bot.js";

/**
 * Open-line chats (Open Channels) as v1 and v2 bots see them: the control API makes one, every
 * member bot that supports open lines hears every message of it with the type letter L, and no
 * other bot hears any, mentioned or supervising (spec v1.md §6.2).
 */
const listening = useListeningEmulator();
let emulator: RunningEmulator;
beforeEach(() => {
  emulator = listening.emulator();
});

async function portalWithBots() {
  const portal = await emulator.createPortal();
  const lines = await listening.handler();
  const others = await listening.handler();
  const call = (method: string, params: Record<string, unknown>) => v1Call(portal.webhookUrl!, method, params);
  const register = async (clientId: string, handlerUrl: string, code: string, extra: Record<string, unknown>) => {
    const reply = await call("imbot.register", { CODE: code, EVENT_HANDLER: handlerUrl, PROPERTIES: { NAME: code }, CLIENT_ID: clientId, ...extra });
    expect(reply.status).toBe(200);
    return reply.body.result as number;
  };
  const operator = await register("lines-client", lines.url, "operator", { TYPE: "O" });
  const helper = await register("lines-client", lines.url, "helper", { TYPE: "B", OPENLINE: "Y" });
  const plain = await register("other-client", others.url, "plain", { TYPE: "B" });
  const watcher = await register("other-client", others.url, "watcher", { TYPE: "S" });
  return { portal, call, lines, others, bots: { operator, helper, plain, watcher } };
}

describe("open-line chats", () => {
  it("TYPE O forces OPENLINE=Y; v2 reads O as `openline` and OPENLINE as isSupportOpenline", async () => {
    const { portal, call, bots } = await portalWithBots();
    const list = (await call("imbot.bot.list", {})).body.result;
    expect([list[bots.operator].OPENLINE, list[bots.helper].OPENLINE, list[bots.plain].OPENLINE, list[bots.watcher].OPENLINE]).toEqual(["Y", "Y", "N", "N"]);
    const v2Get = async (botId: number, botToken: string) =>
      (await v1Call(portal.webhookUrl!, "imbot.v2.Bot.get", { botId, botToken }, "json")).body.result.bot as Record<string, unknown>;
    expect(await v2Get(bots.operator, "lines-client")).toMatchObject({ type: "openline", isSupportOpenline: true });
    expect(await v2Get(bots.helper, "lines-client")).toMatchObject({ type: "bot", isSupportOpenline: true });
    expect(await v2Get(bots.watcher, "other-client")).toMatchObject({ type: "supervisor", isSupportOpenline: false });
  });

  it("delivers every message to the open-line bots only, one POST per owner, typed L, edits too", async () => {
    const { portal, lines, others, bots } = await portalWithBots();
    const chat = await portal.control.createChat({ title: "Client #1", ownerId: 1, members: [2, bots.operator, bots.helper, bots.plain, bots.watcher], type: "lines" });
    expect(chat).toMatchObject({ type: "lines", messageType: "L", entityType: "LINES" });
    const dialogId = chat.dialogId as string;

    const joined = await lines.next("ONIMBOTJOINCHAT");
    expect(joined.form).toMatchObject({ "data[PARAMS][CHAT_TYPE]": "L", "data[PARAMS][MESSAGE_TYPE]": "L", "data[PARAMS][CHAT_ENTITY_TYPE]": "LINES", "data[PARAMS][DIALOG_ID]": dialogId });
    expect((await others.next("ONIMBOTJOINCHAT")).form["data[PARAMS][CHAT_TYPE]"]).toBe("L");

    const said = await portal.control.userSays({ authorId: 2, dialogId, text: `[USER=${bots.plain}]plain[/USER], where is my order?` });
    expect(said.events.map((e) => [e.type, e.botId]).sort()).toEqual([
      ["ONIMBOTMESSAGEADD", bots.operator],
      ["ONIMBOTMESSAGEADD", bots.helper],
    ].sort());
    const added = await lines.next("ONIMBOTMESSAGEADD");
    expect(added.form).toMatchObject({
      [`data[BOT][${bots.operator}][BOT_CODE]`]: "operator",
      [`data[BOT][${bots.helper}][BOT_CODE]`]: "helper",
      "data[PARAMS][MESSAGE]": "where is my order?",
      "data[PARAMS][MESSAGE_TYPE]": "L",
      "data[PARAMS][CHAT_TYPE]": "L",
      "data[PARAMS][CHAT_ENTITY_TYPE]": "LINES",
      "data[PARAMS][DIALOG_ID]": dialogId,
      "data[PARAMS][FROM_USER_ID]": "2",
      "data[USER][ID]": "2",
    });

    // The update handler stayed bound: the owner's bots are TYPE O and OPENLINE=Y.
    const edited = await portal.control.userEdits(said.message.id, { userId: 2, text: "where is order 42?" });
    expect(edited.events.map((e) => [e.type, e.botId]).sort()).toEqual([
      ["ONIMBOTMESSAGEUPDATE", bots.operator],
      ["ONIMBOTMESSAGEUPDATE", bots.helper],
    ].sort());
    const updated = await lines.next("ONIMBOTMESSAGEUPDATE");
    expect(updated.form).toMatchObject({ "data[PARAMS][MESSAGE]": "where is order 42?", "data[PARAMS][MESSAGE_TYPE]": "L", "data[PARAMS][CHAT_TYPE]": "L" });
    expect(others.received.map((e) => e.form.event)).toEqual(["ONIMBOTJOINCHAT"]);

    // The chat reads as an open-line chat through the v1 REST methods too.
    const dialog = await v1Call(portal.webhookUrl!, "imbot.dialog.get", { DIALOG_ID: dialogId });
    expect(dialog.body.result).toMatchObject({ type: "lines", message_type: "L", entity_type: "LINES" });
  });

  it("an entityType LINES chat is an open-line chat, found by its entity, and a v2 open-line bot hears it as `lines`", async () => {
    const { portal, bots } = await portalWithBots();
    const v2 = (method: string, params: Record<string, unknown>) => v1Call(portal.webhookUrl!, `imbot.v2.${method}`, { botId: 456, botToken: "my_bot_token", ...params }, "json");
    expect((await v2("Bot.update", { fields: { isSupportOpenline: true } })).status).toBe(200);
    const chat = await portal.control.createChat({ title: "Client #2", ownerId: 1, members: [456, bots.plain], entityType: "lines", entityId: "order-42" });
    expect(chat).toMatchObject({ type: "lines", entityType: "LINES", entityId: "order-42" });
    const found = await v1Call(portal.webhookUrl!, "im.chat.get", { ENTITY_TYPE: "LINES", ENTITY_ID: "order-42" });
    expect(found.body.result).toEqual({ ID: chat.id });

    const said = await portal.control.userSays({ authorId: 1, dialogId: chat.dialogId as string, text: "hello" });
    expect(said.events.map((e) => [e.type, e.botId])).toEqual([["ONIMBOTV2MESSAGEADD", 456]]);
    const queued = portal.control.events(456).find((e) => e.type === "ONIMBOTV2MESSAGEADD");
    expect(queued?.data.chat).toMatchObject({ id: chat.id, type: "lines", messageType: "L", entityType: "LINES", entityId: "order-42" });
  });

  it("refuses an unknown chat type with CONTROL_ARGUMENT (400) and creates nothing", async () => {
    const portal = await emulator.createPortal();
    const before = portal.control.chats().length;
    const res = await fetch(`${emulator.httpUrl}/_emulator/portals/${portal.id}/chats`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ ownerId: 1, type: "openline" }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe("CONTROL_ARGUMENT");
    expect(portal.control.chats()).toHaveLength(before);
  });
});
