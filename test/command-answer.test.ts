import { beforeEach, describe, expect, it } from "vitest";
import { createEmulator, type EmulatorApp } from "../src/index.js";
import { testFixture } from "./support/fixtures.js";
import { expectRefusal, lastMessageIn, messagesIn, restClient } from "./support/rest-client.js";

const WEBHOOK = "/rest/1/emulator/imbot.v2.Command.answer";
const OAUTH = "/rest/imbot.v2.Command.answer";

/** The doc example, webhook form. */
const answer = (overrides: Record<string, unknown> = {}) => ({
  botId: 456,
  botToken: "my_bot_token",
  commandId: 42,
  messageId: 789,
  dialogId: "chat5",
  fields: { message: "Here is the help text..." },
  ...overrides,
});

let app: EmulatorApp;
let client: ReturnType<typeof restClient>;

beforeEach(() => {
  app = createEmulator({ fixture: testFixture() });
  client = restClient(app);
});

function expectRefused(url: string, params: Record<string, unknown>, code: string, status: number) {
  return expectRefusal(app, url, params, code, status);
}

describe("a bot answers a slash command", () => {
  it("posts the answer in the command's chat as the bot (webhook auth, JSON)", async () => {
    const reply = await client.post(WEBHOOK, answer({ fields: { message: "Try /start" } }));
    expect(reply.status).toBe(200);
    expect(reply.body.result).toEqual({ result: true });
    const stored = lastMessageIn(app, 5);
    expect(stored).toMatchObject({ chatId: 5, authorId: 456, isSystem: false, text: "Try /start", urlPreview: true });
  });

  it("accepts the OAuth form with the app's token and no botToken", async () => {
    const { botToken: _, ...params } = answer({ fields: { message: "via oauth" } });
    const reply = await client.post(OAUTH, { ...params, auth: "emulator-token" });
    expect(reply.status).toBe(200);
    expect(lastMessageIn(app, 5)).toMatchObject({ authorId: 456, text: "via oauth" });
  });

  it("ignores botToken under OAuth: ownership is the app's", async () => {
    const reply = await client.post(OAUTH, { ...answer({ botToken: "nonsense" }), auth: "emulator-token" });
    expect(reply.status).toBe(200);
  });

  it("accepts a PHP-style form body with every scalar a string", async () => {
    const reply = await client.post(WEBHOOK, answer({ fields: { message: "from a form", urlPreview: "N" } }), "form");
    expect(reply.status).toBe(200);
    expect(lastMessageIn(app, 5)).toMatchObject({ text: "from a form", urlPreview: false });
  });

  it("succeeds repeatedly on the same command message (the fixture's window never closes)", async () => {
    for (let i = 0; i < 3; i++) expect((await client.post(WEBHOOK, answer())).status).toBe(200);
    expect(messagesIn(app, 5).filter((m) => m.authorId === 456)).toHaveLength(3);
  });

  it("returns bare `true` with booleanResultShape=bare (docs before 2026-06-05)", async () => {
    const bare = restClient(createEmulator({ fixture: testFixture(), booleanResultShape: "bare" }));
    const reply = await bare.post(WEBHOOK, answer());
    expect(reply.status).toBe(200);
    expect(reply.body.result).toBe(true);
  });

  it("updates the chat's counters and the bot's message count", async () => {
    const portal = app.store.state.portals.default!;
    const countBefore = portal.chats[5]!.messageCount;
    await client.post(WEBHOOK, answer());
    const last = lastMessageIn(app, 5)!;
    expect(portal.chats[5]).toMatchObject({ lastMessageId: last.id, messageCount: countBefore + 1 });
    expect(portal.bots[456]!.countMessage).toBe(1);
  });
});

