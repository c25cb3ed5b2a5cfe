import { findPrivateChat, joinedAfter } from "../../../store/chats.js";
import { liveMessage } from "../../../store/messages.js";
import type { Bot, Chat, Message, Portal } from "../../../store/state.js";
import { toInt } from "../../params/coerce.js";
import { bindInt, notFound } from "../../params/binder.js";
import type { MethodContext } from "../../types.js";
import { EmulatorError } from "../../../errors/emulator-error.js";

/**
 * How every imbot.v2 chat method finds its chat, and the v2-complete methods their message (§1, server
 * `im/lib/dialog.php`, `im/lib/V2/Message.php::checkAccess`): `dialogId` is `chatN` (prefix in any
 * case) or a user id naming the bot's 1:1 with that user; an int `chatId` may stand instead. With
 * neither, the binder cannot build the chat object (`"100"` naming `chat`). No such chat is
 * CHAT_NOT_FOUND; a chat the bot is not in is ACCESS_DENIED.
 */
export function requireBotChat(ctx: { portal: Portal }, bot: Bot, params: { dialogId?: unknown; chatId?: unknown }): Chat {
  const chat = findChat(ctx, bot, params);
  if (!chat.members.includes(bot.id)) throw new EmulatorError("ACCESS_DENIED", `Bot ${bot.id} is not a member of chat ${chat.id}`);
  return chat;
}

function findChat(ctx: { portal: Portal }, bot: Bot, params: { dialogId?: unknown; chatId?: unknown }): Chat {
  bindChatRef(params);
  const raw = params.dialogId;
  const dialogId = typeof raw === "string" ? raw.trim() : typeof raw === "number" ? String(raw) : "";
  const chatId = toInt(params.chatId);
  if (dialogId === "" && chatId > 0) return ctx.portal.chats[chatId] ?? chatNotFound(String(chatId));
  const group = /^chat(\d+)$/i.exec(dialogId);
  if (group) return ctx.portal.chats[Number(group[1])] ?? chatNotFound(dialogId);
  if (/^\d+$/.test(dialogId)) return findPrivateChat(ctx.portal, bot.id, Number(dialogId)) ?? chatNotFound(dialogId);
  return chatNotFound(dialogId);
}

/**
 * The binder's share of the chat lookup, which a portal does before any access check (its prefilters
 * bind every argument first): a `dialogId` (any text, even blank: that is a chat not found) or a
 * positive `chatId` must be there, else `"100"` naming `chat`. Methods with more parameters call it,
 * then bind those, then look the chat up, so a bad parameter wins over an unknown chat.
 */
export function bindChatRef(params: { dialogId?: unknown; chatId?: unknown }): void {
  if (params.dialogId !== undefined && params.dialogId !== null) return;
  if (toInt(params.chatId) <= 0) throw notFound("chat");
}

/** The binder's share of the message lookup: `messageId` present and an integer. */
export function bindMessageId(raw: unknown): number {
  if (raw === undefined || raw === null) throw notFound("message");
  return bindInt(raw, "messageId");
}

function chatNotFound(dialogId: string): never {
  throw new EmulatorError("CHAT_NOT_FOUND", `No chat "${dialogId}"`);
}

/**
 * The message `messageId` names, readable by the bot, in whatever chat it is: MESSAGE_NOT_FOUND, then
 * ACCESS_DENIED (the bot is not in its chat), then what `requireMessageIn` checks.
 */
export function requireBotMessage(ctx: MethodContext, bot: Bot, rawMessageId: unknown): { message: Message; chat: Chat } {
  const messageId = bindMessageId(rawMessageId);
  const chat = liveMessage(ctx.portal, messageId)?.chat ?? messageNotFound(messageId);
  if (!chat.members.includes(bot.id)) throw new EmulatorError("ACCESS_DENIED", `Bot ${bot.id} is not a member of the chat of message ${messageId}`);
  return { message: requireMessageIn(ctx.portal, chat, bot, messageId), chat };
}

/**
 * The message `messageId` of `chat`, a chat the bot is in, as the bot may read it (server
 * `Message::checkAccess`): MESSAGE_NOT_FOUND (none, or deleted), ACCESS_DENIED (another chat's),
 * MESSAGE_ACCESS_DENIED (older than the bot's join).
 */
export function requireMessageIn(portal: Portal, chat: Chat, bot: Bot, messageId: number): Message {
  const found = liveMessage(portal, messageId) ?? messageNotFound(messageId);
  if (found.chat.id !== chat.id) throw new EmulatorError("ACCESS_DENIED", `Message ${messageId} is not in chat ${chat.id}`);
  if (messageId <= joinedAfter(chat, bot.id)) {
    throw new EmulatorError("MESSAGE_ACCESS_DENIED", `Message ${messageId} was posted before bot ${bot.id} joined chat ${chat.id}`);
  }
  return found.message;
}

function messageNotFound(messageId: number): never {
  throw new EmulatorError("MESSAGE_NOT_FOUND", `No message ${messageId}`);
}
