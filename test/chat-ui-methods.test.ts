import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createEmulator, type EmulatorApp, type RunningEmulator } from "../src/index.js";
import type { Portal } from "../src/store/state.js";
import { testFixture } from "./support/fixtures.js";
import { expectRefusal, restClient } from "./support/rest-client.js";
import { startWithWebhookBots } from "./support/webhook-bot.js";

/** The imbot.v2 methods added from spec v2-complete.md §2, through the REST surface. */

const HOOK = "/rest/1/emulator/";
const OAUTH = "/rest/";
const asBot = (params: Record<string, unknown>) => ({ botId: 456, botToken: "my_bot_token", ...params });

let app: EmulatorApp;
let client: ReturnType<typeof restClient>;
let portal: Portal;

function start(fixture = testFixture()) {
  app = createEmulator({ fixture });
  client = restClient(app);
  portal = app.store.state.portals.default!;
}
beforeEach(() => start());

async function ok(method: string, params: Record<string, unknown>): Promise<unknown> {
  const reply = await client.post(HOOK + method, asBot(params));
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply.body.result;
}
const refused = (method: string, params: Record<string, unknown>, code: string, status = 400) =>
  expectRefusal(app, HOOK + method, asBot(params), code, status);

describe("chat lookup shared by the new methods", () => {
  const METHOD = "imbot.v2.Chat.InputAction.notify";
  it('no dialogId nor chatId is the binder error "100" naming chat', async () => {
    const reply = await refused(METHOD, {}, "100");
    expect(reply.body.error_description).toBe("Could not find value for parameter {chat}");
  });
  it("an unknown chat is CHAT_NOT_FOUND; a chat the bot is not in ACCESS_DENIED", async () => {
    await refused(METHOD, { dialogId: "chat999" }, "CHAT_NOT_FOUND");
    await refused(METHOD, { dialogId: "2" }, "CHAT_NOT_FOUND"); // the bot has no 1:1 with user 2
    await refused(METHOD, { dialogId: "nonsense" }, "CHAT_NOT_FOUND");
    await refused(METHOD, { dialogId: "chat6" }, "ACCESS_DENIED");
  });
  it("accepts CHAT5 in any case, a 1:1 by the user's id, and chatId instead of dialogId", async () => {
    expect(await ok(METHOD, { dialogId: "CHAT5" })).toEqual({ result: true });
    expect(await ok(METHOD, { dialogId: "1" })).toEqual({ result: true });
    expect(await ok(METHOD, { chatId: 5 })).toEqual({ result: true });
  });
  it("runs the bot checks first, and works under OAuth", async () => {
    await expectRefusal(app, HOOK + METHOD, { botId: 456, dialogId: "chat5" }, "BOT_TOKEN_NOT_SPECIFIED", 400);
    await refused(METHOD, { botId: 999, dialogId: "chat5" }, "BOT_NOT_FOUND");
    const reply = await client.post(OAUTH + METHOD, { auth: "emulator-token", botId: 456, dialogId: "chat5" });
    expect(reply.status).toBe(200);
  });
});

