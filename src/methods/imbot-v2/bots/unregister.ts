import { intParam, stringParam } from "../../params/coerce.js";
import { booleanResult, defineMethod } from "../../types.js";
import { unregisterBot } from "../../bot-removal.js";
import { botParams, requireOwnedBot } from "./access.js";
import { requireWebhookToken } from "./fields.js";

/**
 * imbot.v2.Bot.unregister (spec bots-commands-chats.md §5). The bot hears ONIMBOTV2DELETE as its
 * last event, then its commands, answer windows, queued events and (from revision 35) subscriptions
 * go. Its user record stays, inactive, because messages keep naming their author.
 */
export const botUnregister = defineMethod({
  name: "imbot.v2.Bot.unregister",
  scope: "imbot",
  mutates: true,
  params: botParams({ botId: intParam, botToken: stringParam }),
  handler(ctx, params) {
    requireWebhookToken(ctx, params.botToken);
    const bot = requireOwnedBot(ctx, params);
    unregisterBot(ctx.portal, ctx.events, bot, { userId: ctx.caller.userId, restRevision: ctx.settings.restRevision });
    return booleanResult(ctx);
  },
});
