import { EmulatorError } from "../../../errors/emulator-error.js";
import type { Bot, Chat } from "../../../store/state.js";
import type { MethodContext } from "../../types.js";

/**
 * The chat a v1 chat method names: CHAT_ID (or DIALOG_ID `chatN`, which the server also reads), a
 * group chat the bot is in (spec OPEN-V8). One-to-one dialogs are not managed this way.
 */
export function requireBotChat(ctx: MethodContext, bot: Bot, params: { CHAT_ID: number; DIALOG_ID?: string | undefined }): Chat {
  const fromDialog = /^chat([1-9]\d{0,15})$/.exec(params.DIALOG_ID?.trim() ?? "");
  const chatId = params.CHAT_ID > 0 ? params.CHAT_ID : fromDialog ? Number(fromDialog[1]) : 0;
  if (chatId <= 0) throw new EmulatorError("CHAT_ID_EMPTY");
  const chat = ctx.portal.chats[chatId];
  if (!chat || chat.type === "private" || !chat.members.includes(bot.id)) {
    throw new EmulatorError("ACCESS_ERROR", `Bot ${bot.id} is not a member of chat ${chatId}`);
  }
  return chat;
}

/** Owner or manager: who may change members, title, colour and avatar. */
export function requireChatAdmin(chat: Chat, bot: Bot): void {
  if (chat.ownerId !== bot.id && !chat.managers.includes(bot.id)) {
    throw new EmulatorError("ACCESS_ERROR", `Bot ${bot.id} is neither the owner nor a manager of chat ${chat.id}`);
  }
}
