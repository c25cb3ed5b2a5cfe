import { anyParam, toBool, toInt } from "../params/coerce.js";
import { defineMethod } from "../types.js";
import { v1Params } from "../imbot-v1/common.js";
import { takeV1OfflineEvents } from "../../store/v1-offline.js";
import { isoWithOffsetFromIso } from "../../domain/dates.js";
import { requireAppOwner } from "./common.js";

const DEFAULT_LIMIT = 50;

/**
 * event.offline.get: the oldest `limit` events the application bound with `event_type` offline, as
 * the queue holds them; `clear` (default 1) takes them off it. FILTER, ORDER, PROCESS_ID and ERROR
 * are read and ignored: the queue is answered oldest first, and nothing in it is ever in error.
 */
export const eventOfflineGet = defineMethod({
  name: "event.offline.get",
  scope: "",
  mutates: true,
  params: v1Params({ LIMIT: anyParam, CLEAR: anyParam, FILTER: anyParam, ORDER: anyParam, PROCESS_ID: anyParam, ERROR: anyParam }),
  handler(ctx, params) {
    const owner = requireAppOwner(ctx);
    const given = toInt(params.LIMIT);
    const limit = given > 0 ? given : DEFAULT_LIMIT;
    const events = takeV1OfflineEvents(ctx.portal, owner, limit, toBool(params.CLEAR, true));
    return {
      SERVER_TIME: isoWithOffsetFromIso(ctx.now.toISOString()),
      PROCESS_ID: events.length > 0 ? `offline${events[0]!.id}` : "",
      events: events.map((event) => ({
        ID: String(event.id),
        TIMESTAMP_X: isoWithOffsetFromIso(event.date),
        EVENT_NAME: event.event,
        EVENT_DATA: event.data,
        EVENT_ADDITIONAL: { user_id: String(event.userId) },
        MESSAGE_ID: String(event.id),
      })),
    };
  },
});
