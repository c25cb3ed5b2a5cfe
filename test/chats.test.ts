import { beforeEach, describe, expect, it } from "vitest";
import { createEmulator, type EmulatorApp, type FixtureInput } from "../src/index.js";
import { appendMessage } from "../src/store/messages.js";
import type { Portal } from "../src/store/state.js";
import { testFixtureWithInactiveUser } from "./support/fixtures.js";
import { expectRefusal, restClient, snapshot } from "./support/rest-client.js";

const HOOK = "/rest/1/emulator/";
const OAUTH = "/rest/";
const ADD = "imbot.v2.Chat.add";
const GET = "imbot.v2.Chat.get";
const USER_ADD = "imbot.v2.Chat.User.add";
const USER_DELETE = "imbot.v2.Chat.User.delete";
const USER_LIST = "imbot.v2.Chat.User.list";

const fixture = testFixtureWithInactiveUser;

let app: EmulatorApp;
let client: ReturnType<typeof restClient>;
let portal: Portal;

function start(input: FixtureInput = fixture()) {
  app = createEmulator({ fixture: input });
  client = restClient(app);
  portal = app.store.state.portals.default!;
}

beforeEach(() => start());

const asBot = (params: Record<string, unknown>) => ({ botId: 456, botToken: "my_bot_token", ...params });
const call = (method: string, params: Record<string, unknown>, encoding: "json" | "form" = "json") =>
  client.post(HOOK + method, asBot(params), encoding);

async function ok(method: string, params: Record<string, unknown>, encoding: "json" | "form" = "json") {
  const reply = await call(method, params, encoding);
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply.body.result as Record<string, unknown> & unknown[];
}

function expectRefused(method: string, params: Record<string, unknown>, code: string, status = 400, url = HOOK) {
  return expectRefusal(app, url + method, params, code, status);
}

/** A group chat the bot owns (id 9 on the test portal). */
async function ownChat(userIds: unknown[] = [1, 2]): Promise<number> {
  const result = await ok(ADD, { fields: { title: "Team", userIds } });
  portal.events = [];
  return (result.chat as { id: number }).id;
}

const ids = (users: unknown) => (users as { id: number }[]).map((u) => u.id);

