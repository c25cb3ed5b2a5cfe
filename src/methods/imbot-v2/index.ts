import type { MethodDefinition } from "../types.js";
import { botMethods } from "./bots/index.js";
import { chatMethods } from "./chats/index.js";
import { commandMethods } from "./commands/index.js";
import { eventMethods } from "./events/index.js";
import { fileMethods } from "./files/index.js";
import { messageMethods } from "./messages/index.js";
import { revisionMethods } from "./revision/index.js";

/** imbot.v2.*: one family per folder, each folder's index lists its methods. */
export const imbotV2Methods: readonly MethodDefinition[] = [
  ...botMethods,
  ...commandMethods,
  ...messageMethods,
  ...chatMethods,
  ...eventMethods,
  ...fileMethods,
  ...revisionMethods,
];