describe("bot-level errors, in the server's order", () => {
  it("BOT_TOKEN_NOT_SPECIFIED: webhook call without botToken", async () => {
    const { botToken: _, ...params } = answer();
    await expectRefused(WEBHOOK, params, "BOT_TOKEN_NOT_SPECIFIED", 400);
  });

  it("BOT_TOKEN_NOT_SPECIFIED comes before BOT_ID_REQUIRED", async () => {
    await expectRefused(WEBHOOK, { commandId: 42 }, "BOT_TOKEN_NOT_SPECIFIED", 400);
  });

  it("BOT_TOKEN_NOT_SPECIFIED: an empty botToken counts as missing", async () => {
    await expectRefused(WEBHOOK, answer({ botToken: "  " }), "BOT_TOKEN_NOT_SPECIFIED", 400);
  });

  it("BOT_ID_REQUIRED: botId missing, zero, negative or junk", async () => {
    for (const botId of [undefined, 0, -4, "abc"]) {
      await expectRefused(WEBHOOK, answer({ botId }), "BOT_ID_REQUIRED", 400);
    }
  });

  it("BOT_NOT_FOUND: no bot with that id", async () => {
    await expectRefused(WEBHOOK, answer({ botId: 999 }), "BOT_NOT_FOUND", 400);
  });

  it("BOT_OWNERSHIP_ERROR: webhook with another bot's token", async () => {
    await expectRefused(WEBHOOK, answer({ botToken: "other_bot_token" }), "BOT_OWNERSHIP_ERROR", 400);
  });

  it("BOT_OWNERSHIP_ERROR: an OAuth app that did not register the bot", async () => {
    await expectRefused(OAUTH, { ...answer(), auth: "other-token" }, "BOT_OWNERSHIP_ERROR", 400);
  });

  it("BOT_OWNERSHIP_ERROR can be served as 403 through statusOverrides", async () => {
    app = createEmulator({ fixture: testFixture(), statusOverrides: { BOT_OWNERSHIP_ERROR: 403 } });
    client = restClient(app);
    await expectRefused(WEBHOOK, answer({ botToken: "wrong" }), "BOT_OWNERSHIP_ERROR", 403);
  });
});

describe("argument and command errors", () => {
  it('binder error "100" names commandId, then messageId, then dialogId', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ commandId: undefined }, "Could not find value for parameter {commandId}"],
      [{ commandId: "x", messageId: 0 }, "Invalid value {x} to match with parameter {commandId}. Should be value of type int."],
      [{ messageId: undefined }, "Could not find value for parameter {messageId}"],
      [{ messageId: "1.5" }, "Invalid value {1.5} to match with parameter {messageId}. Should be value of type int."],
      [{ dialogId: undefined }, "Could not find value for parameter {dialogId}"],
    ];
    for (const [overrides, description] of cases) {
      const reply = await expectRefused(WEBHOOK, answer(overrides), "100", 400);
      expect(reply.body.error_description).toBe(description);
    }
    // The same from a form body, where every value is text.
    const form = await client.post(WEBHOOK, answer({ commandId: "abc" }), "form");
    expect([form.status, form.body.error]).toEqual([400, "100"]);
  });

  it("0 binds: commandId 0 is COMMAND_NOT_FOUND, messageId 0 COMMAND_ANSWER_FAILED", async () => {
    await expectRefused(WEBHOOK, answer({ commandId: 0 }), "COMMAND_NOT_FOUND", 400);
    await expectRefused(WEBHOOK, answer({ messageId: "0" }), "COMMAND_ANSWER_FAILED", 400);
    await expectRefused(WEBHOOK, answer({ messageId: -1 }), "COMMAND_ANSWER_FAILED", 400);
  });

  it("an empty dialogId is accepted: the dialog is the message's", async () => {
    const reply = await client.post(WEBHOOK, answer({ dialogId: "", fields: { message: "no dialogId" } }));
    expect(reply.status).toBe(200);
    expect(lastMessageIn(app, 5)!.text).toBe("no dialogId");
  });

  it("COMMAND_NOT_FOUND: unknown command id", async () => {
    await expectRefused(WEBHOOK, answer({ commandId: 4242 }), "COMMAND_NOT_FOUND", 400);
  });

  it("COMMAND_NOT_FOUND: another bot's command", async () => {
    await expectRefused(WEBHOOK, answer({ commandId: 43 }), "COMMAND_NOT_FOUND", 400);
  });

  it("COMMAND_ANSWER_FAILED: the command message does not exist", async () => {
    await expectRefused(WEBHOOK, answer({ messageId: 123456 }), "COMMAND_ANSWER_FAILED", 400);
  });

  it("COMMAND_ANSWER_FAILED: nothing to post (no text, attach or keyboard)", async () => {
    await expectRefused(WEBHOOK, answer({ fields: { message: "   " } }), "COMMAND_ANSWER_FAILED", 400);
    await expectRefused(WEBHOOK, answer({ fields: undefined }), "COMMAND_ANSWER_FAILED", 400);
  });

  it("ERROR_ARGUMENT: fields that are not an object", async () => {
    await expectRefused(WEBHOOK, answer({ fields: "not an object" }), "ERROR_ARGUMENT", 400);
  });
});

