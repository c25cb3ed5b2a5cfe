import { z } from "zod";

const positiveId = z.number().int().positive();
const isoDateOrNull = z.iso.datetime({ offset: true }).nullable();
const scopes = z.array(z.string().min(1)).prefault(["imbot", "im"]);

const userSchema = z.strictObject({
  id: positiveId,
  firstName: z.string().min(1),
  lastName: z.string().default(""),
  workPosition: z.string().default(""),
  gender: z.enum(["M", "F"]).default("M"),
  color: z.string().default("#df532d"),
  email: z.string().default(""),
  extranet: z.boolean().default(false),
  active: z.boolean().default(true),
  departments: z.array(positiveId).default([1]),
  /** When the person last did something; default: the date of their latest message in the fixture. */
  lastActivityDate: z.iso.datetime({ offset: true }).optional(),
});

const webhookSchema = z.strictObject({
  userId: positiveId,
  code: z.string().min(1),
  scopes,
  expiresAt: isoDateOrNull.default(null),
});

const appSchema = z.strictObject({
  clientId: z.string().min(1),
  clientSecret: z.string().min(1).nullable().default(null),
  redirectUri: z.url({ protocol: /^https?$/ }).nullable().default(null),
  applicationToken: z.string().min(1),
  scopes,
  tokens: z
    .array(
      z.strictObject({
        accessToken: z.string().min(1),
        userId: positiveId,
        expiresAt: isoDateOrNull.default(null),
        /** Refreshes this grant at /oauth/token/ (rotated on use). */
        refreshToken: z.string().min(1).optional(),
        refreshExpiresAt: isoDateOrNull.default(null),
      }),
    )
    .default([]),
});

const botSchema = z
  .strictObject({
    id: positiveId,
    code: z.string().min(1),
    name: z.string().min(1),
    lastName: z.string().default(""),
    workPosition: z.string().default(""),
    color: z.string().default("#29619b"),
    type: z.enum(["bot", "supervisor", "personal", "openline", "network"]).default("bot"),
    eventMode: z.enum(["fetch", "webhook"]).default("fetch"),
    webhookUrl: z.url({ protocol: /^https?$/ }).nullable().default(null),
    isHidden: z.boolean().default(false),
    isReactionsEnabled: z.boolean().default(true),
    isSupportOpenline: z.boolean().default(false),
    backgroundId: z.string().nullable().default(null),
    clientId: z.string().min(1).nullable().default(null),
    botToken: z.string().min(1).nullable().default(null),
  })
  .refine((bot) => bot.clientId !== null || bot.botToken !== null, {
    message: "a bot needs an owner: clientId, botToken or both",
    path: ["clientId"],
  });

