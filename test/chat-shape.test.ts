/* eslint-disable @typescript-eslint/no-explicit-any -- reads wire JSON the way a bot would */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../src/index.js";
import { freshPortal } from "./support/fresh-portal.js";

/**
 * The Chat object as Chat.get, Chat.add and events carry it (spec v2-complete.md §4 f, OPEN-N6),
 * through a listening emulator, with the docs' shapes (default) and the server's (`serverShapes`).
 */
let docs: RunningEmulator;
let server: RunningEmulator;

beforeAll(async () => {
  [docs, server] = await Promise.all([startEmulator(), startEmulator({ serverShapes: true })]);
});
afterAll(async () => {
  await Promise.all([docs.close(), server.close()]);
});

/** A fresh portal of `emulator`: `rest` expects success and answers the result. */
async function portalOf(emulator: RunningEmulator) {
  const portal = await freshPortal(emulator);
  const rest = async (method: string, params: Record<string, unknown>) => {
    const reply = await portal.rest(method, params);
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    return reply.body.result;
  };
  return { ...portal, rest };
}

describe("the Chat object", () => {
  it("has an empty entity link object, int parent and mark ids, no Drive folder and no public alias in a fresh group chat", async () => {
    const { rest } = await portalOf(docs);
    const { chat } = await rest("imbot.v2.Chat.get", { dialogId: "chat5" });
    expect(chat.entityLink).toEqual({ type: "", url: "", id: "" });
    expect([chat.parentChatId, chat.parentMessageId, chat.markedId]).toEqual([0, 0, 0]);
    expect(chat.diskFolderId).toBeNull();
    expect(chat.public).toBe("");
    expect(chat.textFieldEnabled).toBe("Y");
  });

  it("lastId is the bot's read mark and unreadId the oldest message it has not read; both 0 once everything is read", async () => {
    const { rest, control } = await portalOf(docs);
    const said = await control("POST", "/messages", { authorId: 1, dialogId: "chat5", text: "second" });
    expect(said.status).toBe(201);
    const secondId = (said.body as any).message.id as number;
    let { chat } = await rest("imbot.v2.Chat.get", { dialogId: "chat5" });
    expect([chat.lastId, chat.unreadId, chat.lastMessageId]).toEqual([0, 789, secondId]);

    await rest("imbot.v2.Chat.Message.read", { dialogId: "chat5", messageId: 789 });
    ({ chat } = await rest("imbot.v2.Chat.get", { dialogId: "chat5" }));
    expect([chat.lastId, chat.unreadId]).toEqual([789, secondId]);

    await rest("imbot.v2.Chat.Message.read", { dialogId: "chat5" });
    ({ chat } = await rest("imbot.v2.Chat.get", { dialogId: "chat5" }));
    expect([chat.lastId, chat.unreadId]).toEqual([secondId, 0]);
  });

  it("lastMessageViews names who has read the last message, with the time, and counts them without the bot", async () => {
    const { rest, control } = await portalOf(docs);
    let { chat } = await rest("imbot.v2.Chat.get", { dialogId: "chat5" });
    expect(chat.lastMessageViews).toEqual({ messageId: 789, firstViewers: [], countOfViewers: 0 });

    // The bot reads user 1's message: it is the one viewer, and a viewer is not counted in its own view.
    await rest("imbot.v2.Chat.Message.read", { dialogId: "chat5" });
    ({ chat } = await rest("imbot.v2.Chat.get", { dialogId: "chat5" }));
    expect(chat.lastMessageViews).toEqual({
      messageId: 789,
      firstViewers: [{ userId: 456, userName: "Support Bot", date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/) }],
      countOfViewers: 0,
    });

    // A bot message read by user 1: the bot sees one viewer it is not.
    const sent = await rest("imbot.v2.Chat.Message.send", { dialogId: "chat5", fields: { message: "hello" } });
    expect((await control("POST", "/chats/chat5/read", { userId: 1 })).status).toBe(200);
    ({ chat } = await rest("imbot.v2.Chat.get", { dialogId: "chat5" }));
    expect(chat.lastMessageViews.messageId).toBe(sent.id);
    expect(chat.lastMessageViews.firstViewers.map((v: any) => [v.userId, v.userName])).toEqual([[1, "Anna Admin"]]);
    expect(chat.lastMessageViews.countOfViewers).toBe(1);
  });

  it("an empty chat's lastMessageViews is all zero", async () => {
    const { rest } = await portalOf(docs);
    const { chat } = await rest("imbot.v2.Chat.add", { fields: { title: "Empty", userIds: [2] } });
    expect(chat.lastMessageViews).toEqual({ messageId: 0, firstViewers: [], countOfViewers: 0 });
    expect(chat.isNew).toBe(true);
  });

  it("gets a Drive folder with its first file, and keeps it for the next one", async () => {
    const { rest } = await portalOf(docs);
    const content = Buffer.from("report").toString("base64");
    await rest("imbot.v2.File.upload", { dialogId: "chat5", fields: { name: "a.txt", content } });
    const first = (await rest("imbot.v2.Chat.get", { dialogId: "chat5" })).chat.diskFolderId;
    expect(first).toEqual(expect.any(Number));
    expect(first).toBeGreaterThan(0);
    await rest("imbot.v2.File.upload", { dialogId: "chat5", fields: { name: "b.txt", content } });
    expect((await rest("imbot.v2.Chat.get", { dialogId: "chat5" })).chat.diskFolderId).toBe(first);
    // Another chat gets its own folder.
    const other = await rest("imbot.v2.Chat.add", { fields: { title: "Files", userIds: [2] } });
    await rest("imbot.v2.File.upload", { dialogId: other.chat.dialogId, fields: { name: "c.txt", content } });
    const second = (await rest("imbot.v2.Chat.get", { dialogId: other.chat.dialogId })).chat.diskFolderId;
    expect(second).toEqual(expect.any(Number));
    expect(second).not.toBe(first);
  });

  it("an open chat carries its public alias code and link", async () => {
    const { rest, control } = await portalOf(docs);
    const created = await control("POST", "/chats", { title: "Town hall", type: "open", ownerId: 1, members: [456] });
    expect(created.status).toBe(201);
    const { chat } = await rest("imbot.v2.Chat.get", { dialogId: (created.body as any).dialogId });
    expect(chat.type).toBe("open");
    expect(chat.public).toEqual({ code: `chat${chat.id}`, link: expect.stringContaining(`chat${chat.id}`) });
  });
});

