import { without } from "./lists.js";
import type { Chat, Portal } from "./state.js";

export interface ChatDraft {
  type: Chat["type"];
  ownerId: number;
  members: number[];
  title?: string;
  description?: string;
  color?: string;
  entityType?: string;
  entityId?: string;
}

/** Stores a new chat with the next id; counters start empty. */
export function addChat(portal: Portal, draft: ChatDraft, now: Date): Chat {
  const id = ++portal.seq.chat;
  const chat: Chat = {
    id,
    type: draft.type,
    title: draft.title ?? "",
    description: draft.description ?? "",
    color: draft.color ?? "#4ba984",
    ownerId: draft.ownerId,
    members: draft.members,
    managers: [],
    ...(draft.entityType !== undefined ? { entityType: draft.entityType } : {}),
    ...(draft.entityId !== undefined ? { entityId: draft.entityId } : {}),
    dateCreate: now.toISOString(),
    lastMessageId: 0,
    messageCount: 0,
  };
  portal.chats[id] = chat;
  return portal.chats[id] as Chat;
}

/** The 1:1 dialog between two people (either may be a bot), if it exists. */
export function findPrivateChat(portal: Portal, a: number, b: number): Chat | undefined {
  return Object.values(portal.chats).find(
    (c) => c.type === "private" && c.members.length === 2 && c.members.includes(a) && c.members.includes(b),
  );
}

/**
 * Deletes a chat with everything that lives in it: its messages, the files shared there (and their
 * download links), answer windows and "typing" notices. Nothing outside the portal refers to it.
 */
export function removeChat(portal: Portal, chat: Chat): void {
  for (const message of Object.values(portal.messages)) {
    if (message.chatId === chat.id) delete portal.messages[message.id];
  }
  const files = portal.files ?? {};
  const goneFiles = new Set(Object.values(files).filter((file) => file.chatId === chat.id).map((file) => file.id));
  for (const id of goneFiles) delete files[id];
  if (goneFiles.size > 0 && portal.fileLinks) portal.fileLinks = without(portal.fileLinks, (link) => goneFiles.has(link.fileId));
  portal.answerGrants = without(portal.answerGrants, (grant) => grant.chatId === chat.id);
  if (portal.inputActions) portal.inputActions = without(portal.inputActions, (action) => action.chatId === chat.id);
  delete portal.chats[chat.id];
}

/**
 * Adds members to a chat. Each one's history starts after the chat's last message at that moment:
 * what came before is not theirs to read (spec v2-complete §1, MESSAGE_ACCESS_DENIED), unless the
 * history is shown to them (imbot.chat.user.add with HIDE_HISTORY=N).
 */
export function addMembers(chat: Chat, ids: readonly number[], { showHistory = false } = {}): void {
  for (const id of ids) {
    chat.members.push(id);
    if (chat.lastMessageId > 0 && !showHistory) (chat.joinedAfter ??= {})[id] = chat.lastMessageId;
    else delete chat.joinedAfter?.[id];
  }
}

/** The newest message of the chat from before `userId` joined it; 0 for members since its creation (and data older than join times). */
export function joinedAfter(chat: Chat, userId: number): number {
  return chat.joinedAfter?.[userId] ?? 0;
}
