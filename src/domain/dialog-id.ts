/** A dialogId names a group chat ("chat5") or a 1:1 dialog by the counterpart's user id ("5"). */
export type DialogRef = { kind: "chat"; chatId: number } | { kind: "user"; userId: number };

/** Accepts exactly `^[1-9]\d*$` and `^chat[1-9]\d*$` (spec OPEN-R7); anything else is no dialog. */
export function parseDialogId(dialogId: string): DialogRef | null {
  const chat = /^chat([1-9]\d{0,15})$/.exec(dialogId);
  if (chat) return { kind: "chat", chatId: Number(chat[1]) };
  if (/^[1-9]\d{0,15}$/.test(dialogId)) return { kind: "user", userId: Number(dialogId) };
  return null;
}

/** How `viewerId` names the chat: "chatN", or the counterpart's id for a 1:1 chat. */
export function dialogIdFor(chat: { id: number; type: string; members: readonly number[] }, viewerId: number): string {
  if (chat.type !== "private") return `chat${chat.id}`;
  const other = chat.members.find((m) => m !== viewerId);
  return String(other ?? chat.id);
}

/**
 * The dialogIds under which `viewerId` may name a chat: "chatN" always; for a 1:1 chat also the
 * counterpart's user id, which is what events carry.
 */
export function dialogIdsOf(chat: { id: number; type: string; members: readonly number[] }, viewerId: number): string[] {
  const ids = [`chat${chat.id}`];
  if (chat.type === "private") {
    for (const member of chat.members) if (member !== viewerId) ids.push(String(member));
  }
  return ids;
}
