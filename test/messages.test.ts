import { beforeEach, describe, expect, it } from "vitest";
import { createEmulator, type EmulatorApp } from "../src/index.js";
import { appendMessage } from "../src/store/messages.js";
import type { Portal } from "../src/store/state.js";
import { testFixtureWithInactiveUser } from "./support/fixtures.js";
import { expectRefusal, lastMessageIn, messagesIn, restClient, snapshot } from "./support/rest-client.js";

const HOOK = "/rest/1/emulator/";
const OAUTH = "/rest/";
const SEND = "imbot.v2.Chat.Message.send";
const UPDATE = "imbot.v2.Chat.Message.update";
const DELETE = "imbot.v2.Chat.Message.delete";
const UUID = "3f2c6a1e-9b7d-4c55-8a0e-1d2b3c4d5e6f";

const fixture = testFixtureWithInactiveUser;

let app: EmulatorApp;
let client: ReturnType<typeof restClient>;
let portal: Portal;

function start(options: Parameters<typeof createEmulator>[0] = {}) {
  app = createEmulator({ fixture: fixture(), ...options });
  client = restClient(app);
  portal = app.store.state.portals.default!;
}

beforeEach(() => start());

const asBot = (params: Record<string, unknown>) => ({ botId: 456, botToken: "my_bot_token", ...params });
const send = (params: Record<string, unknown>, encoding: "json" | "form" = "json") =>
  client.post(HOOK + SEND, asBot(params), encoding);
const update = (params: Record<string, unknown>) => client.post(HOOK + UPDATE, asBot(params));
const remove = (params: Record<string, unknown>) => client.post(HOOK + DELETE, asBot(params));

async function sendOk(params: Record<string, unknown>): Promise<number> {
  const reply = await send(params);
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return (reply.body.result as { id: number }).id;
}

function expectRefused(method: string, params: Record<string, unknown>, code: string, status = 400, url = HOOK) {
  return expectRefusal(app, url + method, params, code, status);
}

const eventsOf = (botId: number) => portal.events.filter((e) => e.botId === botId);

/** User 1 types a message, as in the chat window; answers its id. */
async function userSays(dialogId: string, text: string): Promise<number> {
  return (await app.portal().userSays({ authorId: 1, dialogId, text })).message.id;
}

/** A group chat owned by bot 456 with user 1 and bot 457 (457 gets JOINCHAT, cleared here). */
async function chatWithOtherBot(): Promise<number> {
  const reply = await client.post(HOOK + "imbot.v2.Chat.add", asBot({ fields: { title: "Bots", userIds: [1, 457] } }));
  expect(reply.status).toBe(200);
  portal.events = [];
  return (reply.body.result as { chat: { id: number } }).chat.id;
}

