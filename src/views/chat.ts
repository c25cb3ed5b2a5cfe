import { isoWithOffsetFromIso } from "../domain/dates.js";
import { chatTypeLetter } from "../domain/chat-kind.js";
import { dialogIdFor } from "../domain/dialog-id.js";
import type { Chat } from "../store/state.js";

export function roleOf(chat: Chat, userId: number): "owner" | "manager" | "member" | "none" {
  if (!chat.members.includes(userId)) return "none";
  if (chat.ownerId === userId) return "owner";
  if (chat.managers.includes(userId)) return "manager";
  return "member";
}

/** The Chat object inside events: no `role`, `muteList` or response-only fields. */
export function chatEventView(chat: Chat, viewerId: number): Record<string, unknown> {
  return {
    id: chat.id,
    dialogId: dialogIdFor(chat, viewerId),
    name: chat.title,
    description: chat.description,
    type: chat.type,
    messageType: chatTypeLetter(chat),
    owner: chat.ownerId,
    color: chat.color,
    avatar: "",
    extranet: false,
    containsCollaber: false,
    entityType: chat.entityType ?? "",
    entityId: chat.entityId ?? "",
    entityData1: "",
    entityData2: "",
    entityData3: "",
    entityLink: "",
    diskFolderId: 0,
    permissions: {},
    parentChatId: 0,
    parentMessageId: 0,
    isNew: false,
    textFieldEnabled: chat.textFieldEnabled === false ? "N" : "Y",
    backgroundId: null,
  };
}

/** The Chat object in method results: event view plus role, mute list and response-only fields. */
export function chatView(chat: Chat, viewerId: number): Record<string, unknown> {
  return {
    ...chatEventView(chat, viewerId),
    role: roleOf(chat, viewerId),
    muteList: [],
    dateCreate: isoWithOffsetFromIso(chat.dateCreate),
    lastMessageId: chat.lastMessageId,
    // The viewer's last read message (spec v2-complete.md §4 f).
    lastId: chat.lastRead?.[viewerId] ?? 0,
    managerList: [...chat.managers],
    messageCount: chat.messageCount,
    userCounter: chat.members.length,
    unreadId: 0,
    lastMessageViews: "",
    markedId: 0,
    public: null,
  };
}