describe("Chat.add", () => {
  it("creates a group chat the bot owns, with the users it names", async () => {
    const result = await ok(ADD, { fields: { title: "Release", description: "Ship it", color: "mint", userIds: [1, 2] } });
    expect(result.chat).toMatchObject({
      id: 9,
      dialogId: "chat9",
      name: "Release",
      description: "Ship it",
      type: "chat",
      messageType: "C",
      owner: 456,
      color: "#4ba984",
      role: "owner",
      isNew: true,
      managerList: [],
      userCounter: 3,
      messageCount: 0,
      lastMessageId: 0,
    });
    expect(ids(result.users)).toEqual([456, 1, 2]);
    expect(result.users).toContainEqual(expect.objectContaining({ id: 1, name: "Anna Admin", bot: false, type: "employee" }));
    expect(portal.seq.chat).toBe(9);
    expect(portal.chats[9]).toMatchObject({ type: "chat", title: "Release", ownerId: 456, members: [456, 1, 2], managers: [], color: "#4ba984" });
  });

  it("skips unknown, deactivated and repeated ids and the bot itself", async () => {
    const result = await ok(ADD, { fields: { title: "T", userIds: [2, 999, 4, 2, 456, "3", "junk", 0] } });
    expect(ids(result.users)).toEqual([456, 2, 3]);
    expect(portal.chats[9]!.members).toEqual([456, 2, 3]);
  });

  it("reads PHP list keys from a form body", async () => {
    const result = await ok(ADD, { fields: { title: "Form", userIds: ["1", "2"] } }, "form");
    expect(portal.chats[(result.chat as { id: number }).id]!.members).toEqual([456, 1, 2]);
  });

  it("names a chat without a title after its members", async () => {
    const result = await ok(ADD, { fields: { userIds: [1, 2] } });
    expect((result.chat as { name: string }).name).toBe("Support Bot, Anna Admin, Boris User");
    const alone = await ok(ADD, {});
    expect(alone.chat).toMatchObject({ name: "Support Bot", userCounter: 1 });
    expect(ids(alone.users)).toEqual([456]);
  });

  it("answers palette codes as HEX, in any spelling; an unknown code still gets a palette colour", async () => {
    const blue = await ok(ADD, { fields: { title: "a", color: "LIGHT_BLUE" } });
    expect((blue.chat as { color: string }).color).toBe("#4ba5c3");
    const graphite = await ok(ADD, { fields: { title: "b", color: "graphite" } });
    expect((graphite.chat as { color: string }).color).toBe("#5e5f5e");
    const unknown = await ok(ADD, { fields: { title: "c", color: "ultraviolet" } });
    expect(["#df532d", "#64a513", "#4ba984", "#4ba5c3", "#3e99ce", "#8474c8", "#1eb4aa", "#f76187", "#58cc47", "#ab7761", "#29619b", "#728f7a", "#ba9c7b", "#556574", "#909090", "#5e5f5e"]).toContain(
      (unknown.chat as { color: string }).color,
    );
  });

  it("gives the chat to ownerId (who joins); an unknown ownerId leaves the bot as owner", async () => {
    const toAnna = await ok(ADD, { fields: { title: "a", userIds: [2], ownerId: 1 } });
    expect(toAnna.chat).toMatchObject({ owner: 1, role: "member" });
    expect(portal.chats[9]).toMatchObject({ ownerId: 1, members: [456, 2, 1] });
    const unknown = await ok(ADD, { fields: { title: "b", ownerId: 999 } });
    expect(unknown.chat).toMatchObject({ owner: 456, role: "owner" });
  });

  it("posts fields.message as the bot's first message", async () => {
    const result = await ok(ADD, { fields: { title: "Hello", userIds: [1], message: " Welcome[br]all " } });
    const chat = portal.chats[9]!;
    const message = portal.messages[chat.lastMessageId]!;
    expect(message).toMatchObject({ chatId: 9, authorId: 456, text: "Welcome\nall", isSystem: false });
    expect(chat.messageCount).toBe(1);
    expect(result.chat).toMatchObject({ lastMessageId: message.id, messageCount: 1 });
    expect(portal.bots[456]!.countMessage).toBe(1);
  });

  it("sends JOINCHAT to other bots it adds, never to the creating bot", async () => {
    await ok(ADD, { fields: { title: "Bots", userIds: [1, 457] } });
    expect(portal.events.map((e) => [e.botId, e.type])).toEqual([[457, "ONIMBOTV2JOINCHAT"]]);
    expect(portal.events[0]!.data).toMatchObject({
      dialogId: "chat9",
      chat: { id: 9, dialogId: "chat9", type: "chat", owner: 456 },
      user: { id: 456, bot: true },
      language: "en",
    });
    expect(portal.events[0]!.data.chat).not.toHaveProperty("role");
  });

  it("a first message mentioning an added bot does not reach it: a bot's messages reach no bot", async () => {
    await ok(ADD, { fields: { title: "Bots", userIds: [457], message: "hi [USER=457]Other Bot[/USER]" } });
    expect(portal.events.map((e) => [e.botId, e.type])).toEqual([[457, "ONIMBOTV2JOINCHAT"]]);
  });

  it("works under OAuth", async () => {
    const reply = await client.post(OAUTH + ADD, { auth: "emulator-token", botId: 456, fields: { title: "OAuth" } });
    expect(reply.status).toBe(200);
    expect(portal.chats[9]!.title).toBe("OAuth");
  });

  it("refusals: bot-level errors and fields that are not an object", async () => {
    await expectRefused(ADD, { botId: 456, fields: { title: "x" } }, "BOT_TOKEN_NOT_SPECIFIED");
    await expectRefused(ADD, asBot({ botId: undefined }), "BOT_ID_REQUIRED");
    await expectRefused(ADD, asBot({ botId: 9999 }), "BOT_NOT_FOUND");
    await expectRefused(ADD, asBot({ botToken: "other_bot_token" }), "BOT_OWNERSHIP_ERROR");
    await expectRefused(ADD, { auth: "other-token", botId: 456 }, "BOT_OWNERSHIP_ERROR", 400, OAUTH);
    const reply = await expectRefused(ADD, asBot({ fields: "Release" }), "ERROR_ARGUMENT");
    expect(reply.body.error_description).toContain("fields");
  });
});