describe("Chat.Message.send: a bot posts in a group chat", () => {
  it("stores the message as the bot and answers its id with uuidMap [] (PHP empty array)", async () => {
    const reply = await send({ dialogId: "chat5", fields: { message: "Hello, team" } });
    expect(reply.status).toBe(200);
    expect(reply.body.result).toEqual({ id: 795, uuidMap: [] });
    expect(portal.messages[795]).toMatchObject({
      id: 795,
      chatId: 5,
      authorId: 456,
      text: "Hello, team",
      isSystem: false,
      urlPreview: true,
      params: {},
    });
    expect(portal.chats[5]).toMatchObject({ lastMessageId: 795, messageCount: 4 });
    expect(portal.bots[456]!.countMessage).toBe(1);
  });

  it("works under OAuth without botToken, and from a PHP form body", async () => {
    const oauth = await client.post(OAUTH + SEND, { auth: "emulator-token", botId: 456, dialogId: "chat5", fields: { message: "via oauth" } });
    expect(oauth.status).toBe(200);
    const form = await send({ dialogId: "chat5", fields: { message: "via form", urlPreview: "N" } }, "form");
    expect(form.status).toBe(200);
    expect(messagesIn(app, 5).slice(-2).map((m) => [m.text, m.urlPreview])).toEqual([
      ["via oauth", true],
      ["via form", false],
    ]);
  });

  it("trims the text and turns [br] and #BR# into line breaks", async () => {
    await sendOk({ dialogId: "chat5", fields: { message: "  one[br]two#BR#three  " } });
    expect(lastMessageIn(app, 5)!.text).toBe("one\ntwo\nthree");
  });

  it("cuts text over 20,000 code points to 20,000 plus ' (...)', even with overlongMessage=reject", async () => {
    await sendOk({ dialogId: "chat5", fields: { message: "😀".repeat(20_000) } });
    expect([...lastMessageIn(app, 5)!.text]).toHaveLength(20_000);
    await sendOk({ dialogId: "chat5", fields: { message: "😀".repeat(25_000) } });
    const text = lastMessageIn(app, 5)!.text;
    expect([...text]).toHaveLength(20_006);
    expect(text.endsWith("😀 (...)")).toBe(true);
  });

  it("posts a system message with the bot's name in front in a group chat", async () => {
    await sendOk({ dialogId: "chat5", fields: { message: "Maintenance at 5", system: true } });
    expect(lastMessageIn(app, 5)).toMatchObject({ authorId: 0, isSystem: true, text: "Support Bot:\nMaintenance at 5" });
    const form = await send({ dialogId: "chat5", fields: { message: "form", system: "Y" } }, "form");
    expect(form.status).toBe(200);
    expect(lastMessageIn(app, 5)).toMatchObject({ authorId: 0, text: "Support Bot:\nform" });
    expect(portal.bots[456]!.countMessage).toBe(2);
  });

  it("stores ATTACH and KEYBOARD; an attach alone is a message", async () => {
    const attach = [{ MESSAGE: "Build [b]green[/b]" }, { LINK: { LINK: "https://example.com/build/1", NAME: "Build 1" } }];
    const keyboard = [{ TEXT: "Rerun", COMMAND: "rerun", COMMAND_PARAMS: "1" }, { TEXT: "no action" }];
    await sendOk({ dialogId: "chat5", fields: { message: "Status", attach, keyboard } });
    expect(lastMessageIn(app, 5)!.params).toEqual({
      ATTACH: [{ COLOR_TOKEN: "base", BLOCKS: attach }],
      KEYBOARD: { BOT_ID: 456, BUTTONS: [keyboard[0]] },
    });
    await sendOk({ dialogId: "chat5", fields: { attach: JSON.stringify({ COLOR_TOKEN: "alert", BLOCKS: attach }) } });
    expect(lastMessageIn(app, 5)).toMatchObject({ text: "", params: { ATTACH: [{ COLOR_TOKEN: "alert", BLOCKS: attach }] } });
  });

  it("keeps a replyId of the same chat and a UUID templateId; ignores others", async () => {
    const id = await sendOk({ dialogId: "chat5", fields: { message: "re", replyId: 789, templateId: UUID } });
    expect(portal.messages[id]).toMatchObject({ replyId: 789, uuid: UUID });
    const other = await sendOk({ dialogId: "chat5", fields: { message: "re", replyId: 790, templateId: "not-a-uuid" } });
    expect(portal.messages[other]!.replyId).toBeUndefined();
    expect(portal.messages[other]!.uuid).toBeUndefined();
  });

  it("accepts forwardIds of messages in the bot's chats, skipConnector and silentConnector", async () => {
    const reply = await send({
      dialogId: "chat5",
      fields: { message: "fwd", forwardIds: { [UUID]: 789 }, skipConnector: "Y", silentConnector: true },
    });
    expect(reply.status).toBe(200);
    expect(reply.body.result).toEqual({ id: 795, uuidMap: { [UUID]: 796 } });
  });
});

