import { chatTypeLetter } from "../../domain/chat-kind.js";
import { parseDialogId } from "../../domain/dialog-id.js";
import { isoWithOffsetFromIso } from "../../domain/dates.js";
import { EmulatorError } from "../../errors/emulator-error.js";
import { findPrivateChat } from "../../store/chats.js";
import { fullName } from "../../store/messages.js";
import type { Chat, Portal } from "../../store/state.js";
import { roleOf } from "../../views/chat.js";
import type { MethodContext } from "../types.js";

/**
 * The chat behind a DIALOG_ID as the caller sees it: `chatN` (the caller must be a member), or a user
 * id for the caller's 1:1 dialog with that user. 400 ACCESS_ERROR when nothing is there; 403 when
 * the caller may not see it.
 */
export function callerDialog(ctx: MethodContext, raw: string | undefined): Chat {
  const dialogId = raw?.trim() ?? "";
  if (dialogId === "") throw new EmulatorError("DIALOG_ID_EMPTY");
  const ref = parseDialogId(dialogId);
  const chat = !ref ? undefined : ref.kind === "chat" ? ctx.portal.chats[ref.chatId] : findPrivateChat(ctx.portal, ctx.caller.userId, ref.userId);
  if (!chat) throw new EmulatorError("ACCESS_ERROR", `Dialog ${dialogId} not found`, { alternateStatus: true });
  if (!chat.members.includes(ctx.caller.userId)) throw new EmulatorError("ACCESS_ERROR", `User ${ctx.caller.userId} has no access to dialog ${dialogId}`);
  return chat;
}

/** The chat in the im REST layout (snake_case, `OB/chats/fields.md`), seen by `viewerId`. */
export function imChatView(portal: Portal, chat: Chat, viewerId: number): Record<string, unknown> {
  const other = chat.type === "private" ? portal.users[chat.members.find((m) => m !== viewerId) ?? 0] : undefined;
  return {
    id: chat.id,
    parent_chat_id: 0,
    parent_message_id: 0,
    name: chat.type === "private" && other ? fullName(other) : chat.title,
    description: chat.description,
    owner: chat.ownerId,
    extranet: false,
    avatar: chat.avatar ?? "",
    color: chat.color,
    type: chat.type,
    entity_type: chat.entityType ?? "",
    entity_id: chat.entityId ?? "",
    entity_data_1: "",
    entity_data_2: "",
    entity_data_3: "",
    entity_link: "",
    message_count: chat.messageCount,
    date_create: isoWithOffsetFromIso(chat.dateCreate),
    message_type: chatTypeLetter(chat),
    role: roleOf(chat, viewerId).toUpperCase(),
    text_field_enabled: true,
    restrictions: { avatar: true, extend: true, leave: true, leave_owner: true, rename: true, send: true, user_list: true, mute: true, call: true },
    permissions: { manage_users_add: "MEMBER", manage_users_delete: "MANAGER", manage_ui: "MEMBER", manage_settings: "OWNER", manage_messages: "MEMBER", can_post: "MEMBER" },
    manager_list: [...chat.managers],
    last_message_id: chat.lastMessageId,
  };
}
