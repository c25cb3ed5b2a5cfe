import { joinedAfter } from "./chats.js";
import type { Chat, Portal } from "./state.js";

/**
 * Moves `readerId`'s read mark in the chat up to `upToId` (never back) and notes when. Answers the
 * ids of other people's messages it newly read, ascending; each is then `viewedByOthers`.
 */
export function markRead(portal: Portal, chat: Chat, readerId: number, upToId: number, now: Date): number[] {
  const marks = (chat.lastRead ??= {});
  const before = marks[readerId] ?? 0;
  if (upToId <= before) return [];
  marks[readerId] = upToId;
  // What came before the reader joined was never theirs to see.
  const seenFrom = Math.max(before, joinedAfter(chat, readerId));
  (chat.lastReadAt ??= {})[readerId] = now.toISOString();
  const viewed: number[] = [];
  for (const message of Object.values(portal.messages)) {
    if (message.chatId !== chat.id || message.id <= seenFrom || message.id > upToId || message.deleted) continue;
    if (message.authorId === readerId) continue;
    message.viewedByOthers = true;
    viewed.push(message.id);
  }
  return viewed.sort((a, b) => a - b);
}

/** Other people's messages in the chat after `readerId`'s read mark, oldest first. */
function unreadMessageIds(portal: Portal, chat: Chat, readerId: number): number[] {
  const mark = Math.max(chat.lastRead?.[readerId] ?? 0, joinedAfter(chat, readerId));
  const ids: number[] = [];
  for (const message of Object.values(portal.messages)) {
    if (message.chatId === chat.id && message.id > mark && !message.deleted && message.authorId !== readerId) ids.push(message.id);
  }
  return ids.sort((a, b) => a - b);
}

export function unreadCount(portal: Portal, chat: Chat, readerId: number): number {
  return unreadMessageIds(portal, chat, readerId).length;
}

/** The oldest message `readerId` has not read in the chat; 0 when nothing is unread. */
export function firstUnreadId(portal: Portal, chat: Chat, readerId: number): number {
  return unreadMessageIds(portal, chat, readerId)[0] ?? 0;
}

/**
 * Members other than its author who have read the chat's last message, in the order they read it.
 * A read mark reaching the last message was last moved when it got there, so its time is the view's
 * (`null` for marks stored before the emulator noted times).
 */
export function viewersOfLastMessage(portal: Portal, chat: Chat): { userId: number; date: string | null }[] {
  const last = portal.messages[chat.lastMessageId];
  if (!last) return [];
  const viewers = Object.entries(chat.lastRead ?? {})
    .map(([id, mark]) => ({ userId: Number(id), mark, date: chat.lastReadAt?.[id] ?? null }))
    .filter((v) => v.mark >= last.id && v.userId !== last.authorId && chat.members.includes(v.userId));
  return viewers
    .sort((a, b) => (a.date ?? "").localeCompare(b.date ?? "") || a.userId - b.userId)
    .map(({ userId, date }) => ({ userId, date }));
}
