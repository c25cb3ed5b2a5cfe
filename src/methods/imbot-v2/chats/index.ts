import type { MethodDefinition } from "../../types.js";
import { add } from "./add.js";
import { chatLeave, chatSetOwner, chatUpdate, managerAdd, managerDelete } from "./manage.js";
import { inputActionNotify, textFieldEnabled } from "./ui.js";
import { get } from "./get.js";
import { userAdd, userDelete, userList } from "./users.js";

/** imbot.v2.Chat.* */
export const chatMethods: readonly MethodDefinition[] = [add, get, userAdd, userDelete, userList, inputActionNotify, textFieldEnabled, chatUpdate, chatLeave, chatSetOwner, managerAdd, managerDelete] as MethodDefinition[];
