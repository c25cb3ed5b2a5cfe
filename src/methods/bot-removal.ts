import type { EventSink } from "../events/sink.js";
import { publishV1BotDelete } from "../events/v1/publish.js";
import { removeBot } from "../store/bots.js";
import { without } from "../store/lists.js";
import type { Bot, Portal } from "../store/state.js";
import { dropV1HandlersIfUnused, ownerKeyOfBot } from "../store/v1-handlers.js";
import { subscriptionsOnUnregister } from "./imbot-v2/bots/subscriptions.js";

/** Who asks for the removal and under which REST revision (it decides what happens to subscriptions). */
export interface BotRemoval {
  /** The acting person, named in a v1 deletion event's auth. */
  userId: number;
  restRevision: number;
}

/**
 * The portal's one way of deleting a bot, whoever asks: imbot.unregister, imbot.v2.Bot.unregister,
 * or the removal of the bot's app (spec oauth.md §7). Unread events die with the bot; it hears its
 * deletion last, in its own API's words (ONIMBOTDELETE at the owner's v1 handler, ONIMBOTV2DELETE
 * otherwise; spec OPEN-E4 keeps a fetch bot's one queued); then its subscriptions follow the
 * revision's rule, the bot goes, and a v1 owner's handlers go with its last v1 bot.
 */
export function unregisterBot(portal: Portal, sink: EventSink, bot: Bot, removal: BotRemoval): void {
  portal.events = without(portal.events, (event) => event.botId === bot.id);
  if (bot.api === "v1") publishV1BotDelete(portal, sink, bot, removal.userId);
  else sink.raise(bot, "ONIMBOTV2DELETE", {});
  subscriptionsOnUnregister(portal, removal.restRevision, bot);
  removeBot(portal, bot);
  dropV1HandlersIfUnused(portal, ownerKeyOfBot(bot));
}
