import type { MethodDefinition } from "../../types.js";
import { revisionGet } from "./get.js";

/** imbot.v2.Revision.* */
export const revisionMethods: readonly MethodDefinition[] = [revisionGet] as MethodDefinition[];