describe("Chat.get", () => {
  it("returns a group chat the bot is in, with its role and the response-only fields", async () => {
    const result = await ok(GET, { dialogId: "chat5" });
    expect(Object.keys(result)).toEqual(["chat"]);
    expect(result.chat).toMatchObject({
      id: 5,
      dialogId: "chat5",
      name: "Support",
      type: "chat",
      owner: 1,
      role: "member",
      isNew: false,
      lastMessageId: 794,
      lastId: 0, // the bot has read nothing yet (its own read mark, spec v2-complete.md §4 f)
      messageCount: 3,
      userCounter: 2,
      muteList: [],
    });
  });

  it("finds the bot's one-to-one dialog by the user's id or by chatN", async () => {
    const byUser = await ok(GET, { dialogId: "1" });
    expect(byUser.chat).toMatchObject({ id: 7, dialogId: "1", type: "private", messageType: "P" });
    const byChat = await ok(GET, { dialogId: "chat7" });
    expect(byChat.chat).toEqual(byUser.chat);
    const numeric = await ok(GET, { dialogId: 1 });
    expect(numeric.chat).toEqual(byUser.chat);
  });

  it("changes nothing", async () => {
    const before = snapshot(app);
    await ok(GET, { dialogId: "chat5" });
    expect(snapshot(app)).toBe(before);
  });

  it("ACCESS_DENIED: a chat the bot is not in", async () => {
    for (const dialogId of ["chat6", "chat8", "CHAT6"]) {
      await expectRefused(GET, asBot({ dialogId }), "ACCESS_DENIED");
    }
  });

  it("CHAT_NOT_FOUND (400): no such chat, no dialog yet, malformed dialogId (spec v2-complete §4 X3)", async () => {
    for (const dialogId of ["chat999", "2", "999", "chat", "chat-5", "x1", "chat0"]) {
      const reply = await expectRefused(GET, asBot({ dialogId }), "CHAT_NOT_FOUND");
      expect(reply.body.error_description).toContain(dialogId);
    }
  });

  it("the chat prefix is case-insensitive: CHAT5 and Chat5 name chat 5", async () => {
    for (const dialogId of ["CHAT5", "Chat5"]) {
      const result = await ok(GET, { dialogId });
      expect((result.chat as { id: number; dialogId: string })).toMatchObject({ id: 5, dialogId: "chat5" });
    }
  });

  it("ERROR_ARGUMENT: dialogId missing, after the bot-level errors", async () => {
    const reply = await expectRefused(GET, asBot({}), "ERROR_ARGUMENT");
    expect(reply.body.error_description).toContain("dialogId");
    await expectRefused(GET, { botId: 456 }, "BOT_TOKEN_NOT_SPECIFIED");
    await expectRefused(GET, asBot({ botId: "none" }), "BOT_ID_REQUIRED");
    await expectRefused(GET, asBot({ botId: 3 }), "BOT_NOT_FOUND");
    await expectRefused(GET, asBot({ botToken: "x", dialogId: "chat5" }), "BOT_OWNERSHIP_ERROR");
  });
});

