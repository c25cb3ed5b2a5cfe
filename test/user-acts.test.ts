import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createEmulator, type EmulatorApp, type RunningEmulator } from "../src/index.js";
import type { Portal } from "../src/store/state.js";
import { testFixture } from "./support/fixtures.js";
import { restClient } from "./support/rest-client.js";
import { startWithWebhookBots } from "./support/webhook-bot.js";

/** A person's acts through the control API (spec v2-complete.md §3), and what a bot then receives. */

const HOOK = "/rest/1/emulator/";
const CONTROL = "/_emulator/portals/default";
let app: EmulatorApp;
let client: ReturnType<typeof restClient>;
let portal: Portal;

beforeEach(() => {
  app = createEmulator({ fixture: testFixture() });
  client = restClient(app);
  portal = app.store.state.portals.default!;
});

type Event = { type: string; data: Record<string, unknown> };
async function fetchEvents(): Promise<Event[]> {
  const reply = await client.post(HOOK + "imbot.v2.Event.get", { botId: 456, botToken: "my_bot_token" });
  expect(reply.status).toBe(200);
  const page = reply.body.result as { events: Event[]; nextOffset: number };
  await client.post(HOOK + "imbot.v2.Event.get", { botId: 456, botToken: "my_bot_token", offset: page.nextOffset });
  return page.events;
}

/** User 1 writes in the bot's 1:1 dialog (chat 7), where the bot sees everything. */
async function say(text: string): Promise<number> {
  const reply = await client.call("POST", `${CONTROL}/messages`, { authorId: 1, dialogId: "456", text });
  expect(reply.status).toBe(201);
  return (reply.body.message as { id: number }).id;
}

describe("a person edits a message", () => {
  it("bots that see it get MESSAGEUPDATE with the new text and IS_EDITED", async () => {
    const id = await say("first draft");
    await fetchEvents();
    const reply = await client.call("POST", `${CONTROL}/messages/${id}/edit`, { userId: 1, text: "final text" });
    expect(reply.status).toBe(200);
    const events = await fetchEvents();
    expect(events.map((e) => e.type)).toEqual(["ONIMBOTV2MESSAGEUPDATE"]);
    expect(events[0]!.data).toMatchObject({ message: { id, text: "final text", params: { IS_EDITED: "Y" } }, chat: { dialogId: "1" }, user: { id: 1 }, language: "en" });
  });
  it("refuses someone else's message and unknown ones with documented errors", async () => {
    const edit = await client.call("POST", `${CONTROL}/messages/789/edit`, { userId: 2, text: "x" });
    expect([edit.status, edit.body.error]).toEqual([400, "CONTROL_ARGUMENT"]);
    const gone = await client.call("POST", `${CONTROL}/messages/99999/edit`, { userId: 1, text: "x" });
    expect([gone.status, gone.body.error]).toEqual([404, "CONTROL_NOT_FOUND"]);
  });
});

describe("a person deletes a message", () => {
  it("bots that saw it get MESSAGEDELETE with its id; the row is soft-deleted", async () => {
    const id = await say("oops");
    await fetchEvents();
    const reply = await client.call("POST", `${CONTROL}/messages/${id}/delete`, { userId: 1 });
    expect(reply.status).toBe(200);
    const events = await fetchEvents();
    expect(events.map((e) => e.type)).toEqual(["ONIMBOTV2MESSAGEDELETE"]);
    expect(events[0]!.data).toMatchObject({ messageId: id, chat: { dialogId: "1" }, user: { id: 1 } });
    expect(portal.messages[id]!.deleted).toBe(true);
  });
});

describe("a person reacts", () => {
  it("to a bot's message: REACTIONCHANGE add then delete; to a person's message: nothing", async () => {
    const sent = await client.post(HOOK + "imbot.v2.Chat.Message.send", { botId: 456, botToken: "my_bot_token", dialogId: "chat5", fields: { message: "rate me" } });
    const id = (sent.body.result as { id: number }).id;
    await client.call("POST", `${CONTROL}/reactions`, { userId: 1, messageId: id, reaction: "like" });
    await client.call("POST", `${CONTROL}/reactions`, { userId: 1, messageId: id, reaction: "like", action: "delete" });
    await client.call("POST", `${CONTROL}/reactions`, { userId: 1, messageId: 789, reaction: "like" });
    const events = await fetchEvents();
    expect(events.map((e) => [e.type, e.data.action, e.data.reaction])).toEqual([
      ["ONIMBOTV2REACTIONCHANGE", "add", "like"],
      ["ONIMBOTV2REACTIONCHANGE", "delete", "like"],
    ]);
    expect(events[0]!.data).toMatchObject({ message: { id, authorId: 456 }, chat: { id: 5 }, user: { id: 1 } });
    const bad = await client.call("POST", `${CONTROL}/reactions`, { userId: 1, messageId: id, reaction: "smile" });
    expect([bad.status, bad.body.error]).toEqual([400, "CONTROL_ARGUMENT"]);
  });
});

