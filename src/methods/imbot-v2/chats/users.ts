import { addMembers } from "../../../store/chats.js";
import { without } from "../../../store/lists.js";
import { isPlainObject } from "../../../domain/json-value.js";
import { argumentError } from "../../../errors/emulator-error.js";
import { publishJoin } from "../../../events/message-flow.js";
import { anyParam, boundParam, intParam, stringParam, toInt } from "../../params/coerce.js";
import { userView } from "../../../views/user.js";
import { booleanResult } from "../../types.js";
import { accessDenied, joinableUser, namesChatById, readUserIds, requireAdminChat, requireDialogId, requireMemberChat } from "./access.js";
import { defineBotMethod } from "../define.js";

const LIST_DEFAULT_LIMIT = 50;
const LIST_MAX_LIMIT = 200;

/**
 * imbot.v2.Chat.User.add: any member of a group chat may add users (server ActionGroup
 * ManageUsersAdd is plain membership, spec v2-complete §4 h). No user ids at all is a success that
 * changes nothing. Unknown, inactive and existing members are skipped silently; bots that join get
 * JOINCHAT from this bot.
 */
export const userAdd = defineBotMethod({
  name: "imbot.v2.Chat.User.add",
  mutates: true,
  params: { dialogId: stringParam, chatId: boundParam("int"), userIds: anyParam },
  handler(ctx, params, bot) {
    const chat = requireMemberChat(ctx.portal, bot, params);
    if (chat.type === "private") throw accessDenied(`Chat ${chat.id} is a one-to-one dialog, not a group chat`);
    const requested = readUserIds(params.userIds);

    const added = requested.filter((id) => !chat.members.includes(id) && joinableUser(ctx.portal, id));
    addMembers(chat, added);
    publishJoin(ctx.portal, chat, added, bot.id, ctx.events);
    return booleanResult(ctx);
  },
});

/**
 * imbot.v2.Chat.User.delete: the bot must own or manage the group chat. Removing someone who is
 * not a member succeeds without change. The owner cannot be removed (ownership must move first).
 */
export const userDelete = defineBotMethod({
  name: "imbot.v2.Chat.User.delete",
  mutates: true,
  params: { dialogId: stringParam, chatId: boundParam("int"), userId: intParam },
  handler(ctx, params, bot) {
    if (!namesChatById(params)) requireDialogId(params.dialogId);
    if (params.userId <= 0) throw argumentError("userId", "is required and must be a positive integer");
    const chat = requireAdminChat(ctx.portal, bot, params);
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
export const userList = defineBotMethod({
  name: "imbot.v2.Chat.User.list",
  mutates: false,
  params: { dialogId: stringParam, chatId: boundParam("int"), order: anyParam, limit: boundParam("int") },
  handler(ctx, params, bot) {
    const chat = requireMemberChat(ctx.portal, bot, params);

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
