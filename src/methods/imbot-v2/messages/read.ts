import { anyParam, intParam, stringParam } from "../../params/coerce.js";
import { bindOptionalInt } from "../../params/binder.js";
import { EmulatorError } from "../../../errors/emulator-error.js";
import { defineMethod } from "../../types.js";
import { botParams, requireOwnedBot } from "../bots/access.js";
import { requireBotChat } from "../chats/lookup.js";
import { markRead, unreadCount } from "../../../store/reading.js";

/**
 * imbot.v2.Chat.Message.read (spec v2-complete.md §2): the bot reads the chat up to `messageId`, or
 * all of it. Answers the bot's last read id, what it still has unread there, and the ids it newly
 * marked viewed (ascending). Those messages become `viewedByOthers`. No events.
 */
export const messageRead = defineMethod({
  name: "imbot.v2.Chat.Message.read",
  scope: "imbot",
  mutates: true,
  params: botParams({ botId: intParam, botToken: stringParam, dialogId: anyParam, chatId: anyParam, messageId: anyParam }),
  handler(ctx, params) {
    const bot = requireOwnedBot(ctx, params);
    const chat = requireBotChat(ctx, bot, params);
    const messageId = bindOptionalInt(params.messageId, "messageId", 0);
    if (messageId > 0) {
      const message = ctx.portal.messages[messageId];
      if (!message || message.deleted) throw new EmulatorError("MESSAGE_NOT_FOUND", `No message ${messageId}`);
      if (message.chatId !== chat.id) throw new EmulatorError("ACCESS_DENIED", `Message ${messageId} is not in chat ${chat.id}`);
    }
    const viewedMessages = markRead(ctx.portal, chat, bot.id, messageId > 0 ? messageId : chat.lastMessageId);
    return { chatId: chat.id, lastId: chat.lastRead?.[bot.id] ?? 0, counter: unreadCount(ctx.portal, chat, bot.id), viewedMessages };
  },
});
