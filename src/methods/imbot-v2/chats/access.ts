import { addChat, findPrivateChat } from "../../../store/chats.js";
import { paletteByIndex, paletteHex } from "../../../domain/palette.js";
import { parseDialogId } from "../../../domain/dialog-id.js";
import { isPlainObject } from "../../../domain/json-value.js";
import { requireBotChat } from "./lookup.js";
import { argumentError, EmulatorError } from "../../../errors/emulator-error.js";
import { toInt, toOptionalString } from "../../params/coerce.js";
import type { Bot, Chat, Portal, User } from "../../../store/state.js";
import type { MethodContext } from "../../types.js";

/**
 * What the chat and message methods let a bot do in the chat it names. Finding the chat is the
 * shared lookup of ./lookup.ts: no such chat is CHAT_NOT_FOUND, a chat the bot is not in
 * ACCESS_DENIED (spec v2-complete §4 X3, replacing OPEN-R7's single ACCESS_DENIED).
 */

/** `dialogId` is required by every method here; a missing or blank one is ERROR_ARGUMENT. */
export function requireDialogId(raw: unknown): string {
  const dialogId = toOptionalString(raw)?.trim() ?? "";
  if (dialogId === "") throw argumentError("dialogId", "is required");
  return dialogId;
}

/** How the older chat methods name their chat: a `dialogId`, or the int `chatId` a portal's binder accepts instead. */
export interface ChatRef {
  dialogId?: unknown;
  chatId?: unknown;
}

/** A positive `chatId` given in place of the dialogId (the portal binds either to the chat). */
export function namesChatById(ref: ChatRef): boolean {
  const dialogId = toOptionalString(ref.dialogId)?.trim() ?? "";
  return dialogId === "" && toInt(ref.chatId) > 0;
}

export function accessDenied(reason: string): EmulatorError {
  return new EmulatorError("ACCESS_DENIED", reason);
}

/**
 * The chat behind a dialogId in which the bot is a member: `chatN` (prefix in any case), or the
 * user id of an existing 1:1 dialog with the bot. Reading methods never create a dialog.
 */
export function requireMemberChat(portal: Portal, bot: Bot, ref: ChatRef): Chat {
  if (!namesChatById(ref)) requireDialogId(ref.dialogId);
  return requireBotChat({ portal }, bot, ref);
}

/** Like requireMemberChat, for methods that manage members: a group chat the bot owns or manages. */
export function requireAdminChat(portal: Portal, bot: Bot, ref: ChatRef): Chat {
  const chat = requireMemberChat(portal, bot, ref);
  if (chat.type === "private") throw accessDenied(`Chat ${chat.id} is a one-to-one dialog, not a group chat`);
  if (!isChatAdmin(chat, bot.id)) throw accessDenied(`Bot ${bot.id} is neither the owner nor a manager of chat ${chat.id}`);
  return chat;
}

/** Owner or manager of a group chat. One-to-one dialogs have no administrators. */
export function isChatAdmin(chat: Chat, userId: number): boolean {
  if (chat.type === "private" || !chat.members.includes(userId)) return false;
  return chat.ownerId === userId || chat.managers.includes(userId);
}

/** Where Chat.Message.send posts: an existing chat, or a 1:1 dialog that is created on the first message. */
export type SendTarget = { chat: Chat; peer?: undefined } | { chat?: undefined; peer: User };

export function resolveSendTarget(ctx: MethodContext, bot: Bot, chatRef: ChatRef): SendTarget {
  if (namesChatById(chatRef)) return { chat: requireMemberChat(ctx.portal, bot, chatRef) };
  const dialogId = requireDialogId(chatRef.dialogId);
  const ref = parseDialogId(dialogId);
  if (ref?.kind === "user") {
    const peer = ctx.portal.users[ref.userId];
    if (!peer || peer.id === bot.id) throw accessDenied(`No user ${ref.userId} to talk to`);
    if (!peer.active) throw new EmulatorError("SENDING_FAILED", `User ${peer.id} is deactivated and cannot receive messages`);
    const existing = findPrivateChat(ctx.portal, bot.id, peer.id);
    return existing ? { chat: existing } : { peer };
  }
  return { chat: requireMemberChat(ctx.portal, bot, { dialogId }) };
}

/** Opens the bot's 1:1 dialog with a user; the bot starts it, so the bot is its owner. */
export function createPrivateChat(ctx: MethodContext, botId: number, peer: User): Chat {
  return addChat(ctx.portal, { type: "private", ownerId: botId, members: [botId, peer.id], color: peer.color }, ctx.now);
}

/**
 * A list of user ids as clients send it: a JSON array, PHP list keys (`userIds[]=1`), or one id.
 * Unreadable entries and duplicates are dropped; order is kept.
 */
export function readUserIds(value: unknown): number[] {
  const raw = Array.isArray(value) ? value : isPlainObject(value) ? Object.values(value) : value === undefined || value === null || value === "" ? [] : [value];
  const ids: number[] = [];
  for (const entry of raw) {
    const id = toInt(entry);
    if (id > 0 && !ids.includes(id)) ids.push(id);
  }
  return ids;
}

/** Users that may join a chat: known and active. */
export function joinableUser(portal: Portal, id: number): User | undefined {
  const user = portal.users[id];
  return user && user.active ? user : undefined;
}

/** `lightBlue`, `LIGHT_BLUE` and `lightblue` name the same colour; unknown codes give null. */
export function paletteColor(code: unknown): string | null {
  return paletteHex(code) ?? null;
}

/** A colour for a chat created without one: the palette in turn, by chat id. */
export function autoChatColor(chatId: number): string {
  return paletteByIndex(chatId - 1);
}
