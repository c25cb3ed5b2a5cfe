import type { Chat, Message, Portal, User } from "../store/state.js";
import { dialogIdFor } from "../domain/dialog-id.js";
import { chatEventView, type ChatShapes } from "../views/chat.js";
import { messageView } from "../views/message.js";
import { userView } from "../views/user.js";

/** `data` of each ONIMBOTV2* event, without `bot` (the sink adds it per delivery mode). */
export const payloads = {
  messageAdd(portal: Portal, botId: number, message: Message, chat: Chat, author: User | undefined, shapes: ChatShapes) {
    return { message: messageView(message), chat: chatEventView(chat, botId, shapes), user: author ? userView(author) : null, language: portal.language };
  },
  messageDelete(portal: Portal, botId: number, message: Message, chat: Chat, author: User | undefined, shapes: ChatShapes) {
    return { messageId: message.id, chat: chatEventView(chat, botId, shapes), user: author ? userView(author) : null, language: portal.language };
  },
  commandAdd(
    portal: Portal,
    botId: number,
    call: { id: number; command: string; params: string; context: "textarea" | "keyboard" | "menu" },
    message: Message,
    chat: Chat,
    user: User,
    shapes: ChatShapes,
  ) {
    return {
      command: { id: call.id, command: `/${call.command}`, params: call.params, context: call.context },
      message: messageView(message),
      chat: chatEventView(chat, botId, shapes),
      user: userView(user),
      language: portal.language,
    };
  },
  reactionChange(portal: Portal, botId: number, reaction: string, action: "add" | "delete", message: Message, chat: Chat, reactor: User, shapes: ChatShapes) {
    return { reaction, action, message: messageView(message), chat: chatEventView(chat, botId, shapes), user: userView(reactor), language: portal.language };
  },
  joinChat(portal: Portal, botId: number, chat: Chat, addedBy: User | undefined, shapes: ChatShapes) {
    return { dialogId: dialogIdFor(chat, botId), chat: chatEventView(chat, botId, shapes), user: addedBy ? userView(addedBy) : null, language: portal.language };
  },
};