describe("the binder runs before the chat and message lookups (server prefilters bind every argument first)", () => {
  it("Chat.setOwner: a missing or junk userId is \"100\" even for an unknown chat", async () => {
    const before = JSON.stringify(portal);
    const missing = await refused("imbot.v2.Chat.setOwner", { dialogId: "chat999" }, "100");
    expect(missing.body.error_description).toBe("Could not find value for parameter {userId}");
    const junk = await refused("imbot.v2.Chat.setOwner", { dialogId: "chat999", userId: "abc" }, "100");
    expect(junk.body.error_description).toBe("Invalid value {abc} to match with parameter {userId}. Should be value of type int.");
    expect(JSON.stringify(portal)).toBe(before);
  });
  it("Chat.InputAction.notify: a duration that is not an integer is \"100\", before CHAT_NOT_FOUND", async () => {
    const reply = await refused("imbot.v2.Chat.InputAction.notify", { dialogId: "chat999", duration: "soon" }, "100");
    expect(reply.body.error_description).toContain("{duration}");
    expect(portal.inputActions ?? []).toEqual([]);
  });
  it("Chat.Message.getContext: a junk range is \"100\" before BOT_TYPE_NOT_ALLOWED and MESSAGE_NOT_FOUND", async () => {
    await refused("imbot.v2.Chat.Message.getContext", { messageId: 789, range: "all" }, "100");
    await refused("imbot.v2.Chat.Message.getContext", { messageId: 99999, range: "all" }, "100");
  });
  it("Reaction.add: a missing reaction is \"100\" before MESSAGE_NOT_FOUND", async () => {
    const reply = await refused("imbot.v2.Chat.Message.Reaction.add", { messageId: 99999 }, "100");
    expect(reply.body.error_description).toBe("Could not find value for parameter {reaction}");
  });
  it("File.upload: absent fields are \"100\" naming fields, text is \"100\" invalid array, both before CHAT_NOT_FOUND", async () => {
    const absent = await refused("imbot.v2.File.upload", { dialogId: "chat999" }, "100");
    expect(absent.body.error_description).toBe("Could not find value for parameter {fields}");
    const text = await refused("imbot.v2.File.upload", { dialogId: "chat999", fields: "report" }, "100");
    expect(text.body.error_description).toBe("Invalid value {report} to match with parameter {fields}. Should be value of type array.");
  });
  it("a blank dialogId is a chat that is not found; with a chatId beside it the chatId names the chat", async () => {
    await refused("imbot.v2.Chat.InputAction.notify", { dialogId: "" }, "CHAT_NOT_FOUND");
    expect(await ok("imbot.v2.Chat.InputAction.notify", { dialogId: "", chatId: 5 })).toEqual({ result: true });
  });
});

describe("imbot.v2.Chat.InputAction.notify", () => {
  it("keeps the latest status per bot and chat, duration clamped into 1..600 s; nothing posted, no event", async () => {
    const before = Object.keys(portal.messages).length;
    await ok("imbot.v2.Chat.InputAction.notify", { dialogId: "chat5", statusMessageCode: "IMBOT_AGENT_ACTION_THINKING", duration: 5000 });
    expect(portal.inputActions).toEqual([{ botId: 456, chatId: 5, code: "IMBOT_AGENT_ACTION_THINKING", until: expect.any(String) }]);
    const until = Date.parse(portal.inputActions![0]!.until);
    expect(until - Date.now()).toBeLessThanOrEqual(600_000);
    expect(until - Date.now()).toBeGreaterThan(590_000);
    await ok("imbot.v2.Chat.InputAction.notify", { dialogId: "chat5", statusMessageCode: "dancing" });
    expect(portal.inputActions).toEqual([{ botId: 456, chatId: 5, code: "", until: expect.any(String) }]);
    expect(Object.keys(portal.messages)).toHaveLength(before);
    expect(portal.events).toEqual([]);
  });
});

describe("imbot.v2.Chat.TextField.enabled", () => {
  it("switches the field; Chat.get shows it; a person cannot type while it is off", async () => {
    expect(await ok("imbot.v2.Chat.TextField.enabled", { dialogId: "chat5", enabled: "N" })).toEqual({ result: true });
    const chat = (await ok("imbot.v2.Chat.get", { dialogId: "chat5" })) as { chat: { textFieldEnabled: unknown } };
    expect(chat.chat.textFieldEnabled).toBe("N");
    const typed = await client.call("POST", "/_emulator/portals/default/messages", { authorId: 1, dialogId: "chat5", text: "hello" });
    expect([typed.status, typed.body.error]).toEqual([400, "TEXT_FIELD_DISABLED"]);
    // Bots still post.
    await ok("imbot.v2.Chat.Message.send", { dialogId: "chat5", fields: { message: "pick a button" } });
    await ok("imbot.v2.Chat.TextField.enabled", { dialogId: "chat5" });
    expect(portal.chats[5]!.textFieldEnabled).toBe(true);
    const again = await client.call("POST", "/_emulator/portals/default/messages", { authorId: 1, dialogId: "chat5", text: "hello" });
    expect(again.status).toBe(201);
  });
});

