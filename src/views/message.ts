import type { Message, MessageForward } from "../store/state.js";
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
  forward: MessageForward | null;
  params: MessageParamsView;
  viewedByOthers: boolean;
}

/** A message's params as the portal shows them: a reply also names the message it answers. */
export type MessageParamsView = Message["params"] & { REPLY_ID?: number };

/**
 * A copy of the params (views leave the store and must not alias it), with `REPLY_ID` on a reply:
 * the portal keeps the replied-to id among im's message params, and a bot reads it there to fetch
 * the original (README Fidelity notes).
 */
export function messageParamsView(message: Message): MessageParamsView {
  const params = JSON.parse(JSON.stringify(message.params)) as MessageParamsView;
  return message.replyId === undefined ? params : { ...params, REPLY_ID: message.replyId };
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
    forward: message.forward ? { ...message.forward, date: isoWithOffsetFromIso(message.forward.date) } : null,
    params: messageParamsView(message),
    viewedByOthers: message.viewedByOthers ?? false,
  };
}

/** In method results a message also says whether it was read. */
export function messageResultView(message: Message): MessageView & { unread: boolean; viewed: boolean } {
  return { ...messageView(message), unread: false, viewed: true };
}
