import { beforeEach, describe, expect, it } from "vitest";
import { createEmulator, type EmulatorApp } from "../src/index.js";
import { createRegistry } from "../src/rest/registry.js";
import { controlRoutes } from "./fuzz/control-properties.js";
import { testFixture } from "./support/fixtures.js";
import { restClient, type Reply } from "./support/rest-client.js";

/**
 * Two portals on one emulator, both built from the same fixture (so both have bot 456, command 42,
 * chat 5, message 789 and the same fixture bot tokens), plus bots, a command, a chat, messages and
 * events created in B only. Portal A's credentials, used on every REST method and every control
 * endpoint with B's ids and B's bot tokens, must reach nothing of B: each attempt gets the
 * documented error (code and status) or acts on A's own data, B's stored data stays byte-for-byte
 * the same, and the call shows in A's journal, never in B's.
 */

const A = "alpha";
const B = "beta";
const B_TOKEN = "beta-secret-token";
const FIXTURE_TOKEN = "my_bot_token";

interface Side {
  hook: string;
  oauth: string;
}

interface World {
  app: EmulatorApp;
  client: ReturnType<typeof restClient>;
  a: Side;
  b: Side;
  /** B's bot registered with B's webhook and B_TOKEN (fetch mode). */
  bWebhookBot: number;
  /** B's bot registered with B's OAuth app. */
  bOauthBot: number;
  bCommand: number;
  bChat: string;
  /** B's bot message with a keyboard, and the user message that invoked B's command. */
  bBotMessage: number;
  bUserMessage: number;
  /** A file B's person shared in B's chat5. */
  bFile: number;
}

function side(info: { webhooks: { userId: number; code: string }[]; accessToken: string | null }): Side {
  const hook = info.webhooks[0];
  if (!hook || !info.accessToken) throw new Error("a portal without webhook or token");
  return { hook: `/rest/${hook.userId}/${hook.code}/`, oauth: info.accessToken };
}

async function call(w: World, who: Side, via: "webhook" | "oauth", method: string, params: Record<string, unknown>): Promise<Reply> {
  return via === "webhook" ? w.client.post(`${who.hook}${method}`, params) : w.client.post(`/rest/${method}?auth=${who.oauth}`, params);
}

function ok<T = Record<string, unknown>>(reply: Reply): T {
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply.body.result as T;
}

const portalOf = (w: World, id: string) => JSON.stringify(w.app.store.state.portals[id]);
const journalOf = (w: World, id: string) => w.app.portal(id).journal();

/** Two portals, with B's own bots, command, chat, messages and fetch events made through B's credentials. */
async function world(): Promise<World> {
  const app = createEmulator({ fixture: testFixture() });
  const client = restClient(app);
  const a = side(await app.createPortal({ id: A }));
  // B's user 1 has another name, so an answer about "the caller" shows which portal it came from.
  const bFixture = testFixture();
  bFixture.users = (bFixture.users ?? []).map((u) => (u.id === 1 ? { ...u, firstName: "Beatrix" } : u));
  const created = await client.call("POST", "/_emulator/portals", { id: B, fixture: bFixture });
  expect(created.status).toBe(201);
  const b = side(created.body as { webhooks: { userId: number; code: string }[]; accessToken: string });
  const w = { app, client, a, b } as World;

  const hookBot = ok<{ bot: { id: number } }>(
    await call(w, b, "webhook", "imbot.v2.Bot.register", { fields: { code: "beta_bot", botToken: B_TOKEN, properties: { name: "Beta" } } }),
  );
  w.bWebhookBot = hookBot.bot.id;
  const oauthBot = ok<{ bot: { id: number } }>(
    await call(w, b, "oauth", "imbot.v2.Bot.register", { fields: { code: "beta_oauth_bot", properties: { name: "Beta OAuth" } } }),
  );
  w.bOauthBot = oauthBot.bot.id;
  const mine = { botId: w.bWebhookBot, botToken: B_TOKEN };
  w.bCommand = ok<{ command: { id: number } }>(
    await call(w, b, "webhook", "imbot.v2.Command.register", { ...mine, fields: { command: "beta", title: { en: "Beta" } } }),
  ).command.id;
  const chat = ok<{ chat: { dialogId: string } }>(
    await call(w, b, "webhook", "imbot.v2.Chat.add", { ...mine, fields: { title: "Beta room", userIds: [1, 2] } }),
  );
  w.bChat = chat.chat.dialogId;
  w.bBotMessage = ok<{ id: number }>(
    await call(w, b, "webhook", "imbot.v2.Chat.Message.send", {
      ...mine,
      dialogId: w.bChat,
      fields: { message: "beta secret", keyboard: [{ TEXT: "Go", COMMAND: "beta" }] },
    }),
  ).id;
  const said = await app.portal(B).userSays({ authorId: 1, dialogId: w.bChat, text: "/beta now" });
  w.bUserMessage = said.message.id;
  await app.portal(B).userSays({ authorId: 1, dialogId: "chat5", text: "/help from beta" });
  w.bFile = (await app.portal(B).userSendsFile({ userId: 1, dialogId: "chat5", name: "beta.txt", contentBase64: "YmV0YQ==" })).file.id as number;

  // B's objects must be B's alone: none of these ids exists in A, or the attempts below prove nothing.
  const alpha = app.store.state.portals[A];
  expect(alpha?.bots[w.bWebhookBot]).toBeUndefined();
  expect(alpha?.bots[w.bOauthBot]).toBeUndefined();
  expect(alpha?.commands[w.bCommand]).toBeUndefined();
  expect(alpha?.chats[Number(w.bChat.slice(4))]).toBeUndefined();
  expect(alpha?.messages[w.bBotMessage]).toBeUndefined();
  expect(alpha?.messages[w.bUserMessage]).toBeUndefined();
  expect(alpha?.files?.[w.bFile]).toBeUndefined();
  expect(app.store.state.portals[B]?.users[1]?.firstName).toBe("Beatrix");
  expect(app.portal(B).events(w.bWebhookBot).length).toBeGreaterThan(0);
  expect(app.portal(B).events(456).length).toBeGreaterThan(0);
  return w;
}

// ---------------------------------------------------------------------------------------------
// REST: every method, with A's credentials and B's ids

interface RestAttempt {
  name: string;
  method: string;
  via: "webhook" | "oauth";
  params: (w: World) => Record<string, unknown>;
  /** The documented refusal, or a check of a success that must show nothing of B. */
  expect: { error: string; status: number } | ((result: unknown, w: World) => void);
}

const refused = (error: string, status = 400) => ({ error, status });
/** A's webhook with B's bot token and B's bot. */
const bBot = (w: World) => ({ botId: w.bWebhookBot, botToken: B_TOKEN });
/** A's own fixture bot 456 (same id and token as B's 456), aimed at B's objects. */
const aBot = { botId: 456, botToken: FIXTURE_TOKEN };