describe("Chat.Message.send: forwardIds (spec v2-complete §4 g)", () => {
  it("copies each message after the bot's own, as the bot, and maps each uuid to its copy", async () => {
    const reply = await send({ dialogId: "chat5", fields: { message: "see below", forwardIds: { [UUID]: 789 } } });
    expect([reply.status, reply.body.result]).toEqual([200, { id: 795, uuidMap: { [UUID]: 796 } }]);
    expect(portal.messages[796]).toMatchObject({ chatId: 5, authorId: 456, text: "/help", uuid: UUID, urlPreview: false });
    expect(portal.messages[796]!.forward).toEqual({ id: 789, userId: 1, chatId: 5, date: portal.messages[789]!.date });
  });

  it("with only forwards (no text, no attach) posts just the copies and answers a null id", async () => {
    const reply = await send({ dialogId: "chat5", fields: { forwardIds: { [UUID]: 789 } } });
    expect([reply.status, reply.body.result]).toEqual([200, { id: null, uuidMap: { [UUID]: 795 } }]);
    expect(portal.messages[795]).toMatchObject({ text: "/help", authorId: 456 });
  });

  it("the copy carries the original as its forward note on the wire, and reaches no bot", async () => {
    await send({ dialogId: "chat5", fields: { forwardIds: { [UUID]: 789 } } });
    expect(portal.events.filter((e) => e.type === "ONIMBOTV2MESSAGEADD")).toEqual([]);
    const history = await client.call("GET", "/_emulator/portals/default/chats/chat5/messages");
    const copy = (history.body.messages as { id: number; forward: unknown }[]).find((m) => m.id === 795);
    expect(copy!.forward).toEqual({ id: 789, userId: 1, chatId: 5, date: "2026-01-01T09:41:27+00:00" });
  });

  it("a forwarded file is a new file of the target chat, which gets its Drive folder with it", async () => {
    const shared = await client.post(`${HOOK}imbot.v2.File.upload`, asBot({ dialogId: "chat5", fields: { name: "a.txt", content: "aGVsbG8=" } }));
    expect(shared.status).toBe(200);
    const { messageId, file } = shared.body.result as { messageId: number; file: { id: number } };
    const reply = await send({ dialogId: "2", fields: { forwardIds: { [UUID]: messageId } } });
    expect(reply.status).toBe(200);
    const copy = portal.messages[(reply.body.result as { uuidMap: Record<string, number> }).uuidMap[UUID]!]!;
    const [copiedId] = copy.params.FILE_ID ?? [];
    expect(copiedId).not.toBe(file.id);
    expect(portal.files?.[copiedId!]).toMatchObject({ chatId: copy.chatId, name: "a.txt", size: 5 });
    expect(portal.chats[copy.chatId]!.diskFolderId).toEqual(expect.any(Number));
    expect(portal.chats[copy.chatId]!.diskFolderId).not.toBe(portal.chats[5]!.diskFolderId);
  });

  it("a forwarded ATTACH is copied with the message", async () => {
    const attach = [{ MESSAGE: "card" }];
    const original = await sendOk({ dialogId: "chat5", fields: { message: "with card", attach } });
    const reply = await send({ dialogId: "2", fields: { forwardIds: { [UUID]: original } } });
    expect(reply.status).toBe(200);
    const copy = portal.messages[(reply.body.result as { uuidMap: Record<string, number> }).uuidMap[UUID]!]!;
    expect(copy.params.ATTACH).toEqual(portal.messages[original]!.params.ATTACH);
    expect(copy.params.ATTACH).not.toBe(portal.messages[original]!.params.ATTACH);
  });

  it("TOO_MANY_MESSAGES over 100, WRONG_UUID for a key that is not a UUID; nothing is posted", async () => {
    const before = snapshot(app);
    const many = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`00000000-0000-4000-8000-${String(i).padStart(12, "0")}`, 789]));
    await expectRefused(SEND, asBot({ dialogId: "chat5", fields: { message: "x", forwardIds: many } }), "TOO_MANY_MESSAGES");
    await expectRefused(SEND, asBot({ dialogId: "chat5", fields: { message: "x", forwardIds: { u1: 789 } } }), "WRONG_UUID");
    expect(snapshot(app)).toBe(before);
  });
});

describe("Chat.Message.send: one-to-one dialogs", () => {
  it("opens the bot's dialog with a user on the first message and reuses it afterwards", async () => {
    const first = await sendOk({ dialogId: "2", fields: { message: "Hi Boris" } });
    expect(portal.seq.chat).toBe(9);
    expect(portal.chats[9]).toMatchObject({ id: 9, type: "private", ownerId: 456, members: [456, 2], managers: [], messageCount: 1, lastMessageId: first });
    expect(portal.messages[first]).toMatchObject({ chatId: 9, authorId: 456, text: "Hi Boris" });
    const second = await sendOk({ dialogId: 2, fields: { message: "again" } });
    expect(portal.messages[second]!.chatId).toBe(9);
    expect(portal.seq.chat).toBe(9);
  });

  it("uses the existing dialog with user 1 (chat 7), by user id or by chatN", async () => {
    await sendOk({ dialogId: "1", fields: { message: "by user id" } });
    await sendOk({ dialogId: "chat7", fields: { message: "by chat id" } });
    expect(messagesIn(app, 7).slice(-2).map((m) => m.text)).toEqual(["by user id", "by chat id"]);
    expect(portal.seq.chat).toBe(8);
  });

  it("a system message in a one-to-one dialog carries no name prefix", async () => {
    await sendOk({ dialogId: "1", fields: { message: "notice", system: true } });
    expect(lastMessageIn(app, 7)).toMatchObject({ authorId: 0, isSystem: true, text: "notice" });
  });
});

