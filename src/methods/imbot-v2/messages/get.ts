import { EmulatorError } from "../../../errors/emulator-error.js";
import { joinedAfter } from "../../../store/chats.js";
import type { Bot, Message } from "../../../store/state.js";
import { messageView } from "../../../views/message.js";
import { userView } from "../../../views/user.js";
import { boundParam } from "../../params/coerce.js";
import { bindOptionalInt } from "../../params/binder.js";
import { bindMessageId, requireBotMessage } from "../chats/lookup.js";
import { defineBotMethod } from "../define.js";

/** Only bots that read conversations may read history (server: supervisor and personal types). */
function requireReaderType(bot: Bot): void {
  if (bot.type !== "supervisor" && bot.type !== "personal") throw new EmulatorError("BOT_TYPE_NOT_ALLOWED");
}

/** imbot.v2.Chat.Message.get (spec v2-complete.md §2): one message and its author. */
export const messageGet = defineBotMethod({
  name: "imbot.v2.Chat.Message.get",
  mutates: false,
  params: { messageId: boundParam("int") },
  handler(ctx, params, bot) {
    const { message } = requireBotMessage(ctx, bot, params.messageId);
    requireReaderType(bot);
    const author = ctx.portal.users[message.authorId];
    return { message: messageView(message), user: author ? userView(author) : null };
  },
});

const MAX_RANGE = 50;

/**
 * imbot.v2.Chat.Message.getContext (spec v2-complete.md §2): up to `range` messages before the
 * message, the message, up to `range` after, oldest first, with their authors. `hasPrevPage` when the
 * before part is full; `hasNextPage` while newer messages exist in the chat.
 */
export const messageGetContext = defineBotMethod({
  name: "imbot.v2.Chat.Message.getContext",
  mutates: false,
  params: { messageId: boundParam("int"), range: boundParam("int") },
  handler(ctx, params, bot) {
    bindMessageId(params.messageId);
    const range = Math.min(MAX_RANGE, Math.max(1, bindOptionalInt(params.range, "range", MAX_RANGE)));
    const { message, chat } = requireBotMessage(ctx, bot, params.messageId);
    requireReaderType(bot);
    // Nothing from before the bot's join, however far back the range reaches.
    const firstVisible = joinedAfter(chat, bot.id) + 1;
    const inChat = Object.values(ctx.portal.messages)
      .filter((m) => m.chatId === chat.id && !m.deleted && m.id >= firstVisible)
      .sort((a, b) => a.id - b.id);
    const before = inChat.filter((m) => m.id < message.id).slice(-range);
    const after = inChat.filter((m) => m.id > message.id).slice(0, range);
    const page: Message[] = [...before, message, ...after];
    const authorIds = [...new Set(page.map((m) => m.authorId).filter((id) => id > 0))];
    const newest = page.at(-1)?.id ?? message.id;
    return {
      messages: page.map(messageView),
      users: authorIds.flatMap((id) => (ctx.portal.users[id] ? [userView(ctx.portal.users[id])] : [])),
      hasPrevPage: before.length >= range,
      hasNextPage: newest < chat.lastMessageId,
    };
  },
});
