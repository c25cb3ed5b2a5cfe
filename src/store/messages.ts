import type { Attach } from "../domain/attach.js";
import type { Keyboard } from "../domain/keyboard.js";
import type { Chat, Message, Portal } from "./state.js";
import { noteActivity } from "./user-activity.js";

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
  if (!message.isSystem) noteActivity(portal, message.authorId, now);
  const chat = portal.chats[draft.chatId];
  if (chat) {
    chat.lastMessageId = id;
    chat.messageCount++;
  }
  return message;
}

/**
 * A message that is there to act on: stored, not deleted, in a chat that exists. Every caller
 * (REST methods, the control API) then applies its own access rule and error codes.
 */
export function liveMessage(portal: Portal, messageId: number): { message: Message; chat: Chat } | undefined {
  const message = portal.messages[messageId];
  const chat = message && !message.deleted ? portal.chats[message.chatId] : undefined;
  return message && chat ? { message, chat } : undefined;
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
