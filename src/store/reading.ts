import type { Chat, Portal } from "./state.js";

/**
 * Moves `readerId`'s read mark in the chat up to `upToId` (never back). Answers the ids of other
 * people's messages it newly read, ascending; each is then `viewedByOthers`.
 */
export function markRead(portal: Portal, chat: Chat, readerId: number, upToId: number): number[] {
  const marks = (chat.lastRead ??= {});
  const before = marks[readerId] ?? 0;
  if (upToId <= before) return [];
  marks[readerId] = upToId;
  const viewed: number[] = [];
  for (const message of Object.values(portal.messages)) {
    if (message.chatId !== chat.id || message.id <= before || message.id > upToId || message.deleted) continue;
    if (message.authorId === readerId) continue;
    message.viewedByOthers = true;
    viewed.push(message.id);
  }
  return viewed.sort((a, b) => a - b);
}

/** Other people's messages in the chat after `readerId`'s read mark. */
export function unreadCount(portal: Portal, chat: Chat, readerId: number): number {
  const mark = chat.lastRead?.[readerId] ?? 0;
  let count = 0;
  for (const message of Object.values(portal.messages)) {
    if (message.chatId === chat.id && message.id > mark && !message.deleted && message.authorId !== readerId) count++;
  }
  return count;
}
