import { parseDialogId } from "../domain/dialog-id.js";
import type { Portal } from "../store/state.js";

/**
 * A bare number names the 1:1 dialog with that user; a newcomer who means group chat 5 writes "5"
 * and gets "no chat". When a group chat has that id, say how to name it.
 */
export function dialogHint(portal: Portal, dialogId: string): string {
  const ref = parseDialogId(dialogId);
  if (ref?.kind !== "user") return "";
  const chat = portal.chats[ref.userId];
  if (!chat || chat.type === "private") return "";
  return ` ("${dialogId}" names the 1:1 dialog with user ${dialogId}; group chat ${chat.id} is "chat${chat.id}")`;
}
