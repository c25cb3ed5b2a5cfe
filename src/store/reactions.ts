import type { Message } from "./state.js";

/** Whether `userId` has set `code` on the message. */
export function hasReaction(message: Message, userId: number, code: string): boolean {
  return message.reactions?.[code]?.includes(userId) ?? false;
}

/**
 * Sets or removes one person's reaction; several codes may coexist on one message. The map is
 * replaced, never changed in place, so the event stream sees the change by reference.
 */
export function setReaction(message: Message, userId: number, code: string, on: boolean): void {
  const reactions = { ...message.reactions };
  const users = (reactions[code] ?? []).filter((id) => id !== userId);
  if (on) users.push(userId);
  if (users.length > 0) reactions[code] = users;
  else delete reactions[code];
  message.reactions = reactions;
}
