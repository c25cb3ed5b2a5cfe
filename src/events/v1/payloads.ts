import { createHash } from "node:crypto";
import { chatTypeLetter } from "../../domain/chat-kind.js";
import { paletteCodeUpper } from "../../domain/palette.js";
import { mentionedIds, withoutMentions } from "../../domain/visibility.js";
import { fullName } from "../../store/messages.js";
import { fileView } from "../../views/file.js";
import { messageParamsView, type MessageParamsView } from "../../views/message.js";
import type { Chat, Message, Portal, User } from "../../store/state.js";
import { dialogIdFor } from "../../domain/dialog-id.js";

/**
 * The `data[PARAMS]` and `data[USER]` blocks of the imbot v1 events (spec v1.md §6.3), in the
 * portal's layout: UPPER_CASE keys, Y/N flags, ids as they will be form-encoded (strings).
 */

const yn = (flag: boolean) => (flag ? "Y" : "N");

/** `data[USER]`: six fields in COMMANDADD and JOINCHAT, four more in the message events. */
export function v1UserBlock(user: User, withFlags: boolean): Record<string, unknown> {
  const base = {
    ID: user.id,
    NAME: fullName(user),
    FIRST_NAME: user.firstName,
    LAST_NAME: user.lastName,
    WORK_POSITION: user.workPosition,
    GENDER: user.gender,
  };
  if (!withFlags) return base;
  return { ...base, IS_BOT: yn(user.bot), IS_CONNECTOR: "N", IS_NETWORK: "N", IS_EXTRANET: yn(user.extranet) };
}

/** Which group chat: its id, owner and the entity it belongs to (JOINCHAT carries only these). */
function chatIdentity(chat: Chat): Record<string, unknown> {
  return {
    CHAT_ID: chat.id,
    CHAT_AUTHOR_ID: chat.ownerId,
    CHAT_ENTITY_TYPE: chat.entityType ?? "",
    CHAT_ENTITY_ID: chat.entityId ?? "",
  };
}

/** The chat fields every group-chat message payload carries. */
function chatFields(chat: Chat): Record<string, unknown> {
  return {
    ...chatIdentity(chat),
    CHAT_ENTITY_DATA_1: "",
    CHAT_ENTITY_DATA_2: "",
    CHAT_ENTITY_DATA_3: "",
  };
}

/** `MENTIONED_LIST[id]=id` for each mentioned user. */
function mentionList(text: string): Record<string, number> {
  return Object.fromEntries(mentionedIds(text).map((id) => [String(id), id]));
}

function previousMessageId(portal: Portal, message: Message): number {
  let previous = 0;
  for (const other of Object.values(portal.messages)) {
    if (other.chatId === message.chatId && other.id < message.id && other.id > previous) previous = other.id;
  }
  return previous;
}

/**
 * The message's client uuid when it was sent without one: derived from the portal and the message, so
 * every event about one message names the same one and seeded runs repeat it.
 */
