import type { MethodDefinition } from "../types.js";
import { profile, scope, serverTime } from "./basics.js";

/** Portal-wide methods clients call to check a connection. */
export const portalMethods: readonly MethodDefinition[] = [serverTime, profile, scope] as MethodDefinition[];
