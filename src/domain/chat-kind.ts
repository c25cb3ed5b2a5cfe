/**
 * What kind of chat a chat is, as the two APIs letter it. An open-line chat (Open Channels) is the
 * one whose entity type is LINES: the server picks its bot recipients by that entity type
 * (`Bitrix\Im\Bot::getBotsForMessage`), and its type letter is L.
 */
export const OPEN_LINE_ENTITY = "LINES";

export type ChatTypeLetter = "P" | "C" | "O" | "L";

export function isOpenLineChat(chat: { entityType?: string }): boolean {
  return chat.entityType === OPEN_LINE_ENTITY;
}

/** P private, C group, O open, L open line: v1's MESSAGE_TYPE and CHAT_TYPE, v2's messageType. */
export function chatTypeLetter(chat: { type: string }): ChatTypeLetter {
  if (chat.type === "private") return "P";
  if (chat.type === "open") return "O";
  if (chat.type === "lines") return "L";
  return "C";
}

/**
 * The type and entity of a group chat made through the control API: asking for type "lines" or for
 * entity LINES gives an open-line chat, which has both, as Open Channels makes it.
 */
export function groupChatKind(input: { type: "chat" | "open" | "lines"; entityType?: string | undefined; entityId?: string | undefined }): {
  type: "chat" | "open" | "lines";
  entityType?: string;
  entityId?: string;
} {
  const openLine = input.type === "lines" || input.entityType?.trim().toUpperCase() === OPEN_LINE_ENTITY;
  const entityType = openLine ? OPEN_LINE_ENTITY : input.entityType?.trim() || undefined;
  const entityId = input.entityId?.trim() || undefined;
  return { type: openLine ? "lines" : input.type, ...(entityType ? { entityType } : {}), ...(entityId ? { entityId } : {}) };
}
