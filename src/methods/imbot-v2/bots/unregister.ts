import { without } from "../../../store/lists.js";
import { removeBot } from "../../../store/bots.js";
import { intParam, stringParam } from "../../params/coerce.js";
import { booleanResult, defineMethod } from "../../types.js";
import { botParams, requireOwnedBot } from "./access.js";
import { requireWebhookToken } from "./fields.js";
import { subscriptionsOnUnregister } from "./subscriptions.js";

/**
 * imbot.v2.Bot.unregister (spec bots-commands-chats.md §5). The bot hears ONIMBOTV2DELETE as its
 * last event, then its commands, answer windows and queued events go. Its user record stays,
 * inactive, because messages keep naming their author.
 */
export const botUnregister = defineMethod({
  name: "imbot.v2.Bot.unregister",
  scope: "imbot",
  mutates: true,
  params: botParams({ botId: intParam, botToken: stringParam }),
  handler(ctx, params) {
    requireWebhookToken(ctx, params.botToken);
    const bot = requireOwnedBot(ctx, params);
    const portal = ctx.portal;

    // Unread events die with the bot; the DELETE event raised next stays queued for fetch bots
    // (spec OPEN-E4: Event.get answers BOT_NOT_FOUND afterwards, the control API still shows it).
    portal.events = without(portal.events, (event) => event.botId === bot.id);
    ctx.events.raise(bot, "ONIMBOTV2DELETE", {});
    subscriptionsOnUnregister(ctx, bot);
    removeBot(portal, bot);
    return booleanResult(ctx);
  },
});
