import type { Message } from "../store/state.js";
import { isoWithOffsetFromIso } from "../domain/dates.js";

/** The Message object on the wire. */
export interface MessageView {
  id: number;
  chatId: number;
  /** 0 for system messages. */
  authorId: number;
  date: string;
  text: string;
  isSystem: boolean;
  uuid: string;
  forward: null;
  params: Message["params"];
  viewedByOthers: boolean;
}

/** The Message object as events carry it. */
export function messageView(message: Message): MessageView {
  return {
    id: message.id,
    chatId: message.chatId,
    authorId: message.authorId,
    date: isoWithOffsetFromIso(message.date),
    text: message.text,
    isSystem: message.isSystem,
    uuid: message.uuid ?? "",
    forward: null,
    // A copy: views leave the store (responses, event queues, control API) and must not alias it.
    params: JSON.parse(JSON.stringify(message.params)) as Message["params"],
    viewedByOthers: message.viewedByOthers ?? false,
  };
}

/** In method results a message also says whether it was read. */
export function messageResultView(message: Message): MessageView & { unread: boolean; viewed: boolean } {
  return { ...messageView(message), unread: false, viewed: true };
}