describe("Chat.Message.send: refusals", () => {
  it("bot-level errors come first, in the server's order", async () => {
    const { botToken: _, ...noToken } = asBot({ dialogId: "chat5", fields: { message: "x" } });
    await expectRefused(SEND, noToken, "BOT_TOKEN_NOT_SPECIFIED");
    await expectRefused(SEND, asBot({ botId: 0 }), "BOT_ID_REQUIRED");
    await expectRefused(SEND, asBot({ botId: 999, dialogId: "chat5" }), "BOT_NOT_FOUND");
    await expectRefused(SEND, asBot({ botToken: "other_bot_token", dialogId: "chat5", fields: { message: "x" } }), "BOT_OWNERSHIP_ERROR");
    await expectRefused(SEND, { auth: "other-token", botId: 456, dialogId: "chat5", fields: { message: "x" } }, "BOT_OWNERSHIP_ERROR", 400, OAUTH);
  });

  it("ERROR_ARGUMENT: dialogId missing or blank, fields not an object", async () => {
    for (const dialogId of [undefined, "", "  "]) {
      const reply = await expectRefused(SEND, asBot({ dialogId, fields: { message: "x" } }), "ERROR_ARGUMENT");
      expect(reply.body.error_description).toContain("dialogId");
    }
    const reply = await expectRefused(SEND, asBot({ dialogId: "chat5", fields: "x" }), "ERROR_ARGUMENT");
    expect(reply.body.error_description).toContain("fields");
  });

  it("ACCESS_DENIED: a chat the bot is not in, an unknown user, itself", async () => {
    for (const dialogId of ["chat6", "chat8", "999", "456"]) {
      await expectRefused(SEND, asBot({ dialogId, fields: { message: "x" } }), "ACCESS_DENIED");
    }
  });

  it("CHAT_NOT_FOUND (400): an unknown chat or a malformed dialogId (spec v2-complete §4 X3)", async () => {
    for (const dialogId of ["chat999", "abc", "chat0", "05"]) {
      await expectRefused(SEND, asBot({ dialogId, fields: { message: "x" } }), "CHAT_NOT_FOUND");
    }
  });

  it("the chat prefix is case-insensitive: CHAT5 posts in chat 5", async () => {
    const reply = await send({ dialogId: "CHAT5", fields: { message: "capitals" } });
    expect(reply.status).toBe(200);
    expect(portal.messages[795]).toMatchObject({ chatId: 5, authorId: 456, text: "capitals" });
  });

  it("ACCESS_DENIED comes before content errors", async () => {
    await expectRefused(SEND, asBot({ dialogId: "chat6", fields: {} }), "ACCESS_DENIED");
    await expectRefused(SEND, asBot({ dialogId: "chat6", fields: { attach: { BLOCKS: "x" } } }), "ACCESS_DENIED");
  });

  it("SENDING_FAILED: the dialog's user is deactivated", async () => {
    await expectRefused(SEND, asBot({ dialogId: "4", fields: { message: "hello?" } }), "SENDING_FAILED");
  });

  it("EMPTY_MESSAGE: no text and no attach (a keyboard alone is not enough)", async () => {
    await expectRefused(SEND, asBot({ dialogId: "chat5" }), "EMPTY_MESSAGE");
    await expectRefused(SEND, asBot({ dialogId: "chat5", fields: { message: " \t  " } }), "EMPTY_MESSAGE");
    await expectRefused(SEND, asBot({ dialogId: "chat5", fields: { keyboard: [{ TEXT: "Go", ACTION: "SEND", ACTION_VALUE: "go" }] } }), "EMPTY_MESSAGE");
  });

  it("EMPTY_MESSAGE does not open a one-to-one dialog", async () => {
    await expectRefused(SEND, asBot({ dialogId: "2", fields: { message: "" } }), "EMPTY_MESSAGE");
    expect(portal.chats[9]).toBeUndefined();
  });

  it("PARAM_ATTACH_ERROR for a malformed or oversized attach, PARAM_KEYBOARD_ERROR for an unreadable keyboard, as the server answers", async () => {
    await expectRefused(SEND, asBot({ dialogId: "chat5", fields: { message: "x", attach: [{ NOPE: 1 }] } }), "PARAM_ATTACH_ERROR");
    await expectRefused(SEND, asBot({ dialogId: "chat5", fields: { attach: "{oops" } }), "PARAM_ATTACH_ERROR");
    await expectRefused(SEND, asBot({ dialogId: "chat5", fields: { attach: [{ MESSAGE: "x".repeat(60_001) }] } }), "PARAM_ATTACH_ERROR");
    await expectRefused(SEND, asBot({ dialogId: "chat5", fields: { message: "x", keyboard: "{oops" } }), "PARAM_KEYBOARD_ERROR");
  });

  it("attachErrorCodes docs: ATTACH_ERROR, ATTACH_OVERSIZE, and ERROR_ARGUMENT naming the keyboard", async () => {
    start({ attachErrorCodes: "docs" });
    await expectRefused(SEND, asBot({ dialogId: "chat5", fields: { message: "x", attach: [{ NOPE: 1 }] } }), "ATTACH_ERROR");
    await expectRefused(SEND, asBot({ dialogId: "chat5", fields: { attach: "{oops" } }), "ATTACH_ERROR");
    await expectRefused(SEND, asBot({ dialogId: "chat5", fields: { attach: [{ MESSAGE: "x".repeat(60_001) }] } }), "ATTACH_OVERSIZE");
    const keyboard = await expectRefused(SEND, asBot({ dialogId: "chat5", fields: { message: "x", keyboard: "{oops" } }), "ERROR_ARGUMENT");
    expect(keyboard.body.error_description).toContain("keyboard");
  });

  it("ERROR_ARGUMENT: unreadable forwardIds", async () => {
    for (const forwardIds of ["789", { a: "x" }]) {
      const reply = await expectRefused(SEND, asBot({ dialogId: "chat5", fields: { message: "x", forwardIds } }), "ERROR_ARGUMENT");
      expect(reply.body.error_description).toContain("forwardIds");
    }
  });

  it("ACCESS_DENIED: forwarding a message from a chat the bot is not in, or an unknown one", async () => {
    await expectRefused(SEND, asBot({ dialogId: "chat5", fields: { message: "x", forwardIds: { [UUID]: 790 } } }), "ACCESS_DENIED");
    await expectRefused(SEND, asBot({ dialogId: "chat5", fields: { message: "x", forwardIds: { [UUID]: 99999 } } }), "ACCESS_DENIED");
  });
});