describe("Chat.User.add", () => {
  it("adds known active users to a chat the bot owns; others are skipped silently", async () => {
    const chatId = await ownChat([1]);
    const reply = await call(USER_ADD, { dialogId: `chat${chatId}`, userIds: [2, 999, 4, 1, 2, 3] });
    expect(reply.status).toBe(200);
    expect(reply.body.result).toEqual({ result: true });
    expect(portal.chats[chatId]!.members).toEqual([456, 1, 2, 3]);
    expect(portal.events).toEqual([]);
  });

  it("sends JOINCHAT to each bot it adds, from the adding bot", async () => {
    const chatId = await ownChat([1]);
    await ok(USER_ADD, { dialogId: `chat${chatId}`, userIds: ["457"] });
    expect(portal.events.map((e) => [e.botId, e.type])).toEqual([[457, "ONIMBOTV2JOINCHAT"]]);
    expect(portal.events[0]!.data).toMatchObject({ dialogId: `chat${chatId}`, user: { id: 456 } });
    await ok(USER_ADD, { dialogId: `chat${chatId}`, userIds: [457] });
    expect(portal.events).toHaveLength(1);
  });

  it("a plain member may add users (spec v2-complete §4 h: no owner or manager role needed)", async () => {
    expect(portal.chats[5]).toMatchObject({ ownerId: 1, managers: [] });
    await ok(USER_ADD, { dialogId: "chat5", userIds: [2] }, "form");
    expect(portal.chats[5]!.members).toEqual([1, 456, 2]);
  });

  it("ACCESS_DENIED: not a member, a one-to-one dialog; CHAT_NOT_FOUND: an unknown chat", async () => {
    for (const dialogId of ["chat6", "chat7", "1"]) {
      await expectRefused(USER_ADD, asBot({ dialogId, userIds: [2] }), "ACCESS_DENIED");
    }
    await expectRefused(USER_ADD, asBot({ dialogId: "chat999", userIds: [2] }), "CHAT_NOT_FOUND");
    await expectRefused(USER_DELETE, asBot({ dialogId: "chat999", userId: 2 }), "CHAT_NOT_FOUND");
  });

  it("CHAT5 names chat 5: a member adds a user with the prefix in capitals", async () => {
    await ok(USER_ADD, { dialogId: "CHAT5", userIds: [3] });
    expect(portal.chats[5]!.members).toEqual([1, 456, 3]);
  });

  it("no user id given answers true and changes nothing (no EMPTY_USER_IDS, spec v2-complete §4 h)", async () => {
    const chatId = await ownChat();
    const before = snapshot(app);
    for (const userIds of [undefined, [], "", ["junk", 0]]) {
      const reply = await call(USER_ADD, { dialogId: `chat${chatId}`, userIds });
      expect(reply.status).toBe(200);
      expect(reply.body.result).toEqual({ result: true });
    }
    expect(snapshot(app)).toBe(before);
    expect(portal.events).toEqual([]);
    await expectRefused(USER_ADD, asBot({ dialogId: "chat6", userIds: [] }), "ACCESS_DENIED");
  });

  it("ERROR_ARGUMENT: dialogId missing; bot-level errors first", async () => {
    const reply = await expectRefused(USER_ADD, asBot({ userIds: [2] }), "ERROR_ARGUMENT");
    expect(reply.body.error_description).toContain("dialogId");
    await expectRefused(USER_ADD, { botId: 456, dialogId: "chat5", userIds: [2] }, "BOT_TOKEN_NOT_SPECIFIED");
    await expectRefused(USER_ADD, asBot({ botId: 0 }), "BOT_ID_REQUIRED");
    await expectRefused(USER_ADD, asBot({ botId: 2 }), "BOT_NOT_FOUND");
    await expectRefused(USER_ADD, { auth: "other-token", botId: 456, dialogId: "chat5", userIds: [2] }, "BOT_OWNERSHIP_ERROR", 400, OAUTH);
  });
});

