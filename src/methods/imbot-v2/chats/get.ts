import { boundParam, intParam, stringParam } from "../../params/coerce.js";
import { chatView } from "../../../views/chat.js";
import { defineMethod } from "../../types.js";
import { botParams, requireOwnedBot } from "../bots/access.js";
import { requireMemberChat } from "./access.js";

/** imbot.v2.Chat.get: any chat the bot is a member of (a 1:1 dialog only once it exists). */
export const get = defineMethod({
  name: "imbot.v2.Chat.get",
  scope: "imbot",
  mutates: false,
  params: botParams({ botId: intParam, botToken: stringParam, dialogId: stringParam, chatId: boundParam("int") }),
  handler(ctx, params) {
    const bot = requireOwnedBot(ctx, params);
    const chat = requireMemberChat(ctx.portal, bot, params);
    return { chat: chatView(ctx.portal, chat, bot.id, ctx.settings) };
  },
});
