import { without } from "../../../store/lists.js";
import { EmulatorError } from "../../../errors/emulator-error.js";
import { boolParam, boundParam } from "../../params/coerce.js";
import { bindOptionalInt } from "../../params/binder.js";
import type { Portal, StoredEvent } from "../../../store/state.js";
import { isoWithOffsetFromIso } from "../../../domain/dates.js";
import type { MethodContext } from "../../types.js";
import { legacyNote, pastSunset } from "../../../domain/bc-sunset.js";
import { defineBotMethod } from "../define.js";

export const DEFAULT_EVENT_LIMIT = 100;
export const MAX_EVENT_LIMIT = 1000;

/**
 * imbot.v2.Event.get (spec events.md §2): a fetch-mode bot reads its event queue.
 *
 * `offset` confirms: every queued event of the bot with an id below it is deleted for good. The page
 * is then the oldest unconfirmed events, ascending, at most `limit` of them; without `offset`
 * nothing is confirmed and the same events come again (at-least-once). As the portal's EventService
 * answers (spec v2-complete.md §4 c): `nextOffset` starts at the offset sent (0 if none) and becomes
 * the last returned id + 1; `hasMore` is "the page is full" (true on an exactly full last page);
 * events are deleted 24 hours after they were raised, read or not. Webhook-mode bots get an empty page. User events (`withUserEvents`) are not emulated:
 * the flag is checked for the `im` scope and otherwise adds nothing.
 */
export const eventGet = defineBotMethod({
  name: "imbot.v2.Event.get",
  mutates: true,
  params: {
    offset: boundParam("int"),
    limit: boundParam("int"),
    withUserEvents: boolParam(false),
  },
  handler(ctx, params, bot) {
    const offset = readOffset(params.offset);
    const limit = readLimit(params.limit);
    if (params.withUserEvents && !ctx.caller.scopes.includes("im")) {
      throw new EmulatorError("SCOPE_ERROR", "withUserEvents needs the im scope, which this webhook or application lacks");
    }
    if (params.withUserEvents) {
      ctx.log.info("Event.get: withUserEvents asks for im.v2 user events, which the emulator does not produce; none added");
    }

    const legacy = servesLastEventId(ctx);

    if (bot.eventMode !== "fetch") {
      ctx.log.info(`Event.get: bot ${bot.id} is in webhook mode; its events are posted to its handler, the queue stays empty`);
      return { events: [], nextOffset: offset ?? 0, hasMore: false, ...(legacy ? { lastEventId: null } : {}) };
    }

    dropExpired(ctx.portal, ctx.now);
    if (offset !== undefined) confirm(ctx.portal, bot.id, offset);

    const confirmedBelow = ctx.portal.eventCursor?.[bot.id] ?? 0;
    const queued = servableNow(
      ctx.portal.events.filter((e) => e.botId === bot.id && e.eventId >= confirmedBelow).sort((a, b) => a.eventId - b.eventId),
      ctx.now,
    );
    const page = queued.slice(0, limit);
    const last = page.at(-1);
    return {
      events: page.map(eventView),
      nextOffset: last ? last.eventId + 1 : (offset ?? 0),
      hasMore: page.length >= limit,
      ...(legacy ? { lastEventId: last?.eventId ?? null } : {}),
    };
  },
});

/**
 * Moves the bot's ack cursor forward (never back): its events below it are confirmed, i.e. gone.
 * They leave the queue list only once confirmed events are most of it, because rewriting the list
 * on every poll would make each confirmation cost the whole queue in the write-ahead log.
 */
function confirm(portal: Portal, botId: number, offset: number): void {
  const cursors = (portal.eventCursor ??= {});
  cursors[botId] = Math.max(cursors[botId] ?? 0, offset);
  const isConfirmed = (e: StoredEvent) => e.eventId < (cursors[e.botId] ?? 0);
  const confirmed = portal.events.reduce((n, e) => n + (isConfirmed(e) ? 1 : 0), 0);
  if (confirmed >= 256 && confirmed * 2 >= portal.events.length) portal.events = without(portal.events, isConfirmed);
}

/**
 * `lastEventId` goes out only with `eventGetLegacy`, and no more once its end of support is past
 * when that is enforced; whenever it does, the conformance report notes the client got a legacy field.
 */
function servesLastEventId(ctx: MethodContext): boolean {
  if (!ctx.settings.eventGetLegacy || pastSunset("last-event-id", ctx.now, ctx.settings.enforceBcSunset)) return false;
  ctx.flag({
    rule: "deprecated-last-event-id",
    param: "lastEventId",
    detail: `the answer carries lastEventId (${legacyNote("last-event-id")}); page with nextOffset`,
  });
  return true;
}

/**
 * The queue up to the first event a delay fault still holds back: later events wait behind it, as
 * they do behind a delayed webhook, so confirming them can never skip it unseen.
 */
function servableNow(queue: StoredEvent[], now: Date): StoredEvent[] {
  const held = queue.findIndex((e) => e.heldUntil !== undefined && Date.parse(e.heldUntil) > now.getTime());
  return held === -1 ? queue : queue.slice(0, held);
}

/** Queued events live 24 hours (the portal's cleaning agent); older ones are gone, read or not. */
export const EVENT_LIFETIME_MS = 24 * 3600 * 1000;

function dropExpired(portal: Portal, now: Date): void {
  const oldest = now.getTime() - EVENT_LIFETIME_MS;
  const expired = (e: StoredEvent) => Date.parse(e.date) <= oldest;
  // Queues are oldest first, so a look at the head tells whether there is anything to drop.
  if (portal.events.length > 0 && expired(portal.events[0]!)) portal.events = without(portal.events, expired);
}

/**
 * Omitted or not a positive id: nothing to confirm (the first call of a client). Both are int
 * parameters of the portal's action, so text that is not an integer is the binder's `"100"`.
 */
function readOffset(value: unknown): number | undefined {
  const offset = bindOptionalInt(value, "offset", 0);
  return offset > 0 ? offset : undefined;
}

/** Default 100; anything given is clamped into 1..1000 (OPEN-E2). */
function readLimit(value: unknown): number {
  return Math.min(MAX_EVENT_LIMIT, Math.max(1, bindOptionalInt(value, "limit", DEFAULT_EVENT_LIMIT)));
}

function eventView(event: StoredEvent): Record<string, unknown> {
  return { eventId: event.eventId, type: event.type, date: isoWithOffsetFromIso(event.date), data: event.data };
}