describe("Chat.User.delete", () => {
  it("removes a member (and their manager role) from a chat the bot owns", async () => {
    const chatId = await ownChat([1, 2]);
    portal.chats[chatId]!.managers.push(2);
    const reply = await call(USER_DELETE, { dialogId: `chat${chatId}`, userId: 2 });
    expect(reply.status).toBe(200);
    expect(reply.body.result).toEqual({ result: true });
    expect(portal.chats[chatId]).toMatchObject({ members: [456, 1], managers: [] });
  });

  it("answers true and changes nothing for someone who is not a member", async () => {
    const chatId = await ownChat([1]);
    const before = snapshot(app);
    expect((await call(USER_DELETE, { dialogId: `chat${chatId}`, userId: 3 })).body.result).toEqual({ result: true });
    expect(snapshot(app)).toBe(before);
  });

  it("a manager may remove members but not the owner", async () => {
    portal.chats[5]!.managers.push(456);
    portal.chats[5]!.members.push(2);
    await ok(USER_DELETE, { dialogId: "chat5", userId: "2" }, "form");
    expect(portal.chats[5]!.members).toEqual([1, 456]);
    await expectRefused(USER_DELETE, asBot({ dialogId: "chat5", userId: 1 }), "ACCESS_DENIED");
  });

  it("ACCESS_DENIED: a plain member, not a member, a one-to-one dialog, the owner itself", async () => {
    for (const dialogId of ["chat5", "chat6", "chat7"]) {
      await expectRefused(USER_DELETE, asBot({ dialogId, userId: 1 }), "ACCESS_DENIED");
    }
    const chatId = await ownChat();
    await expectRefused(USER_DELETE, asBot({ dialogId: `chat${chatId}`, userId: 456 }), "ACCESS_DENIED");
  });

  it("ERROR_ARGUMENT names dialogId, then userId", async () => {
    const chatId = await ownChat();
    const noDialog = await expectRefused(USER_DELETE, asBot({ userId: 2 }), "ERROR_ARGUMENT");
    expect(noDialog.body.error_description).toContain("dialogId");
    for (const userId of [undefined, 0, "abc"]) {
      const reply = await expectRefused(USER_DELETE, asBot({ dialogId: `chat${chatId}`, userId }), "ERROR_ARGUMENT");
      expect(reply.body.error_description).toContain("userId");
    }
  });

  it("bot-level errors", async () => {
    await expectRefused(USER_DELETE, { botId: 456, dialogId: "chat5", userId: 1 }, "BOT_TOKEN_NOT_SPECIFIED");
    await expectRefused(USER_DELETE, asBot({ botId: -3 }), "BOT_ID_REQUIRED");
    await expectRefused(USER_DELETE, asBot({ botId: 1 }), "BOT_NOT_FOUND");
    await expectRefused(USER_DELETE, asBot({ botToken: "other_bot_token" }), "BOT_OWNERSHIP_ERROR");
  });
});

