import { publishV1BotDelete } from "../../../events/v1/publish.js";
import { removeBot } from "../../../store/bots.js";
import { without } from "../../../store/lists.js";
import { dropV1HandlersIfUnused, ownerKeyOfBot } from "../../../store/v1-handlers.js";
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
    ctx.portal.events = without(ctx.portal.events, (event) => event.botId === bot.id);
    if (bot.api === "v1") publishV1BotDelete(ctx.portal, ctx.events, bot, ctx.caller.userId);
    else ctx.events.raise(bot, "ONIMBOTV2DELETE", {});
    removeBot(ctx.portal, bot);
    dropV1HandlersIfUnused(ctx.portal, ownerKeyOfBot(bot));
    return true;
  },
});
