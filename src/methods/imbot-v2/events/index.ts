import type { MethodDefinition } from "../../types.js";
import { eventGet } from "./get.js";

/** imbot.v2.Event.* */
export const eventMethods: readonly MethodDefinition[] = [eventGet] as MethodDefinition[];