describe("Chat.User.list", () => {
  it("answers a bare array of User objects in membership order", async () => {
    const reply = await call(USER_LIST, { dialogId: "chat5" });
    expect(reply.status).toBe(200);
    expect(Array.isArray(reply.body.result)).toBe(true);
    expect(ids(reply.body.result)).toEqual([1, 456]);
    expect(reply.body.result).toContainEqual(expect.objectContaining({ id: 456, name: "Support Bot", bot: true, type: "bot", externalAuthId: "bot" }));
  });

  it("works for the bot's one-to-one dialog", async () => {
    expect(ids(await ok(USER_LIST, { dialogId: "1" }))).toEqual([1, 456]);
  });

  it("sorts by userId, id or lastSendMessageId, ASC or DESC", async () => {
    const chatId = await ownChat([2, 1, 3]);
    const post = (authorId: number) =>
      appendMessage(portal, { chatId, authorId, text: "x", isSystem: false, urlPreview: true, attach: null, keyboard: null }, new Date());
    post(3);
    post(2);
    const dialogId = `chat${chatId}`;
    expect(ids(await ok(USER_LIST, { dialogId, order: { userId: "DESC" } }))).toEqual([456, 3, 2, 1]);
    expect(ids(await ok(USER_LIST, { dialogId, order: { userId: "asc" } }))).toEqual([1, 2, 3, 456]);
    expect(ids(await ok(USER_LIST, { dialogId, order: { id: "DESC" } }))).toEqual([3, 1, 2, 456]);
    expect(ids(await ok(USER_LIST, { dialogId, order: { lastSendMessageId: "DESC" } }))).toEqual([2, 3, 456, 1]);
    expect(ids(await ok(USER_LIST, { dialogId, order: { nonsense: "DESC" } }))).toEqual([456, 2, 1, 3]);
    expect(ids(await ok(USER_LIST, { dialogId, order: { userId: "DESC" }, limit: "2" }, "form"))).toEqual([456, 3]);
  });

  it("clamps limit to 1..200 and defaults to 50", async () => {
    const base = fixture();
    const many = Array.from({ length: 250 }, (_, i) => ({ id: 1000 + i, firstName: `User${i}` }));
    start({ ...base, users: [...(base.users ?? []), ...many], chats: [...(base.chats ?? []), { id: 20, ownerId: 1, members: [456, ...many.map((u) => u.id)] }] });
    expect(await ok(USER_LIST, { dialogId: "chat20" })).toHaveLength(50);
    expect(await ok(USER_LIST, { dialogId: "chat20", limit: 500 })).toHaveLength(200);
    expect(await ok(USER_LIST, { dialogId: "chat20", limit: 0 })).toHaveLength(1);
    expect(await ok(USER_LIST, { dialogId: "chat20", limit: -7 })).toHaveLength(1);
    expect(await ok(USER_LIST, { dialogId: "chat20", limit: "junk" })).toHaveLength(50);
    expect(await ok(USER_LIST, { dialogId: "chat20", limit: 120 })).toHaveLength(120);
  });

  it("ACCESS_DENIED: not a member; CHAT_NOT_FOUND: no such dialog; ERROR_ARGUMENT without dialogId", async () => {
    await expectRefused(USER_LIST, asBot({ dialogId: "chat6" }), "ACCESS_DENIED");
    for (const dialogId of ["chat999", "2", "bad"]) {
      await expectRefused(USER_LIST, asBot({ dialogId }), "CHAT_NOT_FOUND");
    }
    const reply = await expectRefused(USER_LIST, asBot({}), "ERROR_ARGUMENT");
    expect(reply.body.error_description).toContain("dialogId");
  });

  it("bot-level errors", async () => {
    await expectRefused(USER_LIST, { botId: 456, dialogId: "chat5" }, "BOT_TOKEN_NOT_SPECIFIED");
    await expectRefused(USER_LIST, asBot({ botId: "" }), "BOT_ID_REQUIRED");
    await expectRefused(USER_LIST, asBot({ botId: 777 }), "BOT_NOT_FOUND");
    await expectRefused(USER_LIST, { auth: "other-token", botId: 456, dialogId: "chat5" }, "BOT_OWNERSHIP_ERROR", 400, OAUTH);
  });
});

describe("the older chat methods accept an int chatId in place of dialogId, as a portal's binder does", () => {
  it("Chat.get, Chat.User.add/list/delete and Chat.Message.send find chat 5 by chatId, in JSON and form", async () => {
    expect(((await ok(GET, { chatId: 5 })).chat as { dialogId: string }).dialogId).toBe("chat5");
    expect(((await ok(GET, { chatId: "5" }, "form")).chat as { id: number }).id).toBe(5);
    const chatId = await ownChat([1]);
    expect(await ok(USER_ADD, { chatId, userIds: [2] })).toEqual({ result: true });
    expect((await ok(USER_LIST, { chatId })).map((u) => (u as { id: number }).id)).toContain(2);
    expect(await ok(USER_DELETE, { chatId, userId: 2 })).toEqual({ result: true });
    expect(portal.chats[chatId]!.members).not.toContain(2);
    const sent = (await ok("imbot.v2.Chat.Message.send", { chatId: 5, fields: { message: "by chat id" } })) as unknown as { id: number };
    expect(portal.messages[sent.id]).toMatchObject({ chatId: 5, authorId: 456, text: "by chat id" });
  });

  it("an unknown chatId is CHAT_NOT_FOUND, a chat the bot is not in ACCESS_DENIED; neither id is still ERROR_ARGUMENT", async () => {
    await expectRefused(GET, asBot({ chatId: 999 }), "CHAT_NOT_FOUND");
    await expectRefused("imbot.v2.Chat.Message.send", asBot({ chatId: 999, fields: { message: "x" } }), "CHAT_NOT_FOUND");
    const foreign = Object.values(portal.chats).find((c) => c.type !== "private" && !c.members.includes(456))!;
    await expectRefused(GET, asBot({ chatId: foreign.id }), "ACCESS_DENIED");
    const reply = await expectRefused(GET, asBot({ chatId: 0 }), "ERROR_ARGUMENT");
    expect(reply.body.error_description).toContain("dialogId");
  });
});