describe("the 20,000 code point limit", () => {
  const emoji = "😀";

  it("accepts exactly 20,000 emoji (40,000 UTF-16 units) and stores them whole", async () => {
    const text = emoji.repeat(20_000);
    const reply = await client.post(WEBHOOK, answer({ fields: { message: text } }));
    expect(reply.status).toBe(200);
    expect([...lastMessageIn(app, 5)!.text]).toHaveLength(20_000);
  });

  it("refuses 20,001 code points with COMMAND_ANSWER_FAILED by default", async () => {
    const reply = await expectRefused(WEBHOOK, answer({ fields: { message: emoji.repeat(20_001) } }), "COMMAND_ANSWER_FAILED", 400);
    expect(reply.body.error_description).toContain("20000");
  });

  it("counts code points in form bodies too", async () => {
    const reply = await client.post(WEBHOOK, answer({ fields: { message: "ж".repeat(20_001) } }), "form");
    expect(reply.body.error).toBe("COMMAND_ANSWER_FAILED");
    expect(reply.status).toBe(400);
  });

  it("truncates to 20,000 + ' (...)' with overlongMessage=truncate, as the server does", async () => {
    app = createEmulator({ fixture: testFixture(), overlongMessage: "truncate" });
    client = restClient(app);
    expect((await client.post(WEBHOOK, answer({ fields: { message: "a".repeat(20_006) } }))).status).toBe(200);
    expect(lastMessageIn(app, 5)!.text).toHaveLength(20_006);
    expect((await client.post(WEBHOOK, answer({ fields: { message: emoji.repeat(25_000) } }))).status).toBe(200);
    const text = lastMessageIn(app, 5)!.text;
    expect([...text]).toHaveLength(20_006);
    expect(text.endsWith(" (...)")).toBe(true);
  });
});

