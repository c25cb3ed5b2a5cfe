import type { Attach } from "../domain/attach.js";
import type { Keyboard } from "../domain/keyboard.js";
import type { Message, Portal } from "./state.js";

export interface MessageDraft {
  chatId: number;
  authorId: number;
  text: string;
  isSystem: boolean;
  urlPreview: boolean;
  attach: Attach | null;
  keyboard: Keyboard | null;
}

/** Stores a message with the next id and keeps the chat's counters in step. */
export function appendMessage(portal: Portal, draft: MessageDraft, now: Date): Message {
  const id = ++portal.seq.message;
  const message: Message = {
    id,
    chatId: draft.chatId,
    authorId: draft.isSystem ? 0 : draft.authorId,
    date: now.toISOString(),
    text: draft.text,
    isSystem: draft.isSystem,
    urlPreview: draft.urlPreview,
    params: {
      ...(draft.attach ? { ATTACH: [draft.attach] } : {}),
      ...(draft.keyboard ? { KEYBOARD: draft.keyboard } : {}),
    },
  };
  portal.messages[id] = message;
  const chat = portal.chats[draft.chatId];
  if (chat) {
    chat.lastMessageId = id;
    chat.messageCount++;
  }
  return message;
}

export function fullName(user: { firstName: string; lastName: string }): string {
  return [user.firstName, user.lastName].filter(Boolean).join(" ");
}

/** Soft deletion: the row stays, its text and params go, and it is marked deleted. */
export function markMessageDeleted(message: Message): void {
  message.text = "";
  message.params = {};
  message.deleted = true;
}

/** Removes the row and keeps the chat's counters consistent. */
export function removeMessage(portal: Portal, message: Message): void {
  delete portal.messages[message.id];
  const chat = portal.chats[message.chatId];
  if (!chat) return;
  chat.messageCount = Math.max(0, chat.messageCount - 1);
  if (chat.lastMessageId === message.id) {
    chat.lastMessageId = Object.values(portal.messages)
      .filter((m) => m.chatId === chat.id)
      .reduce((max, m) => Math.max(max, m.id), 0);
  }
}
