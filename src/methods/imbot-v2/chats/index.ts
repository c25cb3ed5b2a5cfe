import { addChat } from "../../store/chats.js";
import { without } from "../../store/lists.js";
import { z } from "zod";
import { isPlainObject } from "../../domain/json-value.js";
import { argumentError, EmulatorError } from "../../errors/emulator-error.js";
import { publishJoin, publishNewMessage } from "../../events/message-flow.js";
import { anyParam, intParam, stringParam, toInt, toOptionalString } from "../coerce.js";
import { appendMessage, fullName } from "../../store/messages.js";
import type { Portal } from "../../store/state.js";
import { chatView } from "../../views/chat.js";
import { userView } from "../../views/user.js";
import { booleanResult, defineMethod, flowOptions, type MethodDefinition } from "../types.js";
import { requireOwnedBot } from "./bot-access.js";
import {
  accessDenied,
  autoChatColor,
  joinableUser,
  paletteColor,
  readUserIds,
  requireAdminChat,
  requireDialogId,
  requireMemberChat,
} from "./chat-access.js";
import { readFields, readText } from "./message-content.js";

const LIST_DEFAULT_LIMIT = 50;
const LIST_MAX_LIMIT = 200;

/**
 * imbot.v2.Chat.add: a group chat with the bot, the known active users of `userIds` and, when
 * given, `ownerId` (default owner: the bot). Other bots among the members get JOINCHAT; the
 * creating bot does not (spec OPEN-B11). `fields.message` becomes the bot's first message.
 */
const add = defineMethod({
  name: "imbot.v2.Chat.add",
  scope: "imbot",
  mutates: true,
  params: z.object({ botId: intParam, botToken: stringParam, fields: anyParam }),
  handler(ctx, params) {
    const bot = requireOwnedBot(ctx, params);
    const fields = readFields(params.fields, false);
    const portal = ctx.portal;

    const members = [bot.id];
    for (const id of readUserIds(fields.userIds)) {
      if (!members.includes(id) && joinableUser(portal, id)) members.push(id);
    }
    let ownerId = bot.id;
    const requestedOwner = toInt(fields.ownerId);
    if (requestedOwner > 0 && requestedOwner !== bot.id) {
      if (joinableUser(portal, requestedOwner)) {
        ownerId = requestedOwner;
        if (!members.includes(ownerId)) members.push(ownerId);
      } else ctx.log.warn(`Chat.add: ownerId ${requestedOwner} is not an active user; the bot owns the chat`);
    }
    const firstMessage = readText(fields.message, "truncate");
    const color = paletteColor(fields.color);
    if (fields.color !== undefined && color === null) ctx.log.warn(`Chat.add: unknown colour ${JSON.stringify(fields.color)}; picked one`);

    const chat = addChat(
      portal,
      {
        type: "chat",
        ownerId,
        members,
        title: toOptionalString(fields.title)?.trim() || nameFromMembers(portal, members),
        description: toOptionalString(fields.description)?.trim() ?? "",
      },
      ctx.now,
    );
    chat.color = color ?? autoChatColor(chat.id);
    const id = chat.id;
    publishJoin(portal, chat, members, bot.id, ctx.events);

    if (firstMessage !== "") {
      const message = appendMessage(
        portal,
        { chatId: id, authorId: bot.id, text: firstMessage, isSystem: false, urlPreview: true, attach: null, keyboard: null },
        ctx.now,
      );
      bot.countMessage++;
      publishNewMessage(portal, message, ctx.events, flowOptions(ctx));
    }

    const users = members.flatMap((m) => (portal.users[m] ? [userView(portal.users[m])] : []));
    return { chat: { ...chatView(chat, bot.id), isNew: true }, users };
  },
});

/** A chat created without a title is named after its members, as a portal does. */
function nameFromMembers(portal: Portal, members: readonly number[]): string {
  return members
    .map((id) => portal.users[id])
    .filter((u) => u !== undefined)
    .map((u) => fullName(u))
    .join(", ");
}

/** imbot.v2.Chat.get: any chat the bot is a member of (a 1:1 dialog only once it exists). */
const get = defineMethod({
  name: "imbot.v2.Chat.get",
  scope: "imbot",
  mutates: false,
  params: z.object({ botId: intParam, botToken: stringParam, dialogId: stringParam }),
  handler(ctx, params) {
    const bot = requireOwnedBot(ctx, params);
    const chat = requireMemberChat(ctx.portal, bot, requireDialogId(params.dialogId));
    return { chat: chatView(chat, bot.id) };
  },
});

/**
 * imbot.v2.Chat.User.add: the bot must own or manage the group chat. Unknown, inactive and
 * existing members are skipped silently; bots that join get JOINCHAT from this bot.
 */