describe("membership decides how the answer appears", () => {
  it("a bot outside the chat answers as a system message naming the bot", async () => {
    const reply = await client.post(WEBHOOK, answer({ messageId: 790, dialogId: "chat6", fields: { message: "I am not in here" } }));
    expect(reply.status).toBe(200);
    expect(lastMessageIn(app, 6)).toMatchObject({
      authorId: 0,
      isSystem: true,
      text: "[USER=456]Support Bot[/USER]\nI am not in here",
    });
  });

  it("a member asking for system: true also gets a system message with its name", async () => {
    await client.post(WEBHOOK, answer({ fields: { message: "notice", system: "Y" } }));
    expect(lastMessageIn(app, 5)).toMatchObject({ authorId: 0, isSystem: true, text: "[USER=456]Support Bot[/USER]\nnotice" });
  });

  it("answers in the bot's 1:1 dialog as the bot (dialogId = the user's id)", async () => {
    await client.post(WEBHOOK, answer({ messageId: 791, dialogId: "1", fields: { message: "private hello" } }));
    expect(lastMessageIn(app, 7)).toMatchObject({ authorId: 456, isSystem: false, text: "private hello" });
  });

  it("a common command in a dialog between two users is answered as a system message", async () => {
    await client.post(WEBHOOK, answer({ messageId: 792, dialogId: "2", fields: { message: "p2p" } }));
    expect(lastMessageIn(app, 8)).toMatchObject({ authorId: 0, isSystem: true });
  });

  it("answers in the command message's chat even when dialogId names another one", async () => {
    const reply = await client.post(WEBHOOK, answer({ dialogId: "chat6", fields: { message: "where?" } }));
    expect(reply.status).toBe(200);
    expect(lastMessageIn(app, 5)!.text).toBe("where?");
    expect(messagesIn(app, 6).some((m) => m.text.includes("where?"))).toBe(false);
  });

  it("refuses a mismatching dialogId with COMMAND_ANSWER_FAILED under strictDialogId", async () => {
    app = createEmulator({ fixture: testFixture(), strictDialogId: true });
    client = restClient(app);
    await expectRefused(WEBHOOK, answer({ dialogId: "chat6" }), "COMMAND_ANSWER_FAILED", 400);
  });
});

describe("the answer window: one per bot and dialog", () => {
  /** The test portal with chat 5's only window the one that closed at 2020-01-01 (message 793). */
  function closedChat5(clock?: () => Date) {
    const fixture = testFixture();
    fixture.answerWindows = fixture.answerWindows!.filter((w) => w.messageId !== 789);
    app = createEmulator({ fixture, ...(clock ? { clock } : {}) });
    client = restClient(app);
  }

  it("after the window closes, answers success and posts nothing, as a portal does", async () => {
    closedChat5();
    const before = messagesIn(app, 5).length;
    const reply = await client.post(WEBHOOK, answer({ messageId: 793 }));
    expect(reply.status).toBe(200);
    expect(reply.body.result).toEqual({ result: true });
    expect(messagesIn(app, 5)).toHaveLength(before);
  });

  it("the window is checked before the content: empty or overlong text then also succeeds silently", async () => {
    closedChat5();
    const before = messagesIn(app, 5).length;
    for (const fields of [{}, { message: "a".repeat(20_001) }]) {
      const reply = await client.post(WEBHOOK, answer({ messageId: 793, fields }));
      expect([reply.status, reply.body.result]).toEqual([200, { result: true }]);
    }
    expect(messagesIn(app, 5)).toHaveLength(before);
  });

  it("while the dialog's window is open, any message of it may be answered", async () => {
    expect((await client.post(WEBHOOK, answer({ messageId: 794, fields: { message: "to 794" } }))).status).toBe(200);
    expect(lastMessageIn(app, 5)!.text).toBe("to 794");
  });

  it("a window is open until its expiry on the emulator's clock", async () => {
    let now = new Date("2019-12-31T23:59:00Z");
    closedChat5(() => now);
    expect((await client.post(WEBHOOK, answer({ messageId: 793, fields: { message: "in time" } }))).status).toBe(200);
    expect(lastMessageIn(app, 5)!.text).toBe("in time");
    now = new Date("2020-01-01T00:00:01Z");
    await client.post(WEBHOOK, answer({ messageId: 793, fields: { message: "too late" } }));
    expect(lastMessageIn(app, 5)!.text).toBe("in time");
  });

  it("each command of the bot in the dialog extends the window to 10 minutes from then", async () => {
    let now = new Date("2026-06-01T10:00:00Z");
    closedChat5(() => now);
    const portal = app.portal();
    const first = await portal.userSays({ authorId: 1, dialogId: "chat5", text: "/help" });
    now = new Date("2026-06-01T10:09:00Z");
    await portal.userSays({ authorId: 1, dialogId: "chat5", text: "/help again" });
    now = new Date("2026-06-01T10:18:00Z");
    // 18 minutes after the first command, 9 after the second: still open, for the first message too.
    expect((await client.post(WEBHOOK, answer({ messageId: first.message.id, fields: { message: "still open" } }))).status).toBe(200);
    expect(lastMessageIn(app, 5)!.text).toBe("still open");
    now = new Date("2026-06-01T10:19:01Z");
    await client.post(WEBHOOK, answer({ messageId: first.message.id, fields: { message: "closed" } }));
    expect(lastMessageIn(app, 5)!.text).toBe("still open");
  });

  it("in the bot's own one-to-one dialog the window never closes", async () => {
    const fixture = testFixture();
    fixture.answerWindows = [];
    app = createEmulator({ fixture });
    client = restClient(app);
    const reply = await client.post(WEBHOOK, answer({ messageId: 791, dialogId: "1", fields: { message: "always" } }));
    expect(reply.status).toBe(200);
    expect(lastMessageIn(app, 7)!.text).toBe("always");
  });

  it("a pressed button in the 1:1 dialog opens 10 minutes to answer the bot's own message, no more", async () => {
    let now = new Date("2026-06-01T10:00:00Z");
    const fixture = testFixture();
    fixture.answerWindows = [];
    app = createEmulator({ fixture, clock: () => now });
    client = restClient(app);
    const keyboard = [{ TEXT: "Help", COMMAND: "help" }];
    const sent = await client.post("/rest/1/emulator/imbot.v2.Chat.Message.send", {
      botId: 456, botToken: "my_bot_token", dialogId: "1", fields: { message: "pick", keyboard },
    });
    const botMessageId = (sent.body.result as { id: number }).id;
    await app.portal().pressButton({ userId: 1, messageId: botMessageId, buttonIndex: 0 });
    now = new Date("2026-06-01T10:09:00Z");
    const inTime = await client.post(WEBHOOK, answer({ messageId: botMessageId, dialogId: "1", fields: { message: "in time" } }));
    expect([inTime.status, inTime.body.result]).toEqual([200, { result: true }]);
    expect(lastMessageIn(app, 7)!.text).toBe("in time");
    now = new Date("2026-06-01T10:10:01Z");
    const late = await client.post(WEBHOOK, answer({ messageId: botMessageId, dialogId: "1", fields: { message: "too late" } }));
    expect([late.status, late.body.result]).toEqual([200, { result: true }]);
    expect(lastMessageIn(app, 7)!.text).toBe("in time");
  });
});

