import type { MethodDefinition } from "../types.js";
import { imbotBotList } from "./bots/list.js";
import { imbotRegister } from "./bots/register.js";
import { imbotUnregister } from "./bots/unregister.js";
import { imbotUpdate } from "./bots/update.js";
import { chatMethods } from "./chats/index.js";
import { commandMethods } from "./commands/index.js";
import { imbotMessageAdd } from "./messages/add.js";
import { imbotMessageLike } from "./messages/like.js";
import { imbotChatSendTyping, imbotMessageDelete } from "./messages/delete.js";
import { imbotMessageUpdate } from "./messages/update.js";

/** imbot v1 (`imbot.*`): another face of the same bots, commands, chats and messages (spec v1.md). */
export const imbotV1Methods: readonly MethodDefinition[] = [
  imbotRegister,
  imbotUpdate,
  imbotUnregister,
  imbotBotList,
  imbotMessageAdd,
  imbotMessageUpdate,
  imbotMessageDelete,
  imbotMessageLike,
  imbotChatSendTyping,
  ...commandMethods,
  ...chatMethods,
] as MethodDefinition[];