describe("textFieldEnabled (OPEN-N6)", () => {
  it('is "Y"/"N" as the docs print it by default, in Chat.get and in events', async () => {
    const { rest, control } = await portalOf(docs);
    await rest("imbot.v2.Chat.TextField.enabled", { dialogId: "chat5", enabled: false });
    expect((await rest("imbot.v2.Chat.get", { dialogId: "chat5" })).chat.textFieldEnabled).toBe("N");
    // The switch holds people back, not bots: the bot still posts.
    expect((await rest("imbot.v2.Chat.Message.send", { dialogId: "chat5", fields: { message: "bots still post" } })).id).toEqual(expect.any(Number));
    await rest("imbot.v2.Chat.TextField.enabled", { dialogId: "chat5", enabled: true });
    expect((await control("POST", "/messages", { authorId: 1, dialogId: "chat5", text: "[USER=456]Support Bot[/USER] hi" })).status).toBe(201);
    const events = await rest("imbot.v2.Event.get", {});
    const added = events.events.find((e: any) => e.type === "ONIMBOTV2MESSAGEADD");
    expect(added.data.chat.textFieldEnabled).toBe("Y");
    expect(added.data.chat.entityLink).toEqual({ type: "", url: "", id: "" });
    expect(added.data.chat.diskFolderId).toBeNull();
  });

  it("is a JSON boolean with serverShapes, in Chat.get and in events", async () => {
    const { rest, control } = await portalOf(server);
    expect((await rest("imbot.v2.Chat.get", { dialogId: "chat5" })).chat.textFieldEnabled).toBe(true);
    await rest("imbot.v2.Chat.TextField.enabled", { dialogId: "chat5", enabled: false });
    expect((await rest("imbot.v2.Chat.get", { dialogId: "chat5" })).chat.textFieldEnabled).toBe(false);
    await rest("imbot.v2.Chat.TextField.enabled", { dialogId: "chat5", enabled: "Y" });
    expect((await control("POST", "/messages", { authorId: 1, dialogId: "chat5", text: "[USER=456]Support Bot[/USER] hi" })).status).toBe(201);
    const events = await rest("imbot.v2.Event.get", {});
    expect(events.events.find((e: any) => e.type === "ONIMBOTV2MESSAGEADD").data.chat.textFieldEnabled).toBe(true);
  });
});