describe("Chat.Message.send: who hears about it", () => {
  it("the sending bot never gets its own message", async () => {
    await sendOk({ dialogId: "chat5", fields: { message: "[USER=456]Support Bot[/USER] talking to myself" } });
    await sendOk({ dialogId: "1", fields: { message: "private" } });
    expect(eventsOf(456)).toEqual([]);
  });

  it("a plain bot in the chat gets MESSAGEADD for a person's message only when mentioned", async () => {
    const chatId = await chatWithOtherBot();
    await userSays(`chat${chatId}`, "no mention here");
    expect(eventsOf(457)).toEqual([]);
    const id = await userSays(`chat${chatId}`, "ping [user=457]Other Bot[/user]");
    expect(eventsOf(457).map((e) => e.type)).toEqual(["ONIMBOTV2MESSAGEADD"]);
    expect(eventsOf(457)[0]!.data).toMatchObject({
      message: { id, chatId, authorId: 1, text: "ping [user=457]Other Bot[/user]" },
      chat: { id: chatId, dialogId: `chat${chatId}`, type: "chat" },
      user: { id: 1, bot: false },
      language: "en",
    });
  });

  it("a bot's message reaches no other bot, even one it mentions (bot-authored messages reach no bot)", async () => {
    const chatId = await chatWithOtherBot();
    await sendOk({ dialogId: `chat${chatId}`, fields: { message: "ping [user=457]Other Bot[/user]" } });
    await sendOk({ dialogId: "457", fields: { message: "hello other bot" } });
    expect(portal.events.filter((e) => e.type === "ONIMBOTV2MESSAGEADD")).toEqual([]);
  });

  it("system messages reach nobody, even when they mention a bot", async () => {
    const chatId = await chatWithOtherBot();
    await sendOk({ dialogId: `chat${chatId}`, fields: { message: "[USER=457]Other Bot[/USER]", system: true } });
    expect(portal.events).toEqual([]);
  });

  it("a bot's message never calls commands, even another bot's", async () => {
    const chatId = await chatWithOtherBot();
    await sendOk({ dialogId: `chat${chatId}`, fields: { message: "/other now" } });
    expect(portal.events.filter((e) => e.type === "ONIMBOTV2COMMANDADD")).toEqual([]);
  });

  it("a bot written to by a person in its one-to-one dialog gets every message", async () => {
    const id = await userSays("457", "hello other bot");
    const chatId = portal.messages[id]!.chatId;
    expect(portal.chats[chatId]).toMatchObject({ type: "private", members: [1, 457] });
    expect(eventsOf(457).map((e) => e.type)).toEqual(["ONIMBOTV2JOINCHAT", "ONIMBOTV2MESSAGEADD"]);
    expect(eventsOf(457)[1]!.data).toMatchObject({ chat: { id: chatId, dialogId: "1", type: "private" }, message: { id } });
  });

  it("a supervisor bot in the chat gets messages without a mention", async () => {
    const base = fixture();
    start({ fixture: { ...base, bots: base.bots!.map((b) => (b.id === 457 ? { ...b, type: "supervisor" as const } : b)) } });
    const chatId = await chatWithOtherBot();
    await userSays(`chat${chatId}`, "no mention");
    expect(eventsOf(457).map((e) => e.type)).toEqual(["ONIMBOTV2MESSAGEADD"]);
  });
});

