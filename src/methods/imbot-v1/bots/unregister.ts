import { unregisterBot } from "../../bot-removal.js";
import { defineV1BotMethod } from "../define.js";

/**
 * imbot.unregister (spec v1.md §2): ONIMBOTDELETE goes to the owner's handler first, then the bot,
 * its commands and its membership of chats go; the owner's handlers go with its last v1 bot.
 */
export const imbotUnregister = defineV1BotMethod({
  name: "imbot.unregister",
  mutates: true,
  params: {},
  handler(ctx, _params, bot) {
    unregisterBot(ctx.portal, ctx.events, bot, { userId: ctx.caller.userId, restRevision: ctx.settings.restRevision });
    return true;
  },
});
