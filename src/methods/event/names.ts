import type { V1HandlerKind } from "../../store/state.js";
import { V1_HANDLER_OF } from "../../events/v1/publish.js";

/** The portal events event.bind can route here: the v1 bot events, each to its handler slot. */
export function handlerSlotOf(event: string): V1HandlerKind | undefined {
  return Object.hasOwn(V1_HANDLER_OF, event) ? V1_HANDLER_OF[event as keyof typeof V1_HANDLER_OF] : undefined;
}

export function eventNameOf(kind: V1HandlerKind): string {
  return Object.entries(V1_HANDLER_OF).find(([, slot]) => slot === kind)![0];
}