describe("Chat.Message.update", () => {
  it("changes only the keys given and answers {result: true}", async () => {
    const attach = [{ MESSAGE: "old attach" }];
    const id = await sendOk({ dialogId: "chat5", fields: { message: "draft", attach, keyboard: [{ TEXT: "A", ACTION: "PUT", ACTION_VALUE: "a" }] } });
    const reply = await update({ messageId: id, fields: { message: "  final[br]text " } });
    expect(reply.status).toBe(200);
    expect(reply.body.result).toEqual({ result: true });
    expect(portal.messages[id]).toMatchObject({ text: "final\ntext", urlPreview: true });
    expect(portal.messages[id]!.params.ATTACH).toEqual([{ COLOR_TOKEN: "base", BLOCKS: attach }]);
    expect(portal.messages[id]!.params.KEYBOARD?.BUTTONS).toHaveLength(1);
  });

  it("replaces or removes attach and keyboard ('N' or empty), and switches urlPreview", async () => {
    const id = await sendOk({ dialogId: "chat5", fields: { message: "m", attach: [{ MESSAGE: "a" }], keyboard: [{ TEXT: "A", LINK: "/x" }] } });
    await update({ messageId: id, fields: { attach: [{ MESSAGE: "b" }], keyboard: "N", urlPreview: "N" } });
    expect(portal.messages[id]).toMatchObject({ text: "m", urlPreview: false, params: { ATTACH: [{ COLOR_TOKEN: "base", BLOCKS: [{ MESSAGE: "b" }] }] } });
    expect(portal.messages[id]!.params.KEYBOARD).toBeUndefined();
    await update({ messageId: id, fields: { attach: "" } });
    expect(portal.messages[id]!.params).toEqual({});
  });

  it("a bot's edit of its own message reaches no bot, not even one it mentions", async () => {
    const chatId = await chatWithOtherBot();
    const id = await sendOk({ dialogId: `chat${chatId}`, fields: { message: "[USER=457]bot[/USER] v1" } });
    portal.events = [];
    await update({ messageId: id, fields: { message: "[USER=457]bot[/USER] v2" } });
    expect(portal.messages[id]!.text).toBe("[USER=457]bot[/USER] v2");
    expect(portal.events).toEqual([]);
  });

  it("fields without a known key change nothing and raise no event", async () => {
    const chatId = await chatWithOtherBot();
    const id = await sendOk({ dialogId: `chat${chatId}`, fields: { message: "[USER=457]bot[/USER] v1" } });
    portal.events = [];
    const before = snapshot(app);
    const reply = await update({ messageId: id, fields: { system: "Y", menu: [] } });
    expect(reply.body.result).toEqual({ result: true });
    expect(snapshot(app)).toBe(before);
  });

  it("ACCESS_DENIED: someone else's message, a system message, a deleted one, an unknown id", async () => {
    const system = await sendOk({ dialogId: "chat5", fields: { message: "sys", system: true } });
    const gone = await sendOk({ dialogId: "chat5", fields: { message: "bye" } });
    expect((await remove({ messageId: gone })).status).toBe(200);
    for (const messageId of [789, system, gone, 99999]) {
      await expectRefused(UPDATE, asBot({ messageId, fields: { message: "edit" } }), "ACCESS_DENIED");
    }
  });

  it("ACCESS_DENIED: a bot cannot edit another bot's message", async () => {
    const id = await sendOk({ dialogId: "chat5", fields: { message: "mine" } });
    await expectRefused(UPDATE, { botId: 457, botToken: "other_bot_token", messageId: id, fields: { message: "x" } }, "ACCESS_DENIED");
  });

  it("ERROR_ARGUMENT: messageId or fields missing, fields not an object", async () => {
    const id = await sendOk({ dialogId: "chat5", fields: { message: "m" } });
    const cases: [Record<string, unknown>, string][] = [
      [{ fields: { message: "x" } }, "messageId"],
      [{ messageId: "abc", fields: { message: "x" } }, "messageId"],
      [{ messageId: id }, "fields"],
      [{ messageId: id, fields: "text" }, "fields"],
    ];
    for (const [params, name] of cases) {
      const reply = await expectRefused(UPDATE, asBot(params), "ERROR_ARGUMENT");
      expect(reply.body.error_description).toContain(name);
    }
  });

  it("overlong text: ERROR_ARGUMENT naming fields.message by default, cut with overlongMessage=truncate", async () => {
    const id = await sendOk({ dialogId: "chat5", fields: { message: "m" } });
    const reply = await expectRefused(UPDATE, asBot({ messageId: id, fields: { message: "ж".repeat(20_001) } }), "ERROR_ARGUMENT");
    expect(reply.body.error_description).toContain("fields.message");
    expect(reply.body.error_description).toContain("20000");
    expect((await update({ messageId: id, fields: { message: "ж".repeat(20_000) } })).status).toBe(200);

    start({ overlongMessage: "truncate" });
    const other = await sendOk({ dialogId: "chat5", fields: { message: "m" } });
    expect((await update({ messageId: other, fields: { message: "ж".repeat(30_000) } })).status).toBe(200);
    expect(portal.messages[other]!.text).toBe("ж".repeat(20_000) + " (...)");
  });

  it("ATTACH_ERROR, ATTACH_OVERSIZE and an unreadable keyboard change nothing", async () => {
    const id = await sendOk({ dialogId: "chat5", fields: { message: "m" } });
    await expectRefused(UPDATE, asBot({ messageId: id, fields: { message: "new", attach: { BLOCKS: [{ USER: {} }] } } }), "ATTACH_ERROR");
    await expectRefused(UPDATE, asBot({ messageId: id, fields: { attach: [{ MESSAGE: "x".repeat(60_001) }] } }), "ATTACH_OVERSIZE");
    await expectRefused(UPDATE, asBot({ messageId: id, fields: { message: "new", keyboard: "[" } }), "ERROR_ARGUMENT");
  });

  it("bot-level errors", async () => {
    await expectRefused(UPDATE, { botId: 456, messageId: 1, fields: {} }, "BOT_TOKEN_NOT_SPECIFIED");
    await expectRefused(UPDATE, asBot({ botId: -1 }), "BOT_ID_REQUIRED");
    await expectRefused(UPDATE, asBot({ botId: 4567 }), "BOT_NOT_FOUND");
    await expectRefused(UPDATE, asBot({ botToken: "nope" }), "BOT_OWNERSHIP_ERROR");
  });
});

