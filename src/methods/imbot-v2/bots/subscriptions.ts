import { SYNTHETIC_CLIENT_PREFIX } from "../../../domain/app-id.js";
import { dropKeptSubscriptions, keepSubscriptions } from "../../../store/kept-subscriptions.js";
import type { Bot, Portal } from "../../../store/state.js";
import type { MethodContext } from "../../types.js";

/** The first REST revision whose Bot.update and Bot.unregister resync subscriptions (BOT-FIX-0501-1). */
const RESYNC_FROM_REVISION = 35;

/**
 * What Bot.update does to the bot's ONIMBOTV2* subscriptions, called before the bot changes
 * (spec bots-commands-chats.md §2): a change of URL or mode resyncs them from revision 35; before,
 * the handler the bot leaves stays subscribed. Changes of other fields leave them alone.
 */
export function subscriptionsOnUpdate(ctx: MethodContext, bot: Bot, next: Pick<Bot, "eventMode" | "webhookUrl">): void {
  if (next.eventMode === bot.eventMode && next.webhookUrl === bot.webhookUrl) return;
  if (resyncs(ctx.portal, ctx.settings.restRevision, bot)) dropKeptSubscriptions(ctx.portal, bot);
  else keepSubscriptions(ctx.portal, bot);
}

/** What unregistering does to them: removed from revision 35; before, the deleted bot's handler stays subscribed. */
export function subscriptionsOnUnregister(portal: Portal, restRevision: number, bot: Bot): void {
  if (resyncs(portal, restRevision, bot)) dropKeptSubscriptions(portal, bot);
  else keepSubscriptions(portal, bot);
}

/**
 * Revision 35 resyncs, except for an OAuth app whose other bots share its subscriptions (spec §2,
 * §5): removing them would cut those bots off, so the portal leaves them as they were.
 */
function resyncs(portal: Portal, restRevision: number, bot: Bot): boolean {
  if (restRevision < RESYNC_FROM_REVISION) return false;
  return !sharesApp(portal, bot);
}

function sharesApp(portal: Portal, bot: Bot): boolean {
  if (bot.clientId === null || bot.clientId.startsWith(SYNTHETIC_CLIENT_PREFIX)) return false;
  return Object.values(portal.bots).some((other) => other.id !== bot.id && other.clientId === bot.clientId);
}
