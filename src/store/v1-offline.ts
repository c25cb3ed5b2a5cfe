import type { Portal, V1OfflineEvent } from "./state.js";
import type { V1OwnerKey } from "./v1-handlers.js";

/** An application's offline queue keeps its newest events up to this many; older ones are dropped. */
export const MAX_OFFLINE_EVENTS_PER_OWNER = 1000;

/** Queues an event of an offline binding (event.bind with `event_type` offline) for event.offline.get. */
export function queueV1OfflineEvent(portal: Portal, owner: V1OwnerKey, event: Omit<V1OfflineEvent, "owner">): void {
  const queue = (portal.v1OfflineEvents ??= []);
  queue.push({ owner, ...event });
  const mine = queue.filter((e) => e.owner === owner);
  if (mine.length > MAX_OFFLINE_EVENTS_PER_OWNER) {
    const oldest = mine[0]!;
    portal.v1OfflineEvents = queue.filter((e) => e !== oldest);
  }
}

/** The owner's oldest `limit` offline events; `clear` takes them off the queue. */
export function takeV1OfflineEvents(portal: Portal, owner: V1OwnerKey, limit: number, clear: boolean): V1OfflineEvent[] {
  const queue = portal.v1OfflineEvents ?? [];
  const taken = queue.filter((e) => e.owner === owner).slice(0, limit);
  if (clear && taken.length > 0) {
    const gone = new Set(taken.map((e) => e.id));
    portal.v1OfflineEvents = queue.filter((e) => !gone.has(e.id));
  }
  return taken;
}