describe("Chat.Message.delete", () => {
  it("soft by default: the row stays with no text or params, marked deleted", async () => {
    const id = await sendOk({ dialogId: "chat5", fields: { message: "oops", attach: [{ MESSAGE: "a" }] } });
    const reply = await remove({ messageId: id });
    expect(reply.status).toBe(200);
    expect(reply.body.result).toEqual({ result: true });
    expect(portal.messages[id]).toMatchObject({ text: "", params: {}, deleted: true, authorId: 456 });
    expect(portal.chats[5]).toMatchObject({ lastMessageId: id, messageCount: 4 });
  });

  it("complete removes the row and keeps the chat's counters right", async () => {
    const first = await sendOk({ dialogId: "chat5", fields: { message: "one" } });
    const second = await sendOk({ dialogId: "chat5", fields: { message: "two" } });
    expect((await remove({ messageId: second, complete: "Y" })).status).toBe(200);
    expect(portal.messages[second]).toBeUndefined();
    expect(portal.chats[5]).toMatchObject({ lastMessageId: first, messageCount: 4 });
    expect((await remove({ messageId: first, complete: true })).status).toBe(200);
    expect(portal.chats[5]).toMatchObject({ lastMessageId: 794, messageCount: 3 });
  });

  it("the owner of a group chat may delete anyone's message, system ones included", async () => {
    const chatId = await chatWithOtherBot();
    const userMessage = appendMessage(portal, { chatId, authorId: 1, text: "from Anna", isSystem: false, urlPreview: true, attach: null, keyboard: null }, new Date());
    const system = await sendOk({ dialogId: `chat${chatId}`, fields: { message: "sys", system: true } });
    expect((await remove({ messageId: userMessage.id })).status).toBe(200);
    expect((await remove({ messageId: system, complete: true })).status).toBe(200);
    expect(portal.messages[userMessage.id]!.deleted).toBe(true);
    expect(portal.messages[system]).toBeUndefined();
  });

  it("a manager may too", async () => {
    portal.chats[5]!.managers.push(456);
    expect((await remove({ messageId: 789, complete: true })).status).toBe(200);
    expect(portal.messages[789]).toBeUndefined();
  });

  it("ACCESS_DENIED: another's message or a system message without admin rights, an unknown id", async () => {
    const system = await sendOk({ dialogId: "chat5", fields: { message: "sys", system: true } });
    await expectRefused(DELETE, asBot({ messageId: 789 }), "ACCESS_DENIED");
    await expectRefused(DELETE, asBot({ messageId: system, complete: true }), "ACCESS_DENIED");
    await expectRefused(DELETE, asBot({ messageId: 99999 }), "ACCESS_DENIED");
  });

  it("ACCESS_DENIED: the user's message in the bot's own one-to-one dialog (no admins there)", async () => {
    await sendOk({ dialogId: "2", fields: { message: "hi" } });
    const fromUser = appendMessage(portal, { chatId: 9, authorId: 2, text: "hey", isSystem: false, urlPreview: true, attach: null, keyboard: null }, new Date());
    await expectRefused(DELETE, asBot({ messageId: fromUser.id }), "ACCESS_DENIED");
  });

  it("ERROR_ARGUMENT: messageId missing; bot-level errors first", async () => {
    const reply = await expectRefused(DELETE, asBot({}), "ERROR_ARGUMENT");
    expect(reply.body.error_description).toContain("messageId");
    await expectRefused(DELETE, { botId: 456, messageId: 789 }, "BOT_TOKEN_NOT_SPECIFIED");
    await expectRefused(DELETE, asBot({ botId: "x", messageId: 789 }), "BOT_ID_REQUIRED");
    await expectRefused(DELETE, asBot({ botId: 1, messageId: 789 }), "BOT_NOT_FOUND");
    await expectRefused(DELETE, { auth: "other-token", botId: 456, messageId: 789 }, "BOT_OWNERSHIP_ERROR", 400, OAUTH);
  });

  it("bots that saw a person's message get MESSAGEDELETE before it goes, once", async () => {
    const chatId = await chatWithOtherBot();
    const id = await userSays(`chat${chatId}`, "[USER=457]x[/USER] secret");
    const quiet = await userSays(`chat${chatId}`, "no mention");
    portal.events = [];
    await remove({ messageId: id });
    await remove({ messageId: id });
    await remove({ messageId: id, complete: true });
    await remove({ messageId: quiet, complete: true });
    expect(portal.events.map((e) => [e.botId, e.type])).toEqual([[457, "ONIMBOTV2MESSAGEDELETE"]]);
    expect(portal.events[0]!.data).toMatchObject({ messageId: id, chat: { id: chatId }, user: { id: 1 } });
  });

  it("completely deleting a command message: answering it is COMMAND_ANSWER_FAILED", async () => {
    portal.chats[5]!.managers.push(456);
    await remove({ messageId: 789, complete: true });
    const late = await client.post(HOOK + "imbot.v2.Command.answer", asBot({ commandId: 42, messageId: 789, dialogId: "chat5", fields: { message: "late" } }));
    expect(late.body.error).toBe("COMMAND_ANSWER_FAILED");
    expect(late.status).toBe(400);
  });
});