describe("ATTACH and KEYBOARD", () => {
  const attach = {
    COLOR_TOKEN: "primary",
    BLOCKS: [
      { MESSAGE: "API will be [B]updated[/B]" },
      { LINK: { NAME: "Docs", LINK: "https://example.com/docs" } },
      { IMAGE: [{ LINK: "https://example.com/a.png" }] },
      { GRID: [{ DISPLAY: "LINE", NAME: "Status", VALUE: "ok" }] },
      { DELIMITER: { SIZE: 200, COLOR: "#c2c2c2" } },
    ],
  };

  it("stores a valid ATTACH with the message", async () => {
    expect((await client.post(WEBHOOK, answer({ fields: { message: "see attach", attach } }))).status).toBe(200);
    expect(lastMessageIn(app, 5)!.params.ATTACH).toEqual([attach]);
  });

  it("accepts the short form, JSON text, and attach without text", async () => {
    await client.post(WEBHOOK, answer({ fields: { attach: attach.BLOCKS } }));
    expect(lastMessageIn(app, 5)!.params.ATTACH).toEqual([{ COLOR_TOKEN: "base", BLOCKS: attach.BLOCKS }]);
    await client.post(WEBHOOK, answer({ fields: { attach: JSON.stringify(attach) } }), "form");
    expect(lastMessageIn(app, 5)!.params.ATTACH).toEqual([attach]);
  });

  it("drops an attach it cannot use and posts the text, never ATTACH_ERROR", async () => {
    for (const bad of [{ BLOCKS: [{ LINK: { NAME: "no link" } }] }, { BLOCKS: [{ NOPE: 1 }] }, { BLOCKS: "x" }, "{not json", 42]) {
      const reply = await client.post(WEBHOOK, answer({ fields: { message: "text stays", attach: bad } }));
      expect(reply.status).toBe(200);
      const stored = lastMessageIn(app, 5)!;
      expect([stored.text, stored.params.ATTACH]).toEqual(["text stays", undefined]);
    }
  });

  it("COMMAND_ANSWER_FAILED when a dropped attach leaves nothing to post (unsafe link)", async () => {
    const bad = { BLOCKS: [{ IMAGE: [{ LINK: "javascript:alert(1)" }] }] };
    await expectRefused(WEBHOOK, answer({ fields: { attach: bad } }), "COMMAND_ANSWER_FAILED", 400);
  });

  it("COMMAND_ANSWER_FAILED for an attach over 60,000 characters: the message cannot be saved", async () => {
    const big = { BLOCKS: [{ MESSAGE: "x".repeat(60_001) }] };
    await expectRefused(WEBHOOK, answer({ fields: { message: "x", attach: big } }), "COMMAND_ANSWER_FAILED", 400);
  });

  it("the length check comes before the attach check", async () => {
    const reply = await client.post(WEBHOOK, answer({ fields: { message: "a".repeat(20_001), attach: { BLOCKS: [{ NOPE: 1 }] } } }));
    expect(reply.body.error).toBe("COMMAND_ANSWER_FAILED");
  });

  it("stores a keyboard, wrapping a bare button list and keeping only usable buttons", async () => {
    const buttons = [
      { TEXT: "Help", COMMAND: "help", COMMAND_PARAMS: "more" },
      { TYPE: "NEWLINE" },
      { TEXT: "Docs", LINK: "https://example.com" },
      { TEXT: "no action" },
    ];
    await client.post(WEBHOOK, answer({ fields: { message: "pick", keyboard: buttons } }));
    expect(lastMessageIn(app, 5)!.params.KEYBOARD).toEqual({ BOT_ID: 456, BUTTONS: buttons.slice(0, 3) });
  });

  it("a keyboard alone is a reply", async () => {
    const reply = await client.post(WEBHOOK, answer({ fields: { keyboard: { BUTTONS: [{ TEXT: "Go", ACTION: "SEND", ACTION_VALUE: "go" }] } } }));
    expect(reply.status).toBe(200);
    expect(lastMessageIn(app, 5)!.params.KEYBOARD?.BUTTONS).toHaveLength(1);
  });

  it("drops a keyboard that is not JSON and posts the text", async () => {
    expect((await client.post(WEBHOOK, answer({ fields: { message: "x", keyboard: "{oops" } }))).status).toBe(200);
    expect(lastMessageIn(app, 5)).toMatchObject({ text: "x", params: {} });
  });
});

describe("other bots do not hear of the answer", () => {
  it("a supervisor bot in the chat gets no MESSAGEADD for a bot's reply (bot-authored messages reach no bot)", async () => {
    const fixture = testFixture();
    fixture.bots = fixture.bots!.map((b) => (b.id === 457 ? { ...b, type: "supervisor" as const } : b));
    fixture.chats = fixture.chats!.map((c) => (c.id === 5 ? { ...c, members: [...c.members, 457] } : c));
    app = createEmulator({ fixture });
    client = restClient(app);
    expect((await client.post(WEBHOOK, answer({ fields: { message: "visible to the supervisor" } }))).status).toBe(200);
    const events = app.store.state.portals.default!.events;
    expect(events.filter((e) => e.type === "ONIMBOTV2MESSAGEADD")).toEqual([]);
  });
});
