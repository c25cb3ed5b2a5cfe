import type { MethodDefinition } from "../types.js";
import { imChatGet } from "../imbot-v1/chats/add.js";
import { imDialogMessagesGet, imMessageAdd, imMessageDelete, imMessageUpdate } from "./messages.js";
import { imUserGet, userCurrent } from "./users.js";
import { userGet } from "./user-get.js";

/** The generic user and chat methods bots call beside imbot (spec v1.md §8). */
export const imMethods: readonly MethodDefinition[] = [userCurrent, userGet, imUserGet, imDialogMessagesGet, imMessageAdd, imMessageUpdate, imMessageDelete, imChatGet] as MethodDefinition[];
