import type { Chat, Portal } from "./state.js";

export interface ChatDraft {
  type: Chat["type"];
  ownerId: number;
  members: number[];
  title?: string;
  description?: string;
  color?: string;
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
