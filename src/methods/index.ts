import { batchMethods } from "./batch/index.js";
import { eventMethods } from "./event/index.js";
import { imMethods } from "./im/index.js";
import { imbotV1Methods } from "./imbot-v1/index.js";
import { imbotV2Methods } from "./imbot-v2/index.js";
import { portalMethods } from "./portal/index.js";
import type { MethodDefinition } from "./types.js";

/**
 * Every emulated REST method. Each family is a folder: one file per method (or per small group of
 * methods), the readers the family shares, and an `index.ts` exporting the family's list. A new
 * family (imbot v1, OAuth's app.*, im.*) is one folder and one line here.
 */
export const ALL_METHODS: readonly MethodDefinition[] = [...imbotV2Methods, ...imbotV1Methods, ...imMethods, ...eventMethods, ...batchMethods, ...portalMethods];
