import type { Change } from "./change-tracker.js";
import type { State } from "./state.js";

/** The ids of a portal's messages a commit wrote or removed, or "all" when it replaced them wholesale. */
export type TouchedMessages = ReadonlySet<number> | "all";

/**
 * Which messages of which portals a commit changed, read off the paths it wrote: message waits then
 * look only at those instead of every message of the portal. A portal created, replaced or removed
 * whole (or the message map itself) counts as "all" of its messages.
 */
export function touchedMessages(changes: readonly Change[], state: State): Map<string, TouchedMessages> {
  const touched = new Map<string, Set<number> | "all">();
  const touchAll = (portalId: string) => touched.set(portalId, "all");
  for (const { path } of changes) {
    if (path.length === 0 || (path.length === 1 && path[0] === "portals")) {
      for (const portalId of Object.keys(state.portals)) touchAll(portalId);
      continue;
    }
    if (path[0] !== "portals" || path.length < 2) continue;
    const portalId = path[1]!;
    if (path.length === 2 || (path.length === 3 && path[2] === "messages")) touchAll(portalId);
    else if (path[2] === "messages") {
      let ids = touched.get(portalId);
      if (ids === "all") continue;
      if (!ids) touched.set(portalId, (ids = new Set()));
      ids.add(Number(path[3]));
    }
  }
  return touched;
}
