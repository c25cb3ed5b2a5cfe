import type { MethodDefinition } from "../../types.js";
import { remove } from "./delete.js";
import { send } from "./send.js";
import { update } from "./update.js";

/** imbot.v2.Chat.Message.* */
export const messageMethods: readonly MethodDefinition[] = [send, update, remove] as MethodDefinition[];
