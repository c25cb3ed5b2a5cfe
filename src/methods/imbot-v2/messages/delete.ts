import { argumentError } from "../../../errors/emulator-error.js";
import { deleteMessage } from "../../../events/message-flow.js";
import { boolParam, intParam } from "../../params/coerce.js";
import { booleanResult } from "../../types.js";
import { accessDenied, isChatAdmin } from "../chats/access.js";
import { defineBotMethod } from "../define.js";

/**
 * imbot.v2.Chat.Message.delete: the bot's own messages, or any message (system ones included) of a
 * group chat the bot owns or manages. Soft deletion keeps the row with empty text and params
 * (spec OPEN-B10); `complete` removes it. Bots that saw the message hear of it first.
 */
export const remove = defineBotMethod({
  name: "imbot.v2.Chat.Message.delete",
  mutates: true,
  params: {
    messageId: intParam,
    complete: boolParam(false),
  },
  handler(ctx, params, bot) {
    if (params.messageId <= 0) throw argumentError("messageId", "is required and must be a positive integer");

    const message = ctx.portal.messages[params.messageId];
    const chat = message ? ctx.portal.chats[message.chatId] : undefined;
    const own = message !== undefined && !message.isSystem && message.authorId === bot.id;
    if (!message || !(own || (chat !== undefined && isChatAdmin(chat, bot.id)))) {
      throw accessDenied(`Bot ${bot.id} may not delete message ${params.messageId}`);
    }

    deleteMessage(ctx.portal, message, params.complete, ctx.events);
    return booleanResult(ctx);
  },
});
