import type { Message } from "./state.js";

/**
 * A COMMAND button with `BLOCK: "Y"` is blocked for a person once they pressed it, until the bot
 * replaces the message's keyboard (docs `message-keyboards.md`; the server does not check it, the
 * client does, so the emulator keeps it for the control API: spec v2-complete §4 j, OPEN-N7).
 */
const key = (userId: number, buttonIndex: number) => `${userId}:${buttonIndex}`;

export function isPressBlocked(message: Message, userId: number, buttonIndex: number): boolean {
  return message.blockedPresses?.includes(key(userId, buttonIndex)) ?? false;
}

export function recordBlockedPress(message: Message, userId: number, buttonIndex: number): void {
  if (isPressBlocked(message, userId, buttonIndex)) return;
  message.blockedPresses = [...(message.blockedPresses ?? []), key(userId, buttonIndex)];
}

/** A new keyboard (or none) unblocks every button. */
export function clearBlockedPresses(message: Message): void {
  delete message.blockedPresses;
}
