import { boundParam, stringParam } from "../../params/coerce.js";
import { chatView } from "../../../views/chat.js";
import { requireMemberChat } from "./access.js";
import { defineBotMethod } from "../define.js";

/** imbot.v2.Chat.get: any chat the bot is a member of (a 1:1 dialog only once it exists). */
export const get = defineBotMethod({
  name: "imbot.v2.Chat.get",
  mutates: false,
  params: { dialogId: stringParam, chatId: boundParam("int") },
  handler(ctx, params, bot) {
    const chat = requireMemberChat(ctx.portal, bot, params);
    return { chat: chatView(ctx.portal, chat, bot.id, ctx.settings) };
  },
});