function templateIdOf(portal: Portal, message: Message): string {
  const hex = createHash("sha256").update(`${portal.memberId}/${message.id}`).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** ONIMBOTMESSAGEADD `PARAMS` (and the base of ONIMCOMMANDADD's), as `botId` reads the message. */
export function messageAddParams(portal: Portal, message: Message, chat: Chat, botId: number): Record<string, unknown> {
  const type = chatTypeLetter(chat);
  const common = {
    TEMPLATE_ID: message.uuid ?? templateIdOf(portal, message),
    MESSAGE_TYPE: type,
    FROM_USER_ID: message.authorId,
    DIALOG_ID: dialogIdFor(chat, botId),
    TO_CHAT_ID: chat.id,
    AUTHOR_ID: message.authorId,
    SYSTEM: yn(message.isSystem),
    MESSAGE_ID: message.id,
    CHAT_TYPE: type,
    LANGUAGE: portal.language,
    COMMAND_CONTEXT: "TEXTAREA",
    PLATFORM_CONTEXT: "web",
    CHAT_USER_COUNT: chat.members.length,
    FAKE_RELATION: "0",
    PUSH: "Y",
    PUSH_IMPORTANT: "N",
    RECENT_SKIP_AUTHOR: "N",
    CONVERT: "N",
    SKIP_COMMAND: "N",
    SKIP_COUNTER_INCREMENTS: "N",
    SILENT_CONNECTOR: "N",
    SKIP_CONNECTOR: "N",
    IMPORTANT_CONNECTOR: "N",
    NO_SESSION_OL: "N",
    SKIP_URL_INDEX: "N",
  };
  const extras = { ...filesBlock(portal, message), ...ownParamsBlock(message) };
  if (chat.type === "private") return { MESSAGE: message.text, ...common, TO_USER_ID: botId, ...extras };
  const mentions = mentionedIds(message.text);
  return {
    MESSAGE: withoutMentions(message.text),
    ...common,
    TO_USER_ID: mentions[0] ?? 0,
    ...chatFields(chat),
    CHAT_TITLE: chat.title,
    CHAT_AVATAR: chat.avatar ?? "0",
    CHAT_COLOR: paletteCodeUpper(chat.color),
    CHAT_EXTRANET: "N",
    CHAT_PREV_MESSAGE_ID: previousMessageId(portal, message),
    CHAT_CAN_POST: "MEMBER",
    IS_MANAGER: yn(chat.managers.includes(message.authorId) || chat.ownerId === message.authorId),
    MENTIONED_LIST: mentionList(message.text),
    MESSAGE_ORIGINAL: message.text,
    ...extras,
  };
}

/**
 * `FILES[{id}]`: each file the message shares, as the File entity, keyed by its id (the portal
 * hands its handlers the message's FILES so; README Fidelity notes). A bot fetches the bytes with
 * imbot.v2.File.download.
 */
function filesBlock(portal: Portal, message: Message): { FILES?: Record<string, unknown> } {
  const files = (message.params.FILE_ID ?? []).map((id) => portal.files?.[id]).filter((file) => file !== undefined);
  if (files.length === 0) return {};
  return { FILES: Object.fromEntries(files.map((file) => [String(file.id), fileView(portal, file)])) };
}

/**
 * `PARAMS[PARAMS]`: the message's own params (FILE_ID, ATTACH, KEYBOARD, MENU, REPLY_ID ...), the
 * same set im.dialog.messages.get shows. The portal hands its handlers the message fields it was
 * sent with, and those carry the message's params; a message without any has no such key, as PHP's
 * form encoding drops an empty array (README Fidelity notes).
 */
function ownParamsBlock(message: Message): { PARAMS?: MessageParamsView } {
  const params = messageParamsView(message);
  return Object.keys(params).length === 0 ? {} : { PARAMS: params };
}

/** ONIMCOMMANDADD `PARAMS`: the message the command came in, plus the command-only keys. */
export function commandAddParams(portal: Portal, message: Message, chat: Chat, botId: number, botsInChat: readonly number[]): Record<string, unknown> {
  const params = { ...messageAddParams(portal, message, chat, botId), SKIP_USER_CHECK: "Y", RECENT_ADD: "Y" };
  if (chat.type === "private") return params;
  return { ...params, CHAT_PARENT_ID: 0, CHAT_PARENT_MID: 0, BOT_IN_CHAT: Object.fromEntries(botsInChat.map((id) => [String(id), id])) };
}

/** ONIMBOTMESSAGEUPDATE / ONIMBOTMESSAGEDELETE `PARAMS`. */
export function messageChangeParams(
  portal: Portal,
  message: Message,
  chat: Chat,
  botId: number,
  change: "update" | "delete",
): Record<string, unknown> {
  const type = chatTypeLetter(chat);
  const group = chat.type !== "private";
  const text = change === "delete" ? deletionNotice(message.date) : group ? withoutMentions(message.text) : message.text;
  return {
    ID: message.id,
    CHAT_ID: chat.id,
    AUTHOR_ID: message.authorId,
    MESSAGE: text,
    MESSAGE_TYPE: type,
    ...chatFields(chat),
    ...(group ? {} : { FROM_USER_ID: message.authorId, TO_USER_ID: botId }),
    ...(change === "update" ? { CHAT_USER_COUNT: chat.members.length } : {}),
    ...(change === "update" && group ? { MENTIONED_LIST: mentionList(message.text), MESSAGE_ORIGINAL: message.text } : {}),
    PLATFORM_CONTEXT: "web",
    DIALOG_ID: dialogIdFor(chat, botId),
    MESSAGE_ID: message.id,
    CHAT_TYPE: type,
    LANGUAGE: portal.language,
  };
}

/** Spec OPEN-V11: the notice names the message's creation time, `MM/DD/YYYY HH:MM:SS` (UTC). */
export function deletionNotice(createdIso: string): string {
  const d = new Date(createdIso);
  const two = (n: number) => String(n).padStart(2, "0");
  const date = `${two(d.getUTCMonth() + 1)}/${two(d.getUTCDate())}/${d.getUTCFullYear()}`;
  const time = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
  return `Message from ${date} ${time} has been deleted`;
}

/** ONIMBOTJOINCHAT `PARAMS`: the bot was added to a chat, or a user opened its 1:1 dialog. */
export function joinChatParams(portal: Portal, chat: Chat, botId: number, userId: number): Record<string, unknown> {
  const type = chatTypeLetter(chat);
  if (chat.type === "private") {
    return {
      CHAT_TYPE: type,
      MESSAGE_TYPE: type,
      BOT_ID: botId,
      USER_ID: userId,
      TO_USER_ID: userId,
      FROM_USER_ID: botId,
      DIALOG_ID: dialogIdFor(chat, botId),
      LANGUAGE: portal.language,
    };
  }
  return {
    CHAT_TYPE: type,
    MESSAGE_TYPE: type,
    BOT_ID: botId,
    USER_ID: userId,
    ...chatIdentity(chat),
    ACCESS_HISTORY: "1",
    DIALOG_ID: dialogIdFor(chat, botId),
    LANGUAGE: portal.language,
  };
}
