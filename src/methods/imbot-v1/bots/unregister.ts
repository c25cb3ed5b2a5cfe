import { publishV1BotDelete } from "../../../events/v1/publish.js";
import { removeBot } from "../../../store/bots.js";
import { without } from "../../../store/lists.js";
import { dropV1HandlersIfUnused, ownerKeyOfBot } from "../../../store/v1-handlers.js";
import { intParam, stringParam } from "../../params/coerce.js";
import { defineMethod } from "../../types.js";
import { requireV1Bot, requireV1Owner, v1Params } from "../common.js";

/**
 * imbot.unregister (spec v1.md §2): ONIMBOTDELETE goes to the owner's handler first, then the bot,
 * its commands and its membership of chats go; the owner's handlers go with its last v1 bot.
 */
export const imbotUnregister = defineMethod({
  name: "imbot.unregister",
  scope: "imbot",
  mutates: true,
  params: v1Params({ BOT_ID: intParam, CLIENT_ID: stringParam }),
  handler(ctx, params) {
    const owner = requireV1Owner(ctx, params.CLIENT_ID);
    const bot = requireV1Bot(ctx, owner, params.BOT_ID);
    ctx.portal.events = without(ctx.portal.events, (event) => event.botId === bot.id);
    if (bot.api === "v1") publishV1BotDelete(ctx.portal, ctx.events, bot, ctx.caller.userId);
    else ctx.events.raise(bot, "ONIMBOTV2DELETE", {});
    removeBot(ctx.portal, bot);
    dropV1HandlersIfUnused(ctx.portal, ownerKeyOfBot(bot));
    return true;
  },
});
