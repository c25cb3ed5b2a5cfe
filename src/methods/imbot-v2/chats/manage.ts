import { EmulatorError } from "../../../errors/emulator-error.js";
import { without } from "../../../store/lists.js";
import { appendMessage, fullName } from "../../../store/messages.js";
import type { Bot, Chat } from "../../../store/state.js";
import { anyParam, boundParam, objectParam, stringParam, toOptionalString } from "../../params/coerce.js";
import { bindInt } from "../../params/binder.js";
import { readFields } from "../../params/fields.js";
import { booleanResult, type MethodContext } from "../../types.js";
import { chatAvatarPlaceholder, readAvatar } from "../bots/avatar.js";
import { paletteColor, readUserIds } from "./access.js";
import { bindChatRef, requireBotChat } from "./lookup.js";
import { defineBotMethod } from "../define.js";

/**
 * Chat administration by a bot (spec v2-complete.md §2): update, leave, setOwner, Manager.add/delete.
 * Roles as the portal's UI defaults: any member renames, the owner changes ownership and managers;
 * none of it applies to a 1:1 dialog (ACCESS_DENIED). Each change leaves a system notice in the chat,
 * which reaches no bot.
 */

const TITLE_MAX = 255;
const chatParams = { dialogId: boundParam("string"), chatId: boundParam("int") };

function requireGroupChat(ctx: MethodContext, bot: Bot, params: { dialogId?: unknown; chatId?: unknown }): Chat {
  const chat = requireBotChat(ctx, bot, params);
  if (chat.type === "private") throw new EmulatorError("ACCESS_DENIED", `Chat ${chat.id} is a one-to-one dialog`);
  return chat;
}

function requireOwner(chat: Chat, bot: Bot): void {
  if (chat.ownerId !== bot.id) throw new EmulatorError("ACCESS_DENIED", `Bot ${bot.id} does not own chat ${chat.id}`);
}

function notice(ctx: MethodContext, chat: Chat, text: string): void {
  appendMessage(ctx.portal, { chatId: chat.id, authorId: 0, text, isSystem: true, urlPreview: false, attach: null, keyboard: null }, ctx.now);
}

/** A readable picture becomes the chat's; one that cannot be read clears it (spec v2-complete.md §2). */
function updateChatAvatar(ctx: MethodContext, chat: Chat, raw: unknown): void {
  const avatar = readAvatar(raw);
  if (avatar.kind === "ok") chat.avatar = chatAvatarPlaceholder(ctx.portal.domain, chat.id, avatar.image);
  else if (avatar.kind === "refused" && chat.avatar !== undefined) delete chat.avatar;
}

function nameOf(ctx: MethodContext, id: number): string {
  const user = ctx.portal.users[id];
  return user ? fullName(user) : `#${id}`;
}

/** imbot.v2.Chat.update: only the `fields` keys given change; `{}` changes nothing. */
export const chatUpdate = defineBotMethod({
  name: "imbot.v2.Chat.update",
  mutates: true,
  params: { ...chatParams, fields: objectParam({ title: stringParam, description: stringParam, color: stringParam, avatar: anyParam }) },
  handler(ctx, params, bot) {
    const chat = requireGroupChat(ctx, bot, params);
    // The server's role table gives Action::Update to no role in chat and open chats (spec OPEN-N1).
    if (ctx.settings.strictChatUpdate) throw new EmulatorError("ACCESS_DENIED", `No member may update a ${chat.type} chat (strictChatUpdate)`);
    const fields = readFields(params.fields, false);
    const who = nameOf(ctx, bot.id);
    const title = toOptionalString(fields.title)?.trim();
    if (title !== undefined && title !== "" && title !== chat.title) {
      chat.title = [...title].slice(0, TITLE_MAX).join("");
      notice(ctx, chat, `${who} changed the chat name to "${chat.title}"`);
    }
    const description = toOptionalString(fields.description);
    if (description !== undefined && description !== chat.description) {
      chat.description = description;
      notice(ctx, chat, `${who} changed the chat description`);
    }
    if (fields.color !== undefined) {
      const color = paletteColor(fields.color);
      if (color === null) ctx.log.warn(`Chat.update: unknown colour ${JSON.stringify(fields.color)}; ignored, as a portal ignores it`);
      else if (color !== chat.color) {
        chat.color = color;
        notice(ctx, chat, `${who} changed the chat colour`);
      }
    }
    if (fields.avatar !== undefined) updateChatAvatar(ctx, chat, fields.avatar);
    return booleanResult(ctx);
  },
});

/**
 * imbot.v2.Chat.leave: the bot leaves a group chat. If it owned it, ownership passes to another active
 * member who is a person and not an extranet user (none: the owner stays).
 */
export const chatLeave = defineBotMethod({
  name: "imbot.v2.Chat.leave",
  mutates: true,
  params: chatParams,
  handler(ctx, params, bot) {
    const chat = requireGroupChat(ctx, bot, params);
    chat.members = without(chat.members, (m) => m === bot.id);
    chat.managers = without(chat.managers, (m) => m === bot.id);
    if (chat.ownerId === bot.id) {
      const heir = chat.members.map((id) => ctx.portal.users[id]).find((u) => u !== undefined && u.active && !u.bot && !u.extranet);
      if (heir) chat.ownerId = heir.id;
    }
    notice(ctx, chat, `${nameOf(ctx, bot.id)} left the chat`);
    return booleanResult(ctx);
  },
});

/** imbot.v2.Chat.setOwner: the owning bot hands the chat over; the old owner stays a manager. */
export const chatSetOwner = defineBotMethod({
  name: "imbot.v2.Chat.setOwner",
  mutates: true,
  params: { ...chatParams, userId: boundParam("int") },
  handler(ctx, params, bot) {
    bindChatRef(params);
    const userId = bindInt(params.userId, "userId");
    const chat = requireGroupChat(ctx, bot, params);
    requireOwner(chat, bot);
    const user = ctx.portal.users[userId];
    if (!user) throw new EmulatorError("ACCESS_DENIED", `No user ${userId}`);
    if (!chat.members.includes(userId)) ctx.log.warn(`Chat.setOwner: user ${userId} is not a member of chat ${chat.id}; a portal sets the owner anyway`);
    if (!chat.managers.includes(bot.id)) chat.managers.push(bot.id);
    chat.ownerId = userId;
    notice(ctx, chat, `${nameOf(ctx, bot.id)} made ${nameOf(ctx, userId)} the chat owner`);
    return booleanResult(ctx);
  },
});

function managers(action: "add" | "delete") {
  return defineBotMethod({
    name: `imbot.v2.Chat.Manager.${action}`,
    mutates: true,
    params: { ...chatParams, userIds: anyParam },
    handler(ctx, params, bot) {
      const chat = requireGroupChat(ctx, bot, params);
      requireOwner(chat, bot);
      const ids = readUserIds(params.userIds);
      if (ids.length === 0) throw new EmulatorError("EMPTY_USER_IDS", "userIds is required");
      const members = ids.filter((id) => chat.members.includes(id));
      if (action === "add") chat.managers.push(...members.filter((id) => !chat.managers.includes(id)));
      else chat.managers = without(chat.managers, (m) => members.includes(m));
      return booleanResult(ctx);
    },
  });
}

/** imbot.v2.Chat.Manager.add / .delete: owner only; people who are not members are skipped. */
export const managerAdd = managers("add");
export const managerDelete = managers("delete");