const commandSchema = z.strictObject({
  id: positiveId,
  botId: positiveId,
  command: z.string().regex(/^\/?\S+$/, "a command name has no spaces").transform((c) => c.replace(/^\//, "")),
  common: z.boolean().default(false),
  hidden: z.boolean().default(false),
  extranetSupport: z.boolean().default(false),
  title: z.record(z.string(), z.string()).default({}),
  params: z.record(z.string(), z.string()).default({}),
});

const chatSchema = z.strictObject({
  id: positiveId,
  type: z.enum(["chat", "open", "private", "lines"]).default("chat"),
  title: z.string().default(""),
  description: z.string().default(""),
  color: z.string().default("#4ba984"),
  ownerId: positiveId,
  members: z.array(positiveId).min(1),
  managers: z.array(positiveId).default([]),
  /** As the control API takes them: `type: "lines"` or entity LINES makes an open-line chat (both set). */
  entityType: z.string().max(50).optional(),
  entityId: z.string().max(255).optional(),
});

const messageSchema = z.strictObject({
  id: positiveId,
  chatId: positiveId,
  authorId: z.number().int().nonnegative(),
  text: z.string(),
  date: z.iso.datetime({ offset: true }).optional(),
});

const answerWindowSchema = z.strictObject({
  botId: positiveId,
  commandId: positiveId,
  messageId: positiveId,
  expiresAt: isoDateOrNull.default(null),
});

/** One portal as a person writes it: arrays of records, most fields defaulted. */
const fixtureObject = z
  .strictObject({
    $schema: z.string().optional(),
    portal: z
      .strictObject({
        id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/i, "a portal id is 1-63 letters, digits, - or _").default("default"),
        domain: z.string().min(1).default("emulator.bitrix24.com"),
        language: z.string().regex(/^[a-z]{2}$/).default("en"),
      })
      .prefault({}),
    users: z.array(userSchema).default([]),
    webhooks: z.array(webhookSchema).default([]),
    apps: z.array(appSchema).default([]),
    bots: z.array(botSchema).default([]),
    commands: z.array(commandSchema).default([]),
    chats: z.array(chatSchema).default([]),
    messages: z.array(messageSchema).default([]),
    answerWindows: z.array(answerWindowSchema).default([]),
  });

export const fixtureSchema = fixtureObject.superRefine(checkReferences);

export type Fixture = z.output<typeof fixtureObject>;
export type FixtureInput = z.input<typeof fixtureObject>;

/** Ids must be unique and every reference must point at something the fixture defines. */
function checkReferences(f: Fixture, ctx: z.RefinementCtx): void {
  const report = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path, message });

  const people = new Set<number>();
  const addPerson = (id: number, path: (string | number)[]) => {
    if (people.has(id)) report(path, `user/bot id ${id} is used twice`);
    people.add(id);
  };
  f.users.forEach((u, i) => addPerson(u.id, ["users", i, "id"]));
  f.bots.forEach((b, i) => addPerson(b.id, ["bots", i, "id"]));

  // Sets built once, so checking a fixture costs its size, not its size squared.
  const userIds = new Set(f.users.map((u) => u.id));
  const botIds = new Set(f.bots.map((b) => b.id));
  const clientIds = new Set(f.apps.map((a) => a.clientId));
  f.webhooks.forEach((w, i) => {
    if (!userIds.has(w.userId)) report(["webhooks", i, "userId"], `no user ${w.userId}`);
  });
  f.apps.forEach((a, i) =>
    a.tokens.forEach((t, j) => {
      if (!people.has(t.userId)) report(["apps", i, "tokens", j, "userId"], `no user ${t.userId}`);
    }),
  );
  f.bots.forEach((b, i) => {
    if (b.clientId !== null && !clientIds.has(b.clientId)) {
      report(["bots", i, "clientId"], `no app with clientId "${b.clientId}"`);
    }
  });
  const commandIds = uniqueIds(f.commands, "commands", report);
  f.commands.forEach((c, i) => {
    if (!botIds.has(c.botId)) report(["commands", i, "botId"], `no bot ${c.botId}`);
  });
  const chatIds = uniqueIds(f.chats, "chats", report);
  f.chats.forEach((c, i) => {
    c.members.forEach((m, j) => {
      if (!people.has(m)) report(["chats", i, "members", j], `no user or bot ${m}`);
    });
    if (!people.has(c.ownerId)) report(["chats", i, "ownerId"], `no user or bot ${c.ownerId}`);
    if (c.type === "private" && c.members.length !== 2) report(["chats", i, "members"], "a private chat has exactly two members");
    if (c.type === "private" && (c.entityType !== undefined || c.entityId !== undefined)) {
      report(["chats", i, "entityType"], "a private chat has no entity; entityType and entityId are for group chats");
    }
  });
  const messageIds = uniqueIds(f.messages, "messages", report);
  f.messages.forEach((m, i) => {
    if (!chatIds.has(m.chatId)) report(["messages", i, "chatId"], `no chat ${m.chatId}`);
    if (m.authorId !== 0 && !people.has(m.authorId)) report(["messages", i, "authorId"], `no user or bot ${m.authorId}`);
  });
  f.answerWindows.forEach((w, i) => {
    if (!botIds.has(w.botId)) report(["answerWindows", i, "botId"], `no bot ${w.botId}`);
    if (!commandIds.has(w.commandId)) report(["answerWindows", i, "commandId"], `no command ${w.commandId}`);
    if (!messageIds.has(w.messageId)) report(["answerWindows", i, "messageId"], `no message ${w.messageId}`);
  });
}

function uniqueIds(
  items: readonly { id: number }[],
  name: string,
  report: (path: (string | number)[], message: string) => void,
): Set<number> {
  const seen = new Set<number>();
  items.forEach((item, i) => {
    if (seen.has(item.id)) report([name, i, "id"], `${name} id ${item.id} is used twice`);
    seen.add(item.id);
  });
  return seen;
}
