import { readFile } from "node:fs/promises";
import { groupChatKind } from "../domain/chat-kind.js";
import type { RandomSource } from "../random/random-source.js";
import { fixtureSchema, type Fixture, type FixtureInput } from "./fixture-schema.js";
import type { App, Chat, Message, Portal, User } from "./state.js";

export type { Fixture, FixtureInput };

/** A fixture that failed validation; the message names the source and the JSON path of each bad field. */
export class FixtureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FixtureError";
  }
}

export function parseFixture(input: unknown, source: string): Fixture {
  const parsed = fixtureSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => `  - ${jsonPath(issue.path)}: ${issue.message}`);
  throw new FixtureError(`Invalid fixture ${source}:\n${lines.join("\n")}`);
}

export async function loadFixtureFile(path: string): Promise<Fixture> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new FixtureError(`Cannot read fixture ${path}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new FixtureError(`Invalid fixture ${path}: not JSON (${(error as Error).message})`);
  }
  return parseFixture(json, path);
}

function jsonPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (out, key) => (typeof key === "number" ? `${out}[${key}]` : `${out}.${String(key)}`),
    "$",
  );
}

/** Expands a validated fixture into a stored portal: bots get their user records, chats their counters. */
export function portalFromFixture(source: Fixture, now: Date, random: RandomSource, id = source.portal.id): Portal {
  // The portal owns its data: nothing it later changes may reach the (cached, shared) fixture.
  const fixture = structuredClone(source);
  const created = now.toISOString();
  const users: Record<string, User> = {};
  const spoke = latestMessageDates(fixture.messages, created);
  for (const { lastActivityDate, ...u } of fixture.users) {
    const active = lastActivityDate === undefined ? spoke.get(u.id) : new Date(lastActivityDate).toISOString();
    users[u.id] = { ...u, avatar: "", bot: false, ...(active === undefined ? {} : { lastActivityDate: active }) };
  }
  for (const b of fixture.bots) {
    users[b.id] = {
      id: b.id,
      active: true,
      firstName: b.name,
      lastName: b.lastName,
      workPosition: b.workPosition,
      gender: "M",
      color: b.color,
      avatar: "",
      email: "",
      extranet: false,
      bot: true,
      departments: [],
    };
  }

  const messages: Record<string, Message> = {};
  for (const m of fixture.messages) {
    messages[m.id] = {
      id: m.id,
      chatId: m.chatId,
      authorId: m.authorId,
      date: m.date ?? created,
      text: m.text,
      isSystem: m.authorId === 0,
      urlPreview: true,
      params: {},
    };
  }

  // Counted in one pass over the messages, so loading costs the fixture's size, not chats x messages.
  const counts = new Map<number, { last: number; count: number }>();
  for (const m of fixture.messages) {
    const count = counts.get(m.chatId) ?? { last: 0, count: 0 };
    counts.set(m.chatId, { last: Math.max(count.last, m.id), count: count.count + 1 });
  }
  const chats: Record<string, Chat> = {};
  for (const { id: chatId, type, entityType, entityId, ...c } of fixture.chats) {
    const own = counts.get(chatId);
    // The control API's rule: type "lines" or entity LINES is an open-line chat, which has both.
    const kind = type === "private" ? { type } : groupChatKind({ type, entityType, entityId });
    chats[chatId] = { id: chatId, ...kind, ...c, dateCreate: created, lastMessageId: own?.last ?? 0, messageCount: own?.count ?? 0 };
  }
  const appTokens = new Map(fixture.apps.map((a) => [a.clientId, a.applicationToken]));

  const maxId = (ids: number[]) => ids.reduce((a, b) => Math.max(a, b), 0);
  return {
    id,
    domain: fixture.portal.domain,
    language: fixture.portal.language,
    memberId: random.hex(16),
    createdAt: created,
    origin: source,
    users,
    webhooks: fixture.webhooks,
    apps: fixture.apps.map(appFromFixture),
    bots: Object.fromEntries(
      fixture.bots.map((b) => [
        b.id,
        {
          id: b.id,
          code: b.code,
          type: b.type,
          eventMode: b.eventMode,
          webhookUrl: b.webhookUrl,
          isHidden: b.isHidden,
          isReactionsEnabled: b.isReactionsEnabled,
          isSupportOpenline: b.isSupportOpenline,
          backgroundId: b.backgroundId,
          clientId: b.clientId,
          botToken: b.botToken,
          applicationToken:
            (b.clientId === null ? undefined : appTokens.get(b.clientId)) ?? random.hex(16),
          countMessage: 0,
          createdAt: created,
        },
      ]),
    ),
    commands: Object.fromEntries(fixture.commands.map((c) => [c.id, c])),
    chats,
    messages,
    // Fixtures name a window by a command message; the window itself belongs to that message's chat.
    answerGrants: fixture.answerWindows.flatMap((w) => {
      const chatId = messages[w.messageId]?.chatId;
      return chatId === undefined ? [] : [{ botId: w.botId, chatId, expiresAt: w.expiresAt }];
    }),
    events: [],
    seq: {
      event: 0,
      user: maxId(Object.keys(users).map(Number)),
      chat: maxId(fixture.chats.map((c) => c.id)),
      message: maxId(fixture.messages.map((m) => m.id)),
      command: maxId(fixture.commands.map((c) => c.id)),
    },
  };
}

/** Each author's latest message date (ISO, UTC): a person of the fixture was last active then. */
function latestMessageDates(messages: Fixture["messages"], created: string): Map<number, string> {
  const latest = new Map<number, string>();
  for (const m of messages) {
    const date = m.date === undefined ? created : new Date(m.date).toISOString();
    const before = latest.get(m.authorId);
    if (before === undefined || before < date) latest.set(m.authorId, date);
  }
  return latest;
}

/** A fixture app as stored: its refresh tokens are kept apart from the access tokens they came with. */
function appFromFixture(app: Fixture["apps"][number]): App {
  return {
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    redirectUri: app.redirectUri,
    applicationToken: app.applicationToken,
    scopes: app.scopes,
    tokens: app.tokens.map((t) => ({ accessToken: t.accessToken, userId: t.userId, expiresAt: t.expiresAt })),
    refreshTokens: app.tokens.flatMap((t) =>
      t.refreshToken === undefined ? [] : [{ refreshToken: t.refreshToken, userId: t.userId, expiresAt: t.refreshExpiresAt, accessToken: t.accessToken }],
    ),
    codes: [],
  };
}