describe("a person opens the bot with a context, or opens the dialog", () => {
  it("CONTEXTGET to every bot in the chat, with the context as sent", async () => {
    const reply = await client.call("POST", `${CONTROL}/context`, { userId: 1, dialogId: "456", context: { pairing: "abc", n: 1 } });
    expect(reply.status).toBe(200);
    const events = await fetchEvents();
    expect(events.map((e) => e.type)).toEqual(["ONIMBOTV2CONTEXTGET"]);
    expect(events[0]!.data).toMatchObject({ dialogId: "1", context: { pairing: "abc", n: 1 }, chat: { dialogId: "1", type: "private" }, user: { id: 1 }, language: "en" });
  });
  it("BOT_CONTEXT_ERROR in a chat without bots", async () => {
    const reply = await client.call("POST", `${CONTROL}/context`, { userId: 1, dialogId: "chat6", context: {} });
    expect([reply.status, reply.body.error]).toEqual([400, "BOT_CONTEXT_ERROR"]);
  });
  it("opening the 1:1 dialog the first time raises JOINCHAT, once", async () => {
    const first = await client.call("POST", `${CONTROL}/dialogs`, { userId: 2, botId: 456 });
    expect(first.status).toBe(200);
    expect((first.body.events as { type: string }[]).map((e) => e.type)).toEqual(["ONIMBOTV2JOINCHAT"]);
    const again = await client.call("POST", `${CONTROL}/dialogs`, { userId: 2, botId: 456 });
    expect(again.body.events).toEqual([]);
    const events = await fetchEvents();
    expect(events.map((e) => e.type)).toEqual(["ONIMBOTV2JOINCHAT"]);
    expect(events[0]!.data).toMatchObject({ dialogId: "2", chat: { type: "private", dialogId: "2" }, user: { id: 2 } });
  });
});

describe("a person replies to, and reads, messages", () => {
  it("a reply carries replyId; reading marks the bot's messages viewedByOthers", async () => {
    const sent = await client.post(HOOK + "imbot.v2.Chat.Message.send", { botId: 456, botToken: "my_bot_token", dialogId: "1", fields: { message: "question?" } });
    const botMessage = (sent.body.result as { id: number }).id;
    const reply = await client.call("POST", `${CONTROL}/messages`, { authorId: 1, dialogId: "456", text: "answer", replyId: botMessage });
    expect(reply.status).toBe(201);
    expect(portal.messages[(reply.body.message as { id: number }).id]!.replyId).toBe(botMessage);
    const read = await client.call("POST", `${CONTROL}/chats/456/read`, { userId: 1 });
    expect(read.body.viewedMessages).toContain(botMessage);
    expect(portal.messages[botMessage]!.viewedByOthers).toBe(true);
  });
});

describe("webhook mode: user acts on the wire", () => {
  let emulator: RunningEmulator;
  let close: () => Promise<void>;
  beforeAll(async () => ({ emulator, close } = await startWithWebhookBots()));
  afterAll(async () => close());
  it("edit, delete and context reach the bot's handler", async () => {
    const { control } = await emulator.createPortal();
    const said = await control.userSays({ authorId: 1, dialogId: "456", text: "draft" });
    await control.userEdits(said.message.id, { userId: 1, text: "edited" });
    const update = await control.waitFor({ for: "delivery", event: "ONIMBOTV2MESSAGEUPDATE", timeout: 5000 });
    expect((update as { payload: Record<string, string> }).payload).toMatchObject({ "data[message][text]": "edited", "data[message][params][IS_EDITED]": "Y" });
    await control.userDeletes(said.message.id, { userId: 1 });
    const removed = await control.waitFor({ for: "delivery", event: "ONIMBOTV2MESSAGEDELETE", timeout: 5000 });
    expect((removed as { payload: Record<string, string> }).payload).toMatchObject({ "data[messageId]": String(said.message.id) });
    await control.userOpensContext({ userId: 1, dialogId: "456", context: { pairing: "xyz" } });
    const context = await control.waitFor({ for: "delivery", event: "ONIMBOTV2CONTEXTGET", timeout: 5000 });
    expect((context as { payload: Record<string, string> }).payload).toMatchObject({ "data[context][pairing]": "xyz", "data[dialogId]": "1" });
  });
});