describe("imbot.v2.Chat.Message.read", () => {
  it("reads up to a message, answering the last read id, what is left unread and what it newly read", async () => {
    const a = (await app.portal().userSays({ authorId: 1, dialogId: "chat5", text: "one" })).message.id;
    const b = (await app.portal().userSays({ authorId: 1, dialogId: "chat5", text: "two" })).message.id;
    const first = (await ok("imbot.v2.Chat.Message.read", { dialogId: "chat5", messageId: a })) as Record<string, unknown>;
    expect(first).toEqual({ chatId: 5, lastId: a, counter: 1, viewedMessages: [789, 793, 794, a] });
    expect(portal.messages[a]!.viewedByOthers).toBe(true);
    expect(portal.messages[b]!.viewedByOthers).toBeUndefined();
    const rest = await ok("imbot.v2.Chat.Message.read", { dialogId: "chat5" });
    expect(rest).toEqual({ chatId: 5, lastId: b, counter: 0, viewedMessages: [b] });
    expect(await ok("imbot.v2.Chat.Message.read", { dialogId: "chat5" })).toEqual({ chatId: 5, lastId: b, counter: 0, viewedMessages: [] });
    const chat = (await ok("imbot.v2.Chat.get", { dialogId: "chat5" })) as { chat: { lastId: number } };
    expect(chat.chat.lastId).toBe(b);
  });
  it("MESSAGE_NOT_FOUND for an unknown message, ACCESS_DENIED for one of another chat", async () => {
    await refused("imbot.v2.Chat.Message.read", { dialogId: "chat5", messageId: 99999 }, "MESSAGE_NOT_FOUND");
    await refused("imbot.v2.Chat.Message.read", { dialogId: "chat5", messageId: 791 }, "ACCESS_DENIED");
  });

  it("a messageId that is not an integer falls back to no message, as the portal's binder does: the whole chat is read", async () => {
    const reply = await client.post(HOOK + "imbot.v2.Chat.Message.read", asBot({ dialogId: "chat5", messageId: "x" }));
    expect(reply.status).toBe(200);
    expect((reply.body.result as { lastId: number }).lastId).toBe(portal.chats[5]!.lastMessageId);
  });
});

describe("imbot.v2.Chat.Message.Reaction.add / delete", () => {
  const ADD = "imbot.v2.Chat.Message.Reaction.add";
  const DELETE = "imbot.v2.Chat.Message.Reaction.delete";
  it("sets and removes a reaction; several codes coexist", async () => {
    expect(await ok(ADD, { messageId: 789, reaction: "like" })).toEqual({ result: true });
    await ok(ADD, { messageId: 789, reaction: "fire" });
    expect(portal.messages[789]!.reactions).toEqual({ like: [456], fire: [456] });
    expect(await ok(DELETE, { messageId: 789, reaction: "like" })).toEqual({ result: true });
    expect(portal.messages[789]!.reactions).toEqual({ fire: [456] });
  });
  it("refusals: unknown code, already set, not set, unknown message, a chat the bot is not in, binder", async () => {
    await refused(ADD, { messageId: 789, reaction: "smile" }, "REACTION_NOT_FOUND");
    await ok(ADD, { messageId: 789, reaction: "like" });
    await refused(ADD, { messageId: 789, reaction: "like" }, "REACTION_ALREADY_SET");
    await refused(DELETE, { messageId: 789, reaction: "fire" }, "REACTION_NOT_FOUND");
    await refused(ADD, { messageId: 99999, reaction: "like" }, "MESSAGE_NOT_FOUND");
    await refused(ADD, { messageId: 790, reaction: "like" }, "ACCESS_DENIED");
    expect((await refused(ADD, { reaction: "like" }, "100")).body.error_description).toBe("Could not find value for parameter {message}");
    expect((await refused(ADD, { messageId: 789 }, "100")).body.error_description).toBe("Could not find value for parameter {reaction}");
  });
  it("a person's message raises no event; the bot's own message raises REACTIONCHANGE to it (fetch, Event.get)", async () => {
    await ok(ADD, { messageId: 789, reaction: "like" });
    expect(portal.events).toEqual([]);
    const { id } = (await ok("imbot.v2.Chat.Message.send", { dialogId: "chat5", fields: { message: "rate me" } })) as { id: number };
    await ok(ADD, { messageId: id, reaction: "whiteHeavyCheckMark" });
    await ok(DELETE, { messageId: id, reaction: "whiteHeavyCheckMark" });
    const page = (await ok("imbot.v2.Event.get", {})) as { events: { type: string; data: Record<string, unknown> }[] };
    expect(page.events.map((e) => [e.type, e.data.action, e.data.reaction])).toEqual([
      ["ONIMBOTV2REACTIONCHANGE", "add", "whiteHeavyCheckMark"],
      ["ONIMBOTV2REACTIONCHANGE", "delete", "whiteHeavyCheckMark"],
    ]);
    expect(page.events[0]!.data).toMatchObject({ message: { id, authorId: 456 }, chat: { id: 5, dialogId: "chat5" }, user: { id: 456 }, language: "en" });
  });
  it("no event when the author bot has reactions switched off", async () => {
    const fixture = testFixture();
    fixture.bots = fixture.bots!.map((b) => (b.id === 456 ? { ...b, isReactionsEnabled: false } : b));
    start(fixture);
    const { id } = (await ok("imbot.v2.Chat.Message.send", { dialogId: "chat5", fields: { message: "rate me" } })) as { id: number };
    await ok(ADD, { messageId: id, reaction: "like" });
    expect(portal.events).toEqual([]);
  });
});

