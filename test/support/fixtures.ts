import { readFileSync } from "node:fs";
import { DEFAULT_FIXTURE_PATH, type FixtureInput } from "../../src/index.js";

const PAST = "2020-01-01T00:00:00+00:00";

/** The docs' Command.answer example on the default fixture, with a reply text of the caller's choosing. */
export function docAnswerParams(text: string): Record<string, unknown> {
  return { botId: 456, botToken: "my_bot_token", commandId: 42, messageId: 789, dialogId: "chat5", fields: { message: text } };
}

export function defaultFixture(): FixtureInput {
  return JSON.parse(readFileSync(DEFAULT_FIXTURE_PATH, "utf8")) as FixtureInput;
}

/**
 * The default portal plus what the rules need to be exercised: a second app and its bot, chats
 * the bot is not in, 1:1 dialogs, expired credentials and windows, a webhook without `imbot`.
 */
export function testFixture(): FixtureInput {
  const base = defaultFixture();
  return {
    ...base,
    users: [...(base.users ?? []), { id: 3, firstName: "Carla", lastName: "Guest", extranet: true }],
    webhooks: [
      ...(base.webhooks ?? []),
      { userId: 2, code: "im-only", scopes: ["im"] },
      { userId: 1, code: "expired-hook", expiresAt: PAST },
    ],
    apps: [
      ...(base.apps ?? []).map((app) => ({
        ...app,
        tokens: [...(app.tokens ?? []), { accessToken: "stale-token", userId: 1, expiresAt: PAST }],
      })),
      {
        clientId: "local.other00000000.00000000",
        applicationToken: "other-application-token",
        tokens: [{ accessToken: "other-token", userId: 2 }],
      },
      {
        clientId: "local.imonly0000000.00000000",
        applicationToken: "im-only-application-token",
        scopes: ["im"],
        tokens: [{ accessToken: "im-only-token", userId: 1 }],
      },
    ],
    bots: [
      ...(base.bots ?? []),
      { id: 457, code: "other_bot", name: "Other Bot", clientId: "local.other00000000.00000000", botToken: "other_bot_token" },
    ],
    commands: [...(base.commands ?? []), { id: 43, botId: 457, command: "/other", title: { en: "Other" } }],
    chats: [
      ...(base.chats ?? []),
      { id: 6, type: "chat", title: "No bots here", ownerId: 1, members: [1, 2] },
      { id: 7, type: "private", ownerId: 1, members: [1, 456] },
      { id: 8, type: "private", ownerId: 1, members: [1, 2] },
    ],
    messages: [
      ...(base.messages ?? []),
      { id: 790, chatId: 6, authorId: 1, text: "/help" },
      { id: 791, chatId: 7, authorId: 1, text: "/help" },
      { id: 792, chatId: 8, authorId: 1, text: "/help" },
      { id: 793, chatId: 5, authorId: 1, text: "/help (window closed)" },
      { id: 794, chatId: 5, authorId: 1, text: "/help (never invoked)" },
    ],
    answerWindows: [
      ...(base.answerWindows ?? []),
      { botId: 456, commandId: 42, messageId: 790 },
      { botId: 456, commandId: 42, messageId: 791 },
      { botId: 456, commandId: 42, messageId: 792 },
      { botId: 456, commandId: 42, messageId: 793, expiresAt: PAST },
    ],
  };
}

/** The test portal plus a deactivated user 4 (chat and message methods skip or refuse it). */
export function testFixtureWithInactiveUser(): FixtureInput {
  const base = testFixture();
  return { ...base, users: [...(base.users ?? []), { id: 4, firstName: "Dora", lastName: "Gone", active: false }] };
}
