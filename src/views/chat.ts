import { isoWithOffsetFromIso } from "../domain/dates.js";
import { chatTypeLetter } from "../domain/chat-kind.js";
import { dialogIdFor } from "../domain/dialog-id.js";
import type { FidelitySettings } from "../settings.js";
import { fullName } from "../store/messages.js";
import { firstUnreadId, viewersOfLastMessage } from "../store/reading.js";
import type { Chat, Portal } from "../store/state.js";

/** The switch that picks the server's field types over the docs' (spec v2-complete.md OPEN-N6). */
export type ChatShapes = Pick<FidelitySettings, "serverShapes">;

/** How many viewers of the last message a chat names; the rest only count (server `Chat::getLastMessageViewsByGroups`). */
const FIRST_VIEWERS_SHOWN = 2;

export function roleOf(chat: Chat, userId: number): "owner" | "manager" | "member" | "none" {
  if (!chat.members.includes(userId)) return "none";
  if (chat.ownerId === userId) return "owner";
  if (chat.managers.includes(userId)) return "manager";
  return "member";
}

/** The Chat object inside events: no `role`, `muteList` or response-only fields. */
export function chatEventView(chat: Chat, viewerId: number, shapes: ChatShapes): Record<string, unknown> {
  const textFieldEnabled = chat.textFieldEnabled !== false;
  return {
    id: chat.id,
    dialogId: dialogIdFor(chat, viewerId),
    name: chat.title,
    description: chat.description,
    type: chat.type,
    messageType: chatTypeLetter(chat),
    owner: chat.ownerId,
    color: chat.color,
    avatar: chat.avatar ?? "",
    extranet: false,
    containsCollaber: false,
    entityType: chat.entityType ?? "",
    entityId: chat.entityId ?? "",
    entityData1: "",
    entityData2: "",
    entityData3: "",
    // The server always sends the link object, empty for chats that belong to no entity (spec §4 f).
    entityLink: { type: "", url: "", id: "" },
    // A chat's Drive folder is made with its first file; until then there is none.
    diskFolderId: chat.diskFolderId ?? null,
    permissions: {},
    parentChatId: 0,
    parentMessageId: 0,
    isNew: false,
    // Docs print "Y"/"N"; the server sends a JSON boolean (spec OPEN-N6).
    textFieldEnabled: shapes.serverShapes ? textFieldEnabled : textFieldEnabled ? "Y" : "N",
    backgroundId: null,
  };
}

/** The Chat object in method results: event view plus role, mute list and the viewer's reading state. */
export function chatView(portal: Portal, chat: Chat, viewerId: number, shapes: ChatShapes): Record<string, unknown> {
  return {
    ...chatEventView(chat, viewerId, shapes),
    role: roleOf(chat, viewerId),
    muteList: [],
    dateCreate: isoWithOffsetFromIso(chat.dateCreate),
    lastMessageId: chat.lastMessageId,
    // The viewer's last read message (spec v2-complete.md §4 f).
    lastId: chat.lastRead?.[viewerId] ?? 0,
    managerList: [...chat.managers],
    messageCount: chat.messageCount,
    userCounter: chat.members.length,
    unreadId: firstUnreadId(portal, chat, viewerId),
    lastMessageViews: lastMessageViews(portal, chat, viewerId),
    // Nobody marks messages as unread in the emulator.
    markedId: 0,
    public: publicLink(portal, chat),
  };
}

/**
 * Who has seen the chat's last message: the first two viewers with the time they saw it, and how
 * many others did (the viewer itself not counted, as the server answers its viewers).
 */
function lastMessageViews(portal: Portal, chat: Chat, viewerId: number): Record<string, unknown> {
  if (chat.lastMessageId === 0) return { messageId: 0, firstViewers: [], countOfViewers: 0 };
  const viewers = viewersOfLastMessage(portal, chat);
  return {
    messageId: chat.lastMessageId,
    firstViewers: viewers.slice(0, FIRST_VIEWERS_SHOWN).map(({ userId, date }) => {
      const user = portal.users[userId];
      return { userId, userName: user ? fullName(user) : "", date: date === null ? null : isoWithOffsetFromIso(date) };
    }),
    countOfViewers: viewers.length - (viewers.some((v) => v.userId === viewerId) ? 1 : 0),
  };
}

/**
 * Open chats are public inside the portal: their alias code and link. Other chats have none, which
 * the server writes as `""`. The emulator derives the alias from the chat id (it never changes).
 */
function publicLink(portal: Portal, chat: Chat): "" | { code: string; link: string } {
  if (chat.type !== "open") return "";
  const code = `chat${chat.id}`;
  return { code, link: `https://${portal.domain}/online/?IM_DIALOG=${code}` };
}