describe("REACTIONCHANGE in webhook mode", () => {
  let emulator: RunningEmulator;
  let close: () => Promise<void>;
  beforeAll(async () => ({ emulator, close } = await startWithWebhookBots()));
  afterAll(async () => close());
  it("is posted to the author bot's handler with reaction, action, message, chat and user", async () => {
    const { control, webhooks, bots } = await emulator.createPortal();
    const base = webhooks[0]!.url;
    const call = async (method: string, params: Record<string, unknown>) => {
      const res = await fetch(base + method, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ botId: 456, botToken: bots[0]!.botToken, ...params }) });
      return (await res.json()) as { result: { id: number } };
    };
    const sent = await call("imbot.v2.Chat.Message.send", { dialogId: "chat5", fields: { message: "rate me" } });
    await call("imbot.v2.Chat.Message.Reaction.add", { messageId: sent.result.id, reaction: "like" });
    const delivery = await control.waitFor({ for: "delivery", event: "ONIMBOTV2REACTIONCHANGE", timeout: 5000 });
    expect((delivery as { payload: Record<string, string> }).payload).toMatchObject({
      event: "ONIMBOTV2REACTIONCHANGE",
      "data[reaction]": "like",
      "data[action]": "add",
      "data[message][id]": String(sent.result.id),
      "data[chat][dialogId]": "chat5",
      "data[user][id]": "456",
    });
  });
});

describe("imbot.v2.Chat.Message.get / getContext", () => {
  function supervisor() {
    const fixture = testFixture();
    fixture.bots = fixture.bots!.map((b) => (b.id === 456 ? { ...b, type: "supervisor" as const } : b));
    start(fixture);
  }
  it("BOT_TYPE_NOT_ALLOWED for a plain bot, after the message checks", async () => {
    await refused("imbot.v2.Chat.Message.get", { messageId: 99999 }, "MESSAGE_NOT_FOUND");
    await refused("imbot.v2.Chat.Message.get", { messageId: 789 }, "BOT_TYPE_NOT_ALLOWED");
    await refused("imbot.v2.Chat.Message.getContext", { messageId: 789 }, "BOT_TYPE_NOT_ALLOWED");
  });
  it("get: the message and its author", async () => {
    supervisor();
    const result = (await ok("imbot.v2.Chat.Message.get", { messageId: 789 })) as { message: Record<string, unknown>; user: Record<string, unknown> };
    expect(result.message).toMatchObject({ id: 789, chatId: 5, authorId: 1, text: "/help", isSystem: false });
    expect(result.message).not.toHaveProperty("unread");
    expect(result.user).toMatchObject({ id: 1 });
  });
  it("getContext: range before and after, oldest first, with paging flags", async () => {
    supervisor();
    const ids: number[] = [];
    for (const text of ["a", "b", "c", "d"]) ids.push((await app.portal().userSays({ authorId: 1, dialogId: "chat5", text })).message.id);
    const around = (await ok("imbot.v2.Chat.Message.getContext", { messageId: ids[1], range: 1 })) as {
      messages: { id: number }[];
      users: { id: number }[];
      hasPrevPage: boolean;
      hasNextPage: boolean;
    };
    expect(around.messages.map((m) => m.id)).toEqual([ids[0], ids[1], ids[2]]);
    expect(around.users.map((u) => u.id)).toEqual([1]);
    expect([around.hasPrevPage, around.hasNextPage]).toEqual([true, true]);
    const last = (await ok("imbot.v2.Chat.Message.getContext", { messageId: ids[3] })) as { messages: { id: number }[]; hasNextPage: boolean; hasPrevPage: boolean };
    expect(last.messages.at(-1)!.id).toBe(ids[3]);
    expect([last.hasPrevPage, last.hasNextPage]).toEqual([false, false]);
  });
});
