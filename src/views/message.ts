import type { Message } from "../store/state.js";
import { isoWithOffsetFromIso } from "./dates.js";

/** The Message object as events carry it. */
export function messageView(message: Message): Record<string, unknown> {
  return {
    id: message.id,
    chatId: message.chatId,
    authorId: message.authorId,
    date: isoWithOffsetFromIso(message.date),
    text: message.text,
    isSystem: message.isSystem,
    uuid: message.uuid ?? "",
    forward: null,
    params: message.params,
    viewedByOthers: false,
  };
}

/** In method results a message also says whether it was read. */
export function messageResultView(message: Message): Record<string, unknown> {
  return { ...messageView(message), unread: false, viewed: true };
}