const REST_ATTEMPTS: RestAttempt[] = [
  // Bot.*
  { name: "reads B's bot by id", method: "imbot.v2.Bot.get", via: "webhook", params: (w) => bBot(w), expect: refused("BOT_NOT_FOUND") },
  { name: "reads B's bot by code", method: "imbot.v2.Bot.get", via: "webhook", params: () => ({ code: "beta_bot", botToken: B_TOKEN }), expect: refused("BOT_NOT_FOUND") },
  { name: "reads B's OAuth bot with A's token", method: "imbot.v2.Bot.get", via: "oauth", params: (w) => ({ botId: w.bOauthBot }), expect: refused("BOT_NOT_FOUND") },
  {
    name: "lists bots with B's bot token",
    method: "imbot.v2.Bot.list",
    via: "webhook",
    params: () => ({ botToken: B_TOKEN }),
    expect: (result) => expect((result as { bots: unknown[] }).bots).toEqual([]),
  },
  {
    name: "lists the bots of A's OAuth app",
    method: "imbot.v2.Bot.list",
    via: "oauth",
    params: () => ({}),
    expect: (result, w) => {
      const ids = (result as { bots: { id: number; code: string }[] }).bots.map((bot) => bot.id);
      expect(ids).not.toContain(w.bOauthBot);
      expect(ids).not.toContain(w.bWebhookBot);
    },
  },
  { name: "renames B's bot", method: "imbot.v2.Bot.update", via: "webhook", params: (w) => ({ ...bBot(w), fields: { properties: { name: "pwned" } } }), expect: refused("BOT_NOT_FOUND") },
  { name: "renames B's OAuth bot", method: "imbot.v2.Bot.update", via: "oauth", params: (w) => ({ botId: w.bOauthBot, fields: { properties: { name: "pwned" } } }), expect: refused("BOT_NOT_FOUND") },
  { name: "unregisters B's bot", method: "imbot.v2.Bot.unregister", via: "webhook", params: (w) => bBot(w), expect: refused("BOT_NOT_FOUND") },
  { name: "unregisters B's OAuth bot", method: "imbot.v2.Bot.unregister", via: "oauth", params: (w) => ({ botId: w.bOauthBot }), expect: refused("BOT_NOT_FOUND") },
  {
    name: "registers B's bot code with B's token (gets a bot of A's own)",
    method: "imbot.v2.Bot.register",
    via: "webhook",
    params: () => ({ fields: { code: "beta_bot", botToken: B_TOKEN, properties: { name: "Alpha copy" } } }),
    expect: (result, w) => {
      const id = (result as { bot: { id: number } }).bot.id;
      expect(w.app.store.state.portals[A]?.bots[id]?.code).toBe("beta_bot");
    },
  },
  // Command.*
  { name: "registers a command on B's bot", method: "imbot.v2.Command.register", via: "webhook", params: (w) => ({ ...bBot(w), fields: { command: "evil", title: { en: "x" } } }), expect: refused("BOT_NOT_FOUND") },
  { name: "updates B's command through B's bot", method: "imbot.v2.Command.update", via: "webhook", params: (w) => ({ ...bBot(w), commandId: w.bCommand, fields: { title: { en: "x" } } }), expect: refused("BOT_NOT_FOUND") },
  { name: "updates B's command through A's own bot", method: "imbot.v2.Command.update", via: "webhook", params: (w) => ({ ...aBot, commandId: w.bCommand, fields: { title: { en: "x" } } }), expect: refused("COMMAND_NOT_FOUND") },
  { name: "lists B's bot's commands", method: "imbot.v2.Command.list", via: "webhook", params: (w) => bBot(w), expect: refused("BOT_NOT_FOUND") },
  { name: "unregisters B's command through B's bot", method: "imbot.v2.Command.unregister", via: "webhook", params: (w) => ({ ...bBot(w), commandId: w.bCommand }), expect: refused("BOT_NOT_FOUND") },
  { name: "unregisters B's command through A's own bot", method: "imbot.v2.Command.unregister", via: "webhook", params: (w) => ({ ...aBot, commandId: w.bCommand }), expect: refused("COMMAND_NOT_FOUND") },
  {
    name: "answers B's command in B's chat as B's bot",
    method: "imbot.v2.Command.answer",
    via: "webhook",
    params: (w) => ({ ...bBot(w), commandId: w.bCommand, messageId: w.bUserMessage, dialogId: w.bChat, fields: { message: "pwned" } }),
    expect: refused("BOT_NOT_FOUND"),
  },
  {
    name: "answers B's command as A's own bot",
    method: "imbot.v2.Command.answer",
    via: "webhook",
    params: (w) => ({ ...aBot, commandId: w.bCommand, messageId: w.bUserMessage, dialogId: w.bChat, fields: { message: "pwned" } }),
    expect: refused("COMMAND_NOT_FOUND"),
  },
  {
    name: "answers B's command with A's OAuth token",
    method: "imbot.v2.Command.answer",
    via: "oauth",
    params: (w) => ({ botId: w.bOauthBot, commandId: w.bCommand, messageId: w.bUserMessage, dialogId: w.bChat, fields: { message: "pwned" } }),
    expect: refused("BOT_NOT_FOUND"),
  },
  // Chat.Message.*
  { name: "posts in B's chat as B's bot", method: "imbot.v2.Chat.Message.send", via: "webhook", params: (w) => ({ ...bBot(w), dialogId: w.bChat, fields: { message: "pwned" } }), expect: refused("BOT_NOT_FOUND") },
  { name: "posts in B's chat as A's own bot", method: "imbot.v2.Chat.Message.send", via: "webhook", params: (w) => ({ ...aBot, dialogId: w.bChat, fields: { message: "pwned" } }), expect: refused("CHAT_NOT_FOUND") },
  { name: "posts in B's chat with A's OAuth token", method: "imbot.v2.Chat.Message.send", via: "oauth", params: (w) => ({ botId: w.bOauthBot, dialogId: w.bChat, fields: { message: "pwned" } }), expect: refused("BOT_NOT_FOUND") },
  { name: "edits B's message as B's bot", method: "imbot.v2.Chat.Message.update", via: "webhook", params: (w) => ({ ...bBot(w), messageId: w.bBotMessage, fields: { message: "pwned" } }), expect: refused("BOT_NOT_FOUND") },
  { name: "edits B's message as A's own bot", method: "imbot.v2.Chat.Message.update", via: "webhook", params: (w) => ({ ...aBot, messageId: w.bBotMessage, fields: { message: "pwned" } }), expect: refused("ACCESS_DENIED") },
  { name: "deletes B's message as B's bot", method: "imbot.v2.Chat.Message.delete", via: "webhook", params: (w) => ({ ...bBot(w), messageId: w.bBotMessage, complete: true }), expect: refused("BOT_NOT_FOUND") },
  { name: "deletes B's message as A's own bot", method: "imbot.v2.Chat.Message.delete", via: "webhook", params: (w) => ({ ...aBot, messageId: w.bUserMessage, complete: true }), expect: refused("ACCESS_DENIED") },
  // Chat.*
  { name: "creates a chat as B's bot", method: "imbot.v2.Chat.add", via: "webhook", params: (w) => ({ ...bBot(w), fields: { title: "pwned", userIds: [1] } }), expect: refused("BOT_NOT_FOUND") },
  { name: "reads B's chat as B's bot", method: "imbot.v2.Chat.get", via: "webhook", params: (w) => ({ ...bBot(w), dialogId: w.bChat }), expect: refused("BOT_NOT_FOUND") },
  { name: "reads B's chat as A's own bot", method: "imbot.v2.Chat.get", via: "webhook", params: (w) => ({ ...aBot, dialogId: w.bChat }), expect: refused("CHAT_NOT_FOUND") },
  { name: "adds a user to B's chat as B's bot", method: "imbot.v2.Chat.User.add", via: "webhook", params: (w) => ({ ...bBot(w), dialogId: w.bChat, userIds: [3] }), expect: refused("BOT_NOT_FOUND") },
  { name: "adds a user to B's chat as A's own bot", method: "imbot.v2.Chat.User.add", via: "webhook", params: (w) => ({ ...aBot, dialogId: w.bChat, userIds: [3] }), expect: refused("CHAT_NOT_FOUND") },
  { name: "removes a user from B's chat as B's bot", method: "imbot.v2.Chat.User.delete", via: "webhook", params: (w) => ({ ...bBot(w), dialogId: w.bChat, userId: 2 }), expect: refused("BOT_NOT_FOUND") },
  { name: "removes a user from B's chat as A's own bot", method: "imbot.v2.Chat.User.delete", via: "webhook", params: (w) => ({ ...aBot, dialogId: w.bChat, userId: 2 }), expect: refused("CHAT_NOT_FOUND") },
  { name: "lists the members of B's chat as B's bot", method: "imbot.v2.Chat.User.list", via: "webhook", params: (w) => ({ ...bBot(w), dialogId: w.bChat }), expect: refused("BOT_NOT_FOUND") },
  { name: "lists the members of B's chat as A's own bot", method: "imbot.v2.Chat.User.list", via: "oauth", params: (w) => ({ botId: 456, dialogId: w.bChat }), expect: refused("CHAT_NOT_FOUND") },
  // Methods added from spec v2-complete.md: B's bot and B's chats and messages stay out of reach.
  { name: "types in B's chat as B's bot", method: "imbot.v2.Chat.InputAction.notify", via: "webhook", params: (w) => ({ ...bBot(w), dialogId: w.bChat }), expect: refused("BOT_NOT_FOUND") },
  { name: "switches B's text field as B's bot", method: "imbot.v2.Chat.TextField.enabled", via: "webhook", params: (w) => ({ ...bBot(w), dialogId: w.bChat, enabled: false }), expect: refused("BOT_NOT_FOUND") },
  { name: "reads B's chat as B's bot", method: "imbot.v2.Chat.Message.read", via: "webhook", params: (w) => ({ ...bBot(w), dialogId: w.bChat }), expect: refused("BOT_NOT_FOUND") },
  { name: "reacts to B's message as B's bot", method: "imbot.v2.Chat.Message.Reaction.add", via: "webhook", params: (w) => ({ ...bBot(w), messageId: w.bUserMessage, reaction: "like" }), expect: refused("BOT_NOT_FOUND") },
  { name: "takes a reaction back on B's message as B's bot", method: "imbot.v2.Chat.Message.Reaction.delete", via: "webhook", params: (w) => ({ ...bBot(w), messageId: w.bUserMessage, reaction: "like" }), expect: refused("BOT_NOT_FOUND") },
  { name: "reads B's message as B's bot", method: "imbot.v2.Chat.Message.get", via: "webhook", params: (w) => ({ ...bBot(w), messageId: w.bUserMessage }), expect: refused("BOT_NOT_FOUND") },
  { name: "reads around B's message as B's bot", method: "imbot.v2.Chat.Message.getContext", via: "webhook", params: (w) => ({ ...bBot(w), messageId: w.bUserMessage }), expect: refused("BOT_NOT_FOUND") },
  { name: "renames B's chat as B's bot", method: "imbot.v2.Chat.update", via: "webhook", params: (w) => ({ ...bBot(w), dialogId: w.bChat, fields: { title: "pwned" } }), expect: refused("BOT_NOT_FOUND") },
  { name: "leaves B's chat as B's bot", method: "imbot.v2.Chat.leave", via: "webhook", params: (w) => ({ ...bBot(w), dialogId: w.bChat }), expect: refused("BOT_NOT_FOUND") },
  { name: "hands B's chat over as B's bot", method: "imbot.v2.Chat.setOwner", via: "webhook", params: (w) => ({ ...bBot(w), dialogId: w.bChat, userId: 2 }), expect: refused("BOT_NOT_FOUND") },
  { name: "adds a manager to B's chat as B's bot", method: "imbot.v2.Chat.Manager.add", via: "webhook", params: (w) => ({ ...bBot(w), dialogId: w.bChat, userIds: [1] }), expect: refused("BOT_NOT_FOUND") },
  { name: "removes a manager of B's chat as B's bot", method: "imbot.v2.Chat.Manager.delete", via: "webhook", params: (w) => ({ ...bBot(w), dialogId: w.bChat, userIds: [1] }), expect: refused("BOT_NOT_FOUND") },
  { name: "shares a file in B's chat as B's bot", method: "imbot.v2.File.upload", via: "webhook", params: (w) => ({ ...bBot(w), dialogId: w.bChat, fields: { name: "a.txt", content: "aGVsbG8=" } }), expect: refused("BOT_NOT_FOUND") },
  { name: "shares a file in B's chat as A's own bot", method: "imbot.v2.File.upload", via: "webhook", params: (w) => ({ ...aBot, dialogId: w.bChat, fields: { name: "a.txt", content: "aGVsbG8=" } }), expect: refused("CHAT_NOT_FOUND") },
  { name: "asks for a file link as B's bot", method: "imbot.v2.File.download", via: "webhook", params: (w) => ({ ...bBot(w), fileId: 1 }), expect: refused("BOT_NOT_FOUND") },
  // Event.get
  { name: "reads B's bot's events", method: "imbot.v2.Event.get", via: "webhook", params: (w) => ({ ...bBot(w), offset: 1_000_000 }), expect: refused("BOT_NOT_FOUND") },
  { name: "reads B's OAuth bot's events", method: "imbot.v2.Event.get", via: "oauth", params: (w) => ({ botId: w.bOauthBot, offset: 1_000_000 }), expect: refused("BOT_NOT_FOUND") },
  {
    name: "confirms every event of bot 456 (A's own, B has one with the same id)",
    method: "imbot.v2.Event.get",
    via: "webhook",
    params: () => ({ ...aBot, offset: 1_000_000 }),
    expect: (result) => expect(JSON.stringify(result)).not.toContain("beta"),
  },
  // Revision.get: nothing of a portal in it, and nothing changes
  { name: "reads the revision", method: "imbot.v2.Revision.get", via: "oauth", params: () => ({}), expect: (result) => expect(result).toMatchObject({ rest: expect.any(Number) }) },
  // portal-wide methods: they describe the caller, who is A's user
  { name: "reads its profile", method: "profile", via: "webhook", params: () => ({}), expect: (result) => expect(result).toMatchObject({ ID: "1", NAME: "Anna" }) },
  { name: "reads its profile with A's token", method: "profile", via: "oauth", params: () => ({ botToken: B_TOKEN }), expect: (result) => expect(result).toMatchObject({ ID: "1", NAME: "Anna" }) },
  { name: "reads its scopes", method: "scope", via: "webhook", params: () => ({}), expect: (result) => expect(result).toEqual(["imbot", "im"]) },
  { name: "reads the server time", method: "server.time", via: "oauth", params: () => ({}), expect: (result) => expect(typeof result).toBe("string") },
  // imbot v1: B's bot, command, chat and messages, with B's CLIENT_ID or A's own bot 456
  {
    name: "registers B's v1 bot code with B's CLIENT_ID (gets a bot of A's own)",
    method: "imbot.register",
    via: "webhook",
    params: () => ({ CODE: "beta_bot", CLIENT_ID: B_TOKEN, EVENT_HANDLER: "http://127.0.0.1:9/h", PROPERTIES: { NAME: "Alpha copy" } }),
    expect: (result, w) => expect(w.app.store.state.portals[A]?.bots[result as number]?.code).toBe("beta_bot"),
  },
  { name: "updates B's bot through v1", method: "imbot.update", via: "webhook", params: (w) => ({ BOT_ID: w.bWebhookBot, CLIENT_ID: B_TOKEN, FIELDS: { CODE: "x" } }), expect: refused("BOT_ID_ERROR") },
  { name: "unregisters B's OAuth bot through v1", method: "imbot.unregister", via: "oauth", params: (w) => ({ BOT_ID: w.bOauthBot }), expect: refused("BOT_ID_ERROR") },
  {
    name: "lists the portal's bots through v1",
    method: "imbot.bot.list",
    via: "webhook",
    params: () => ({}),
    expect: (result, w) => {
      expect(Object.keys(result as object)).not.toContain(String(w.bWebhookBot));
      expect(Object.keys(result as object)).not.toContain(String(w.bOauthBot));
    },
  },
  { name: "posts as B's bot through v1", method: "imbot.message.add", via: "webhook", params: (w) => ({ BOT_ID: w.bWebhookBot, CLIENT_ID: B_TOKEN, DIALOG_ID: w.bChat, MESSAGE: "pwned" }), expect: refused("BOT_ID_ERROR") },
  { name: "posts into B's chat as A's bot through v1", method: "imbot.message.add", via: "oauth", params: (w) => ({ BOT_ID: 456, DIALOG_ID: w.bChat, MESSAGE: "pwned" }), expect: refused("WRONG_REQUEST") },
  { name: "edits B's bot message through v1", method: "imbot.message.update", via: "webhook", params: (w) => ({ BOT_ID: 456, CLIENT_ID: FIXTURE_TOKEN, MESSAGE_ID: w.bBotMessage, MESSAGE: "pwned" }), expect: refused("CANT_EDIT_MESSAGE", 403) },
  { name: "deletes B's bot message through v1", method: "imbot.message.delete", via: "oauth", params: (w) => ({ BOT_ID: 456, MESSAGE_ID: w.bBotMessage, COMPLETE: "Y" }), expect: refused("CANT_EDIT_MESSAGE", 403) },
  { name: "likes B's message as A's bot", method: "imbot.message.like", via: "webhook", params: (w) => ({ BOT_ID: 456, CLIENT_ID: FIXTURE_TOKEN, MESSAGE_ID: w.bUserMessage }), expect: refused("MESSAGE_ID_ERROR") },
  { name: "types in B's chat as B's bot", method: "imbot.chat.sendTyping", via: "webhook", params: (w) => ({ BOT_ID: w.bWebhookBot, CLIENT_ID: B_TOKEN, DIALOG_ID: w.bChat }), expect: refused("BOT_ID_ERROR") },
  {
    name: "registers a v1 command on B's bot",
    method: "imbot.command.register",
    via: "webhook",
    params: (w) => ({ BOT_ID: w.bWebhookBot, CLIENT_ID: B_TOKEN, COMMAND: "evil", EVENT_COMMAND_ADD: "http://127.0.0.1:9/h", LANG: [{ LANGUAGE_ID: "en", TITLE: "x" }] }),
    expect: refused("BOT_ID_ERROR"),
  },
  { name: "updates B's command through v1", method: "imbot.command.update", via: "webhook", params: (w) => ({ COMMAND_ID: w.bCommand, CLIENT_ID: B_TOKEN, FIELDS: { HIDDEN: "Y" } }), expect: refused("COMMAND_ID_ERROR") },
  { name: "unregisters B's command through v1", method: "imbot.command.unregister", via: "oauth", params: (w) => ({ COMMAND_ID: w.bCommand }), expect: refused("COMMAND_ID_ERROR") },
  { name: "answers B's command through v1", method: "imbot.command.answer", via: "webhook", params: (w) => ({ COMMAND_ID: w.bCommand, CLIENT_ID: B_TOKEN, MESSAGE_ID: w.bUserMessage, MESSAGE: "pwned" }), expect: refused("COMMAND_ID_ERROR") },
  { name: "creates a chat as B's bot through v1", method: "imbot.chat.add", via: "webhook", params: (w) => ({ BOT_ID: w.bWebhookBot, CLIENT_ID: B_TOKEN, USERS: [1] }), expect: refused("BOT_ID_ERROR") },
  { name: "finds chats by entity", method: "imbot.chat.get", via: "oauth", params: () => ({ ENTITY_TYPE: "CRM", ENTITY_ID: "1" }), expect: (result) => expect(result).toBeNull() },
  ...(
    [
      ["imbot.chat.leave", {}],
      ["imbot.chat.user.add", { USERS: [2] }],
      ["imbot.chat.user.delete", { USER_ID: 2 }],
      ["imbot.chat.user.list", {}],
      ["imbot.chat.setOwner", { USER_ID: 1 }],
      ["imbot.chat.setManager", { USER_ID: 1 }],
      ["imbot.chat.updateTitle", { TITLE: "pwned" }],
      ["imbot.chat.updateColor", { COLOR: "RED" }],
      ["imbot.chat.updateAvatar", { AVATAR: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==" }],
    ] as const
  ).map(([method, extra]) => ({
    name: "acts in B's chat as A's bot 456",
    method,
    via: "webhook" as const,
    params: (w: World) => ({ BOT_ID: 456, CLIENT_ID: FIXTURE_TOKEN, CHAT_ID: Number(w.bChat.slice(4)), ...extra }),
    expect: refused("ACCESS_ERROR", 403),
  })),
  { name: "reads B's chat as a dialog", method: "imbot.dialog.get", via: "webhook", params: (w) => ({ DIALOG_ID: w.bChat }), expect: refused("ACCESS_ERROR") },
  // the generic methods beside imbot: the caller is A's user, B's chats are not there
  { name: "reads the current user", method: "user.current", via: "oauth", params: () => ({}), expect: (result) => expect(result).toMatchObject({ ID: "1", NAME: "Anna" }) },
  { name: "lists the people", method: "user.get", via: "webhook", params: () => ({}), expect: (result) => expect(result).toContainEqual(expect.objectContaining({ ID: "1", NAME: "Anna" })) },
  { name: "lists its app's event bindings", method: "event.get", via: "oauth", params: () => ({}), expect: (result) => expect(result).toEqual([]) },
  { name: "reads its app's offline events", method: "event.offline.get", via: "oauth", params: () => ({}), expect: (result) => expect(result).toMatchObject({ events: [] }) },
  { name: "binds through a webhook", method: "event.bind", via: "webhook", params: () => ({ event: "ONIMBOTMESSAGEADD", handler: "http://127.0.0.1:9/h" }), expect: refused("WRONG_AUTH_TYPE", 403) },
  { name: "unbinds what it never bound", method: "event.unbind", via: "oauth", params: () => ({ event: "ONIMBOTMESSAGEADD" }), expect: (result) => expect(result).toEqual({ count: 0 }) },
  { name: "reads user 1", method: "im.user.get", via: "webhook", params: () => ({ ID: 1 }), expect: (result) => expect(result).toMatchObject({ id: 1, first_name: "Anna" }) },
  { name: "reads B's chat history", method: "im.dialog.messages.get", via: "webhook", params: (w) => ({ DIALOG_ID: w.bChat }), expect: refused("ACCESS_ERROR") },
  { name: "posts into B's chat as a person", method: "im.message.add", via: "oauth", params: (w) => ({ DIALOG_ID: w.bChat, MESSAGE: "pwned" }), expect: refused("ACCESS_ERROR") },
  { name: "edits B's user message as A's user", method: "im.message.update", via: "webhook", params: (w) => ({ MESSAGE_ID: w.bUserMessage, MESSAGE: "pwned" }), expect: refused("CANT_EDIT_MESSAGE", 403) },
  { name: "deletes B's user message as A's user", method: "im.message.delete", via: "oauth", params: (w) => ({ MESSAGE_ID: w.bUserMessage }), expect: refused("CANT_EDIT_MESSAGE", 403) },
  { name: "finds chats by entity through im", method: "im.chat.get", via: "webhook", params: () => ({ ENTITY_TYPE: "CRM", ENTITY_ID: "1" }), expect: (result) => expect(result).toBeNull() },
  // batch
  {
    name: "runs a batch of calls on B's ids",
    method: "batch",
    via: "webhook",
    params: (w) => ({
      halt: false,
      cmd: {
        bot: `imbot.v2.Bot.get?botId=${w.bWebhookBot}&botToken=${B_TOKEN}`,
        send: `imbot.v2.Chat.Message.send?botId=${w.bWebhookBot}&botToken=${B_TOKEN}&dialogId=${w.bChat}&fields[message]=pwned`,
        chat: `imbot.v2.Chat.get?botId=456&botToken=${FIXTURE_TOKEN}&dialogId=${w.bChat}`,
        answer: `imbot.v2.Command.answer?botId=456&botToken=${FIXTURE_TOKEN}&commandId=${w.bCommand}&messageId=${w.bUserMessage}&dialogId=${w.bChat}&fields[message]=pwned`,
        events: `imbot.v2.Event.get?botId=${w.bWebhookBot}&botToken=${B_TOKEN}&offset=1000000`,
        remove: `imbot.v2.Chat.Message.delete?botId=456&botToken=${FIXTURE_TOKEN}&messageId=${w.bBotMessage}&complete=Y`,
      },
    }),
    expect: (result) => {
      const batch = result as { result: unknown; result_error: Record<string, { error: string }> };
      expect(batch.result).toEqual([]);
      expect(Object.fromEntries(Object.entries(batch.result_error).map(([k, v]) => [k, v.error]))).toEqual({
        bot: "BOT_NOT_FOUND",
        send: "BOT_NOT_FOUND",
        chat: "CHAT_NOT_FOUND",
        answer: "COMMAND_NOT_FOUND",
        events: "BOT_NOT_FOUND",
        remove: "ACCESS_DENIED",
      });
    },
  },
  {
    name: "runs a batch with A's OAuth token on B's OAuth bot",
    method: "batch",
    via: "oauth",
    params: (w) => ({ cmd: [`imbot.v2.Bot.update?botId=${w.bOauthBot}&fields[properties][name]=pwned`, `imbot.v2.Command.list?botId=${w.bOauthBot}`] }),
    expect: (result) => {
      const errors = (result as { result_error: { error: string }[] }).result_error;
      expect(errors.map((e) => e.error)).toEqual(["BOT_NOT_FOUND", "BOT_NOT_FOUND"]);
    },
  },
];

describe("portal A's credentials never reach portal B over REST", () => {
  let w: World;
  beforeEach(async () => {
    w = await world();
  });

  it("tries every REST method the registry serves", () => {
    const tried = new Set(REST_ATTEMPTS.map((t) => t.method));
    expect([...createRegistry().names()].filter((name) => !tried.has(name))).toEqual([]);
  });

  it.each(REST_ATTEMPTS.map((t) => [`${t.method} (${t.via}): A ${t.name}`, t] as const))("%s", async (_title, attempt) => {
    const beforeB = portalOf(w, B);
    const journalB = journalOf(w, B).length;
    const journalA = journalOf(w, A).length;

    const reply = await call(w, w.a, attempt.via, attempt.method, attempt.params(w));

    if (typeof attempt.expect === "function") {
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
      attempt.expect(reply.body.result, w);
      expect(JSON.stringify(reply.body)).not.toContain(w.b.oauth);
      expect(JSON.stringify(reply.body)).not.toContain("Beatrix");
    } else {
      expect({ status: reply.status, error: reply.body.error }).toEqual({ status: attempt.expect.status, error: attempt.expect.error });
    }
    expect(portalOf(w, B)).toBe(beforeB);
    expect(journalOf(w, B)).toHaveLength(journalB);
    const mine = journalOf(w, A);
    expect(mine).toHaveLength(journalA + 1);
    expect(mine.at(-1)).toMatchObject({ method: attempt.method, status: reply.status });
  });

  it("the same bot id in both portals is two bots: A's 456 posts in A's chat 5 only", async () => {
    const beforeB = portalOf(w, B);
    const sent = ok<{ id: number }>(await call(w, w.a, "webhook", "imbot.v2.Chat.Message.send", { ...aBot, dialogId: "chat5", fields: { message: "alpha only" } }));
    expect(w.app.store.state.portals[A]?.messages[sent.id]?.text).toBe("alpha only");
    expect(portalOf(w, B)).toBe(beforeB);
    expect(JSON.stringify(w.app.portal(B).messages("chat5"))).not.toContain("alpha only");
  });

  it("A's bot token on B's bot id is refused even when A has a bot with that id", async () => {
    // A registers its own bot, which takes the same id as B's webhook bot; B's token does not own it.
    const own = ok<{ bot: { id: number } }>(
      await call(w, w.a, "webhook", "imbot.v2.Bot.register", { fields: { code: "alpha_bot", botToken: "alpha-token", properties: { name: "Alpha" } } }),
    );
    expect(own.bot.id).toBe(w.bWebhookBot);
    const beforeB = portalOf(w, B);
    const reply = await call(w, w.a, "webhook", "imbot.v2.Chat.Message.send", { ...bBot(w), dialogId: "chat5", fields: { message: "pwned" } });
    expect({ status: reply.status, error: reply.body.error }).toEqual({ status: 400, error: "BOT_OWNERSHIP_ERROR" });
    // And A's OAuth token does not own B's OAuth bot's id in A either (another app's client id).
    const oauth = await call(w, w.a, "oauth", "imbot.v2.Bot.update", { botId: w.bWebhookBot, fields: { properties: { name: "pwned" } } });
    expect({ status: oauth.status, error: oauth.body.error }).toEqual({ status: 400, error: "BOT_OWNERSHIP_ERROR" });
    expect(portalOf(w, B)).toBe(beforeB);
  });

  it("Event.get in A neither sees nor confirms B's events of the bot with the same id", async () => {
    await w.app.portal(A).userSays({ authorId: 1, dialogId: "chat5", text: "/help from alpha" });
    const bEvents = JSON.stringify(w.app.portal(B).events(456));
    const page = ok<{ events: { data: unknown }[]; nextOffset: number }>(await call(w, w.a, "webhook", "imbot.v2.Event.get", aBot));
    expect(page.events.length).toBeGreaterThan(0);
    expect(JSON.stringify(page.events)).toContain("/help from alpha");
    expect(JSON.stringify(page.events)).not.toContain("beta");
    ok(await call(w, w.a, "webhook", "imbot.v2.Event.get", { ...aBot, offset: page.nextOffset + 1_000 }));
    expect(w.app.portal(A).events(456)).toEqual([]);
    expect(JSON.stringify(w.app.portal(B).events(456))).toBe(bEvents);
  });

  it("A's webhook and OAuth token are not B's: B's own credentials still work after every attempt", async () => {
    for (const attempt of REST_ATTEMPTS) await call(w, w.a, attempt.via, attempt.method, attempt.params(w));
    const bot = ok<{ bot: { id: number; code: string } }>(await call(w, w.b, "webhook", "imbot.v2.Bot.get", bBot(w)));
    expect(bot.bot).toMatchObject({ id: w.bWebhookBot, code: "beta_bot" });
    const chat = w.app.portal(B).messages(w.bChat);
    expect(chat.map((m) => m.text)).toEqual(["beta secret", "/beta now"]);
    expect(JSON.stringify(journalOf(w, B))).not.toContain("alpha");
    // Every journal entry of B was made with B's credentials during setup: none of A's attempts.
    expect(journalOf(w, B).map((j) => j.method)).toEqual([
      "imbot.v2.Bot.register",
      "imbot.v2.Bot.register",
      "imbot.v2.Command.register",
      "imbot.v2.Chat.add",
      "imbot.v2.Chat.Message.send",
      "imbot.v2.Bot.get",
    ]);
  });

  it("guessing ids from A finds nothing of B: bots, commands, chats and messages by the dozen", async () => {
    const beforeB = portalOf(w, B);
    const replies: Reply[] = [];
    for (let id = 440; id <= 470; id++) {
      replies.push(await call(w, w.a, "webhook", "imbot.v2.Bot.get", { botId: id, botToken: B_TOKEN }));
      replies.push(await call(w, w.a, "oauth", "imbot.v2.Command.list", { botId: id }));
    }
    for (let id = 1; id <= 15; id++) {
      replies.push(await call(w, w.a, "webhook", "imbot.v2.Chat.get", { ...aBot, dialogId: `chat${id}` }));
      replies.push(await call(w, w.a, "webhook", "imbot.v2.Command.update", { ...aBot, commandId: 35 + id, fields: { title: { en: "guess" } } }));
    }
    for (let id = 785; id <= 810; id++) {
      replies.push(await call(w, w.a, "webhook", "imbot.v2.Chat.Message.update", { ...aBot, messageId: id, fields: { message: "guess" } }));
    }
    for (const reply of replies) {
      const text = JSON.stringify(reply.body);
      expect(text).not.toMatch(/beta/i);
      expect(reply.status === 200 || (reply.status === 400 && typeof reply.body.error === "string")).toBe(true);
    }
    expect(replies.filter((r) => r.status === 400).length).toBeGreaterThan(60);
    expect(portalOf(w, B)).toBe(beforeB);
    expect(journalOf(w, A)).toHaveLength(replies.length);
  });

  it("A's webhook code under another user id, glued to B's code, or cut short is refused", async () => {
    const bCode = w.b.hook.split("/")[3];
    const aCode = w.a.hook.split("/")[3];
    for (const url of [`/rest/2/${aCode}/imbot.v2.Bot.list`, `/rest/1/${aCode}${bCode}/imbot.v2.Bot.list`, `/rest/1/${aCode?.slice(0, -1)}/imbot.v2.Bot.list`]) {
      const reply = await w.client.post(url, { botToken: B_TOKEN });
      expect({ status: reply.status, error: reply.body.error }).toEqual({ status: 401, error: "NO_AUTH_FOUND" });
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Control API: every endpoint of A's portal, with B's ids

interface ControlAttempt {
  route: string;
  name: string;
  send: (w: World) => [method: "GET" | "POST" | "DELETE", url: string, body?: unknown];
  expect: { error: string; status: number } | ((reply: Reply, w: World) => void);
}

const CONTROL_ATTEMPTS: ControlAttempt[] = [
  { route: "GET /health", name: "reads the health", send: () => ["GET", "/_emulator/health"], expect: (r) => expect(r.status).toBe(200) },
  {
    route: "GET /portals",
    name: "lists portals (admin view: both, each with its own credentials)",
    send: () => ["GET", "/_emulator/portals"],
    expect: (r, w) => {
      const portals = (r.body as { portals: { id: string; accessToken: string }[] }).portals;
      expect(portals.find((p) => p.id === A)?.accessToken).toBe(w.a.oauth);
      expect(portals.find((p) => p.id === B)?.accessToken).toBe(w.b.oauth);
    },
  },
  { route: "POST /portals", name: "creates a portal with B's id", send: () => ["POST", "/_emulator/portals", { id: B }], expect: refused("PORTAL_ALREADY_EXISTS", 409) },
  {
    route: "GET /portals/:id",
    name: "reads A's info: none of B's credentials or bots in it",
    send: () => ["GET", `/_emulator/portals/${A}`],
    expect: (r, w) => {
      const text = JSON.stringify(r.body);
      expect(text).not.toContain(w.b.oauth);
      expect(text).not.toContain(w.b.hook.split("/")[3]);
      expect(text).not.toContain("beta_bot");
    },
  },
  { route: "DELETE /portals/:id", name: "deletes A", send: () => ["DELETE", `/_emulator/portals/${A}`], expect: (r) => expect(r.body).toEqual({ deleted: true }) },
  { route: "POST /portals/:id/reset", name: "resets A", send: () => ["POST", `/_emulator/portals/${A}/reset`], expect: (r) => expect(r.status).toBe(200) },
  {
    route: "POST /portals/:id/apps",
    name: "installs B's app (its client id) in A",
    send: (w) => ["POST", `/_emulator/portals/${A}/apps`, { clientId: w.app.store.state.portals[B]!.apps[0]!.clientId, installHandler: "http://127.0.0.1:9/install" }],
    expect: refused("CONTROL_ARGUMENT", 400),
  },
  {
    route: "POST /portals/:id/apps/:clientId/update",
    name: "updates B's app through A",
    send: (w) => ["POST", `/_emulator/portals/${A}/apps/${encodeURIComponent(w.app.store.state.portals[B]!.apps[0]!.clientId)}/update`, { version: 2 }],
    expect: refused("CONTROL_NOT_FOUND", 404),
  },
  {
    route: "DELETE /portals/:id/apps/:clientId",
    name: "uninstalls B's app through A",
    send: (w) => ["DELETE", `/_emulator/portals/${A}/apps/${encodeURIComponent(w.app.store.state.portals[B]!.apps[0]!.clientId)}`],
    expect: refused("CONTROL_NOT_FOUND", 404),
  },
  { route: "POST /portals/:id/users", name: "adds a user to A", send: () => ["POST", `/_emulator/portals/${A}/users`, { firstName: "Alpha" }], expect: (r) => expect(r.status).toBe(201) },
  {
    route: "POST /portals/:id/chats",
    name: "creates a chat in A with B's bot as a member",
    send: (w) => ["POST", `/_emulator/portals/${A}/chats`, { ownerId: 1, members: [w.bWebhookBot] }],
    expect: refused("CONTROL_NOT_FOUND", 404),
  },
  {
    route: "POST /portals/:id/chats/:dialogId/members",
    name: "adds a member to B's chat id in A",
    send: (w) => ["POST", `/_emulator/portals/${A}/chats/${w.bChat}/members`, { userIds: [2] }],
    expect: refused("CONTROL_NOT_FOUND", 404),
  },
  {
    route: "DELETE /portals/:id/chats/:dialogId/members/:userId",
    name: "removes a member of B's chat id in A",
    send: (w) => ["DELETE", `/_emulator/portals/${A}/chats/${w.bChat}/members/2`],
    expect: refused("CONTROL_NOT_FOUND", 404),
  },
  {
    route: "GET /portals/:id/input-actions",
    name: "lists A's typing indicators: none of B's bots in them",
    send: () => ["GET", `/_emulator/portals/${A}/input-actions`],
    expect: (r) => {
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ inputActions: [] });
    },
  },
  ...(["users", "bots", "chats"] as const).map(
    (what): ControlAttempt => ({
      route: `GET /portals/:id/${what}`,
      name: `lists A's ${what}: nothing of B's in them`,
      send: () => ["GET", `/_emulator/portals/${A}/${what}`],
      expect: (r) => {
        expect(r.status).toBe(200);
        expect(JSON.stringify(r.body)).not.toMatch(/beta/i);
      },
    }),
  ),
  {
    route: "GET /portals/:id/stream",
    name: "streams a portal that is not there (B's stream is only under B's id)",
    send: () => ["GET", `/_emulator/portals/no-such-portal/stream`],
    expect: refused("PORTAL_NOT_FOUND", 404),
  },
  {
    route: "GET /portals/:id/chats/:dialogId/messages",
    name: "reads B's chat id in A",
    send: (w) => ["GET", `/_emulator/portals/${A}/chats/${w.bChat}/messages`],
    expect: refused("CONTROL_NOT_FOUND", 404),
  },
  {
    route: "POST /portals/:id/messages",
    name: "says something in B's chat id in A",
    send: (w) => ["POST", `/_emulator/portals/${A}/messages`, { authorId: 1, dialogId: w.bChat, text: "/beta" }],
    expect: refused("CONTROL_NOT_FOUND", 404),
  },
  {
    route: "POST /portals/:id/messages",
    name: "writes to B's bot (by its user id) in A",
    send: (w) => ["POST", `/_emulator/portals/${A}/messages`, { authorId: 1, dialogId: String(w.bWebhookBot), text: "hi" }],
    expect: refused("CONTROL_NOT_FOUND", 404),
  },
  {
    route: "GET /portals/:id/files/:fileId",
    name: "reads a file B holds through A",
    send: (w) => ["GET", `/_emulator/portals/${A}/files/${w.bFile}`],
    expect: refused("CONTROL_NOT_FOUND", 404),
  },
  {
    route: "POST /portals/:id/files",
    name: "sends a file to B's chat id in A",
    send: (w) => ["POST", `/_emulator/portals/${A}/files`, { userId: 1, dialogId: w.bChat, name: "a.txt", contentBase64: "aGk=" }],
    expect: refused("CONTROL_NOT_FOUND", 404),
  },
  {
    route: "POST /portals/:id/files",
    name: "sends a file to B's bot (by its user id) in A",
    send: (w) => ["POST", `/_emulator/portals/${A}/files`, { userId: 1, dialogId: String(w.bWebhookBot), name: "a.txt", contentBase64: "aGk=" }],
    expect: refused("CONTROL_NOT_FOUND", 404),
  },
  {
    route: "POST /portals/:id/buttons",
    name: "presses a button of B's message in A",
    send: (w) => ["POST", `/_emulator/portals/${A}/buttons`, { userId: 1, messageId: w.bBotMessage, command: "beta" }],
    expect: refused("CONTROL_NOT_FOUND", 404),
  },
  {
    route: "POST /portals/:id/messages/:messageId/edit",
    name: "edits B's message in A",
    send: (w) => ["POST", `/_emulator/portals/${A}/messages/${w.bUserMessage}/edit`, { userId: 1, text: "pwned" }],
    expect: refused("CONTROL_NOT_FOUND", 404),
  },
  {
    route: "POST /portals/:id/messages/:messageId/delete",
    name: "deletes B's message in A",
    send: (w) => ["POST", `/_emulator/portals/${A}/messages/${w.bUserMessage}/delete`, { userId: 1 }],
    expect: refused("CONTROL_NOT_FOUND", 404),
  },
  {
    route: "POST /portals/:id/reactions",
    name: "reacts to B's bot message in A",
    send: (w) => ["POST", `/_emulator/portals/${A}/reactions`, { userId: 1, messageId: w.bBotMessage, reaction: "like" }],
    expect: refused("CONTROL_NOT_FOUND", 404),
  },
  {
    route: "POST /portals/:id/context",
    name: "sends a context to B's chat id in A",
    send: (w) => ["POST", `/_emulator/portals/${A}/context`, { userId: 1, dialogId: w.bChat, context: { x: 1 } }],
    expect: refused("CONTROL_NOT_FOUND", 404),
  },
  {
    route: "POST /portals/:id/dialogs",
    name: "opens a dialog with B's bot in A",
    send: (w) => ["POST", `/_emulator/portals/${A}/dialogs`, { userId: 1, botId: w.bWebhookBot }],
    expect: refused("CONTROL_NOT_FOUND", 404),
  },
  {
    route: "POST /portals/:id/chats/:dialogId/read",
    name: "reads B's chat id in A",
    send: (w) => ["POST", `/_emulator/portals/${A}/chats/${w.bChat}/read`, { userId: 1 }],
    expect: refused("CONTROL_NOT_FOUND", 404),
  },
  {
    route: "GET /portals/:id/journal",
    name: "reads A's journal: none of B's calls",
    send: () => ["GET", `/_emulator/portals/${A}/journal`],
    expect: (r) => expect((r.body as { calls: unknown[] }).calls).toEqual([]),
  },
  { route: "GET /portals/:id/deliveries", name: "reads A's deliveries", send: () => ["GET", `/_emulator/portals/${A}/deliveries`], expect: (r) => expect(r.body).toEqual({ deliveries: [] }) },
  {
    route: "GET /portals/:id/events",
    name: "reads A's events of B's bot id",
    send: (w) => ["GET", `/_emulator/portals/${A}/events?botId=${w.bWebhookBot}`],
    expect: (r) => expect(r.body).toEqual({ events: [] }),
  },
  {
    route: "GET /portals/:id/events",
    name: "reads A's events of bot 456 (B has some, A none)",
    send: () => ["GET", `/_emulator/portals/${A}/events?botId=456`],
    expect: (r) => expect(r.body).toEqual({ events: [] }),
  },
  {
    route: "GET /portals/:id/wait",
    name: "waits in A for a message of B's chat",
    send: (w) => ["GET", `/_emulator/portals/${A}/wait?for=message&dialogId=${w.bChat}&timeout=30`],
    expect: refused("WAIT_TIMEOUT", 408),
  },
  {
    route: "GET /portals/:id/wait",
    name: "waits in A for a REST call only B made",
    send: () => ["GET", `/_emulator/portals/${A}/wait?for=call&method=imbot.v2.Chat.add&timeout=30`],
    expect: refused("WAIT_TIMEOUT", 408),
  },
  {
    route: "GET /portals/:id/conformance",
    name: "reads A's conformance report: none of B's calls",
    send: () => ["GET", `/_emulator/portals/${A}/conformance`],
    expect: (r) => expect(r.body).toEqual({ calls: 0, rules: [] }),
  },
  {
    route: "POST /portals/:id/faults",
    name: "makes every call of A fail (B's calls still succeed)",
    send: () => ["POST", `/_emulator/portals/${A}/faults`, { method: "*", error: "QUERY_LIMIT_EXCEEDED" }],
    expect: (r) => expect(r.status).toBe(201),
  },
  { route: "GET /portals/:id/faults", name: "lists A's fault rules", send: () => ["GET", `/_emulator/portals/${A}/faults`], expect: (r) => expect(r.body).toEqual({ rules: [] }) },
  { route: "DELETE /portals/:id/faults", name: "clears A's fault rules", send: () => ["DELETE", `/_emulator/portals/${A}/faults`], expect: (r) => expect(r.body).toEqual({ deleted: 0 }) },
  { route: "GET /clock", name: "reads the clock", send: () => ["GET", "/_emulator/clock"], expect: (r) => expect(r.status).toBe(200) },
  { route: "POST /clock", name: "moves the clock (emulator-wide; stored data of B unchanged)", send: () => ["POST", "/_emulator/clock", { advanceSeconds: 60 }], expect: (r) => expect(r.status).toBe(200) },
  {
    route: "POST /portals/:id/clock",
    name: "moves A's clock (B's stays where it was)",
    send: () => ["POST", `/_emulator/portals/${A}/clock`, { advanceSeconds: 3600 }],
    expect: (r) => expect(r.body).toMatchObject({ offsetSeconds: 3600 }),
  },
  { route: "GET /portals/:id/clock", name: "reads A's clock", send: () => ["GET", `/_emulator/portals/${A}/clock`], expect: (r) => expect(r.body).toMatchObject({ offsetSeconds: 0 }) },
];

describe("portal A's control endpoints never reach portal B", () => {
  let w: World;
  beforeEach(async () => {
    w = await world();
  });

  it("tries every control endpoint the router serves", () => {
    const tried = new Set(CONTROL_ATTEMPTS.map((t) => t.route));
    const all = controlRoutes(w.app).map((r) => `${r.method} ${r.path}`);
    expect(all.filter((route) => !tried.has(route))).toEqual([]);
  });

  it.each(CONTROL_ATTEMPTS.map((t) => [`${t.route}: A ${t.name}`, t] as const))("%s", async (_title, attempt) => {
    const beforeB = portalOf(w, B);
    const journalB = JSON.stringify(journalOf(w, B));
    const [method, url, body] = attempt.send(w);

    const reply = await w.client.call(method, url, body);

    if (typeof attempt.expect === "function") attempt.expect(reply, w);
    else expect({ status: reply.status, error: reply.body.error }).toEqual({ status: attempt.expect.status, error: attempt.expect.error });
    expect(portalOf(w, B)).toBe(beforeB);
    expect(JSON.stringify(journalOf(w, B))).toBe(journalB);
    // B still answers its own credentials.
    ok(await call(w, w.b, "webhook", "imbot.v2.Bot.get", bBot(w)));
  });
});
