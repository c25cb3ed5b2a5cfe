import type { MethodDefinition } from "../../types.js";
import { imbotChatAdd, imbotChatGet } from "./add.js";
import { imbotDialogGet } from "./dialog.js";
import {
  imbotChatLeave,
  imbotChatSetManager,
  imbotChatSetOwner,
  imbotChatUpdateAvatar,
  imbotChatUpdateColor,
  imbotChatUpdateTitle,
  imbotChatUserAdd,
  imbotChatUserDelete,
  imbotChatUserList,
} from "./members.js";

/** imbot.chat.* and imbot.dialog.get */
export const chatMethods: readonly MethodDefinition[] = [
  imbotChatAdd,
  imbotChatGet,
  imbotChatLeave,
  imbotChatUserAdd,
  imbotChatUserDelete,
  imbotChatUserList,
  imbotChatSetOwner,
  imbotChatSetManager,
  imbotChatUpdateTitle,
  imbotChatUpdateColor,
  imbotChatUpdateAvatar,
  imbotDialogGet,
] as MethodDefinition[];
