import type { MethodDefinition } from "../types.js";
import { eventBind, eventUnbind } from "./bind.js";
import { eventGet } from "./get.js";
import { eventOfflineGet } from "./offline.js";

/** event.* for an application's v1 bot handlers (spec v1.md §8, OPEN-V15). */
export const eventMethods: readonly MethodDefinition[] = [eventBind, eventUnbind, eventGet, eventOfflineGet] as MethodDefinition[];
