import { boundParam, toInt } from "../../params/coerce.js";
import { bindChatRef, requireBotChat, requireMessageIn } from "../chats/lookup.js";
import { markRead, unreadCount } from "../../../store/reading.js";
import { defineBotMethod } from "../define.js";

/**
 * imbot.v2.Chat.Message.read (spec v2-complete.md §2): the bot reads the chat up to `messageId`, or
 * all of it. Answers the bot's last read id, what it still has unread there, and the ids it newly
 * marked viewed (ascending). Those messages become `viewedByOthers`. No events.
 */
export const messageRead = defineBotMethod({
  name: "imbot.v2.Chat.Message.read",
  mutates: true,
  params: { dialogId: boundParam("string"), chatId: boundParam("int"), messageId: boundParam("int") },
  handler(ctx, params, bot) {
    bindChatRef(params);
    const messageId = optionalMessageId(ctx, params.messageId);
    const chat = requireBotChat(ctx, bot, params);
    if (messageId > 0) requireMessageIn(ctx.portal, chat, bot, messageId);
    const viewedMessages = markRead(ctx.portal, chat, bot.id, messageId > 0 ? messageId : chat.lastMessageId, ctx.now);
    return { chatId: chat.id, lastId: chat.lastRead?.[bot.id] ?? 0, counter: unreadCount(ctx.portal, chat, bot.id), viewedMessages };
  },
});

/**
 * `messageId` feeds an optional message object: a value the binder cannot read as an integer does not
 * fail the call, the portal's binder falls back to the default (no message), so the whole chat is read.
 */
function optionalMessageId(ctx: { log: { warn(text: string): void } }, raw: unknown): number {
  if (raw === undefined || raw === null) return 0;
  const text = typeof raw === "number" ? String(raw) : typeof raw === "string" ? raw.trim() : "";
  if (/^[+-]?\d+$/.test(text)) return toInt(text);
  ctx.log.warn(`Chat.Message.read: messageId ${JSON.stringify(raw)} is not an integer; a portal then reads the whole chat`);
  return 0;
}
