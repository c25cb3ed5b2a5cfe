import { dialogIdFor } from "../domain/dialog-id.js";
import type { Portal } from "../store/state.js";

/** A "typing" (or agent status) indicator a bot shows, as the control API reports it. */
export interface InputActionView {
  /** The chat as the bot names it: `chatN`, or for a 1:1 dialog the other user's id. */
  dialogId: string;
  chatId: number;
  botId: number;
  /** The `statusMessageCode` (IMBOT_AGENT_ACTION_*), or `""` for plain typing. */
  code: string;
  /** When the indicator lapses (ISO 8601, UTC). */
  until: string;
}

/**
 * The indicators Chat.InputAction.notify left that are still showing at `now` (the portal's clock),
 * oldest first: what a person looking at the chat would see.
 */
export function liveInputActions(portal: Portal, now: Date): InputActionView[] {
  return (portal.inputActions ?? [])
    .filter((action) => Date.parse(action.until) > now.getTime())
    .flatMap((action) => {
      const chat = portal.chats[action.chatId];
      if (!chat) return [];
      return [{ dialogId: dialogIdFor(chat, action.botId), chatId: action.chatId, botId: action.botId, code: action.code, until: action.until }];
    });
}
