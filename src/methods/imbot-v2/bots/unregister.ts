import { without } from "../../../store/lists.js";
import { z } from "zod";
import { intParam, stringParam } from "../../params/coerce.js";
import { booleanResult, defineMethod } from "../../types.js";
import { requireOwnedBot } from "./access.js";
import { requireWebhookToken } from "./fields.js";

/**
 * imbot.v2.Bot.unregister (spec bots-commands-chats.md §5). The bot hears ONIMBOTV2DELETE as its
 * last event, then its commands, answer windows and queued events go. Its user record stays,
 * inactive, because messages keep naming their author.
 */
export const botUnregister = defineMethod({
  name: "imbot.v2.Bot.unregister",
  scope: "imbot",
  mutates: true,
  params: z.object({ botId: intParam, botToken: stringParam }),
  handler(ctx, params) {
    requireWebhookToken(ctx, params.botToken);
    const bot = requireOwnedBot(ctx, params);
    const portal = ctx.portal;

    // Unread events die with the bot; the DELETE event raised next stays queued for fetch bots
    // (spec OPEN-E4: Event.get answers BOT_NOT_FOUND afterwards, the control API still shows it).
    portal.events = without(portal.events, (event) => event.botId === bot.id);
    ctx.events.raise(bot, "ONIMBOTV2DELETE", {});

    for (const command of Object.values(portal.commands)) {
      if (command.botId === bot.id) delete portal.commands[command.id];
    }
    portal.answerGrants = without(portal.answerGrants, (grant) => grant.botId === bot.id);
    for (const chat of Object.values(portal.chats)) {
      chat.members = without(chat.members, (id) => id === bot.id);
      chat.managers = without(chat.managers, (id) => id === bot.id);
    }
    const user = portal.users[bot.id];
    if (user) user.active = false;
    delete portal.bots[bot.id];
    return booleanResult(ctx);
  },
});
