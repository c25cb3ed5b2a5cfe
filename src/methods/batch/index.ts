import type { MethodDefinition } from "../types.js";
import { batch } from "./batch.js";

/** `batch`: many calls in one request. */
export const batchMethods: readonly MethodDefinition[] = [batch] as MethodDefinition[];