const userAdd = defineMethod({
  name: "imbot.v2.Chat.User.add",
  scope: "imbot",
  mutates: true,
  params: z.object({ botId: intParam, botToken: stringParam, dialogId: stringParam, userIds: anyParam }),
  handler(ctx, params) {
    const bot = requireOwnedBot(ctx, params);
    const chat = requireAdminChat(ctx.portal, bot, requireDialogId(params.dialogId));
    const requested = readUserIds(params.userIds);
    if (requested.length === 0) throw new EmulatorError("EMPTY_USER_IDS");

    const added = requested.filter((id) => !chat.members.includes(id) && joinableUser(ctx.portal, id));
    chat.members.push(...added);
    publishJoin(ctx.portal, chat, added, bot.id, ctx.events);
    return booleanResult(ctx);
  },
});

/**
 * imbot.v2.Chat.User.delete: the bot must own or manage the group chat. Removing someone who is
 * not a member succeeds without change. The owner cannot be removed (ownership must move first).
 */
const userDelete = defineMethod({
  name: "imbot.v2.Chat.User.delete",
  scope: "imbot",
  mutates: true,
  params: z.object({ botId: intParam, botToken: stringParam, dialogId: stringParam, userId: intParam }),
  handler(ctx, params) {
    const bot = requireOwnedBot(ctx, params);
    const dialogId = requireDialogId(params.dialogId);
    if (params.userId <= 0) throw argumentError("userId", "is required and must be a positive integer");
    const chat = requireAdminChat(ctx.portal, bot, dialogId);
    if (!chat.members.includes(params.userId)) return booleanResult(ctx);
    if (params.userId === chat.ownerId) throw accessDenied(`User ${params.userId} owns chat ${chat.id} and cannot be removed`);

    chat.members = without(chat.members, (m) => m === params.userId);
    chat.managers = without(chat.managers, (m) => m === params.userId);
    return booleanResult(ctx);
  },
});

type ListOrderKey = "id" | "lastSendMessageId" | "userId";
const ORDER_KEYS: readonly ListOrderKey[] = ["id", "lastSendMessageId", "userId"];

/**
 * imbot.v2.Chat.User.list: the members as User objects, a bare array. `order` sorts by membership
 * (`id`), by the member's last message in the chat (`lastSendMessageId`) or by `userId`; `limit`
 * is clamped to 1..200 (default 50). There is no offset (spec OPEN-B13).
 */
const userList = defineMethod({
  name: "imbot.v2.Chat.User.list",
  scope: "imbot",
  mutates: false,
  params: z.object({ botId: intParam, botToken: stringParam, dialogId: stringParam, order: anyParam, limit: anyParam }),
  handler(ctx, params) {
    const bot = requireOwnedBot(ctx, params);
    const chat = requireMemberChat(ctx.portal, bot, requireDialogId(params.dialogId));

    const limit = listLimit(params.limit);
    const order = readOrder(params.order);
    const lastSent = new Map<number, number>();
    for (const m of Object.values(ctx.portal.messages)) {
      if (m.chatId === chat.id && m.id > (lastSent.get(m.authorId) ?? 0)) lastSent.set(m.authorId, m.id);
    }
    const rows = chat.members.map((userId, index) => ({ userId, id: index + 1, lastSendMessageId: lastSent.get(userId) ?? 0 }));
    rows.sort((a, b) => {
      for (const [key, direction] of order) {
        const diff = a[key] - b[key];
        if (diff !== 0) return direction === "DESC" ? -diff : diff;
      }
      return a.id - b.id;
    });
    return rows
      .map((row) => ctx.portal.users[row.userId])
      .filter((u) => u !== undefined)
      .slice(0, limit)
      .map((u) => userView(u));
  },
});

function listLimit(value: unknown): number {
  if (value === undefined || value === null || value === "") return LIST_DEFAULT_LIMIT;
  const limit = toInt(value);
  // Only a written zero means 0 (then clamped to 1); unreadable values, objects included, give the default.
  const text = typeof value === "string" ? value : typeof value === "number" ? String(value) : "";
  if (limit === 0 && !/^\s*[+-]?0/.test(text)) return LIST_DEFAULT_LIMIT;
  return Math.min(LIST_MAX_LIMIT, Math.max(1, limit));
}

/** `{field: ASC|DESC}` for the known fields, in the order given; anything else is ignored. */
function readOrder(value: unknown): [ListOrderKey, "ASC" | "DESC"][] {
  if (!isPlainObject(value)) return [];
  const order: [ListOrderKey, "ASC" | "DESC"][] = [];
  for (const [key, direction] of Object.entries(value)) {
    if (!(ORDER_KEYS as readonly string[]).includes(key)) continue;
    const dir = typeof direction === "string" && direction.trim().toUpperCase() === "DESC" ? "DESC" : "ASC";
    order.push([key as ListOrderKey, dir]);
  }
  return order;
}

export const chatMethods: readonly MethodDefinition[] = [add, get, userAdd, userDelete, userList];
