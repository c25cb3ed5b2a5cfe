import type { MethodDefinition } from "../../types.js";
import { remove } from "./delete.js";
import { messageGet, messageGetContext } from "./get.js";
import { reactionAdd, reactionDelete } from "./reactions.js";
import { messageRead } from "./read.js";
import { send } from "./send.js";
import { update } from "./update.js";

/** imbot.v2.Chat.Message.* */
export const messageMethods: readonly MethodDefinition[] = [send, update, remove, messageRead, reactionAdd, reactionDelete, messageGet, messageGetContext] as MethodDefinition[];
