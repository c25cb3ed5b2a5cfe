import { secretEquals } from "../domain/secrets.js";
import { EVENT_TYPES } from "../events/types.js";
import type { Bot, KeptSubscription, Portal } from "./state.js";

/**
 * The ONIMBOTV2* subscriptions a portal keeps after a bot stopped using them (spec revisions.md
 * BOT-FIX-0501-1). A bot's current handler is its `webhookUrl`; these rows are the handlers it had
 * before: before REST revision 35 Bot.update and Bot.unregister never unsubscribed, so each one
 * keeps receiving the events of the app's bots until `event.unbind` removes it. From 35 the
 * methods resync (bots-commands-chats.md §2), except for an OAuth app whose other bots share it.
 */

/** The handler id a bot's subscription to one event type has (`event_handler_id` of its POSTs). */
export function handlerIdOf(botId: number, event: string): number {
  return botId * 100 + EVENT_TYPES.indexOf(event as (typeof EVENT_TYPES)[number]) + 1;
}

/** Keeps the bot's current 8 subscriptions (its webhookUrl) as they are when it moves on or goes. */
export function keepSubscriptions(portal: Portal, bot: Bot): void {
  if (bot.eventMode !== "webhook" || !bot.webhookUrl || bot.clientId === null) return;
  const kept = (portal.keptSubscriptions ??= []);
  for (const event of EVENT_TYPES) {
    const row: KeptSubscription = { clientId: bot.clientId, botToken: bot.botToken, event, url: bot.webhookUrl, handlerId: handlerIdOf(bot.id, event) };
    if (!kept.some((k) => k.clientId === row.clientId && k.event === event && k.url === row.url)) kept.push(row);
  }
}

/** The resync of revision 35+: the bot's app holds no subscription beyond the bot's current one. */
export function dropKeptSubscriptions(portal: Portal, bot: Bot): void {
  if (!portal.keptSubscriptions) return;
  portal.keptSubscriptions = portal.keptSubscriptions.filter((row) => !belongsTo(row, bot));
  if (portal.keptSubscriptions.length === 0) delete portal.keptSubscriptions;
}

/** Kept handlers that also get this bot's event: one per URL, never the URL it is delivered to anyway. */
export function keptHandlersFor(portal: Portal, bot: Bot, event: string): KeptSubscription[] {
  const current = bot.eventMode === "webhook" ? bot.webhookUrl : null;
  const seen = new Set<string>();
  return (portal.keptSubscriptions ?? []).filter((row) => {
    if (row.event !== event || row.url === current || seen.has(row.url) || !belongsTo(row, bot)) return false;
    seen.add(row.url);
    return true;
  });
}

/** A rotated botToken takes the bot's kept subscriptions with it, as the portal moves them atomically. */
export function moveKeptSubscriptions(portal: Portal, bot: Bot, newToken: string): void {
  for (const row of portal.keptSubscriptions ?? []) if (row.clientId === bot.clientId) row.botToken = newToken;
}

/**
 * event.unbind of an ONIMBOTV2* event by an app: removes its kept subscriptions to that event (only
 * at `url`, when given), those its bots share through their botToken included; how many went.
 */
export function unbindKeptSubscriptions(portal: Portal, clientId: string, event: string, url: string | undefined): number {
  const kept = portal.keptSubscriptions ?? [];
  const ownedByCaller = heldByApp(portal, clientId);
  const left = kept.filter((row) => !(row.event === event && (url === undefined || row.url === url) && ownedByCaller(row)));
  const removed = kept.length - left.length;
  if (left.length > 0) portal.keptSubscriptions = left;
  else delete portal.keptSubscriptions;
  return removed;
}

/** One ONIMBOTV2* subscription as event.get lists it. */
export interface AppSubscription {
  event: string;
  url: string;
  handlerId: number;
}

/**
 * Every ONIMBOTV2* subscription that POSTs to the app's handlers, one per event and URL, ordered by
 * handler id: its webhook bots' current ones and those kept from earlier handlers. event.get lists
 * them, so what it shows is where the events go.
 */
export function appSubscriptions(portal: Portal, clientId: string): AppSubscription[] {
  const current = Object.values(portal.bots).flatMap((bot) =>
    bot.clientId === clientId && bot.api !== "v1" && bot.eventMode === "webhook" && bot.webhookUrl
      ? EVENT_TYPES.map((event) => ({ event: event as string, url: bot.webhookUrl!, handlerId: handlerIdOf(bot.id, event) }))
      : [],
  );
  const ownedByCaller = heldByApp(portal, clientId);
  const kept = (portal.keptSubscriptions ?? []).filter(ownedByCaller).map(({ event, url, handlerId }) => ({ event, url, handlerId }));
  const seen = new Set<string>();
  return [...current, ...kept]
    .filter((row) => {
      const key = `${row.event} ${row.url}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => a.handlerId - b.handlerId);
}

/** Kept rows the app holds: its own, and those its bots share through their botToken. */
function heldByApp(portal: Portal, clientId: string): (row: KeptSubscription) => boolean {
  const appBots = Object.values(portal.bots).filter((bot) => bot.clientId === clientId);
  return (row) => row.clientId === clientId || appBots.some((bot) => belongsTo(row, bot));
}

/**
 * Whether the bot's app holds the subscription: the same app, or, for a bot a webhook caller
 * registered, the same botToken (the owner identity Bot.list groups by; a bot registered again
 * under that token after a deletion inherits what the deleted one left behind).
 */
function belongsTo(row: KeptSubscription, bot: Bot): boolean {
  if (row.clientId === bot.clientId) return true;
  return row.botToken !== null && bot.botToken !== null && secretEquals(row.botToken, bot.botToken);
}
