import { parseDialogId } from "../domain/dialog-id.js";
import { findPrivateChat } from "../store/chats.js";
import { botName } from "../store/bots.js";
import { fullName } from "../store/messages.js";
import type { Chat, Message, Portal } from "../store/state.js";
import { commandListView } from "../views/command.js";
import { fileView } from "../views/file.js";
import { messageView, type MessageView } from "../views/message.js";

/**
 * A message as the control API shows it: the wire view plus what only the emulator knows, and the
 * reply link and reactions a person sees in the chat (present only when there are any).
 */
export type ControlMessage = MessageView & {
  deleted: boolean;
  edited: boolean;
  replyId?: number;
  reactions?: Record<string, number[]>;
  /** The files the message shares (`params.FILE_ID`), each with where the control API serves its bytes. */
  files?: ControlFile[];
};

/** A shared file as a person sees it in the chat: the File entity and a link to its bytes. */
export type ControlFile = Record<string, unknown> & { url: string };

export function controlMessageView(message: Message, portal: Portal): ControlMessage {
  const view: ControlMessage = { ...messageView(message), deleted: message.deleted ?? false, edited: message.edited ?? false };
  if (message.replyId !== undefined) view.replyId = message.replyId;
  if (message.reactions && Object.keys(message.reactions).length > 0) view.reactions = structuredClone(message.reactions);
  const files = (message.params.FILE_ID ?? []).map((id) => portal.files?.[id]).filter((file) => file !== undefined);
  if (files.length > 0) view.files = files.map((file) => ({ ...fileView(portal, file), url: `/_emulator/portals/${encodeURIComponent(portal.id)}/files/${file.id}` }));
  return view;
}

/** A user or bot as a person looking at the portal needs it: a name and a colour, never a bare id. */
export interface DirectoryUser {
  id: number;
  name: string;
  firstName: string;
  lastName: string;
  workPosition: string;
  color: string;
  avatar: string;
  bot: boolean;
  active: boolean;
  extranet: boolean;
}

export interface DirectoryCommand {
  id: number;
  botId: number;
  /** With the leading slash, as typed: `/help`. */
  command: string;
  title: string;
  params: string;
  common: boolean;
  hidden: boolean;
}

export interface DirectoryBot {
  id: number;
  code: string;
  name: string;
  type: string;
  eventMode: "fetch" | "webhook";
  webhookUrl: string | null;
  color: string;
  commands: DirectoryCommand[];
}

/** A chat in a list of chats: who is in it and what was said last. */
export interface ChatSummary {
  id: number;
  /** Always `chatN`: it names the chat from every member's side, 1:1 dialogs included. */
  dialogId: string;
  type: Chat["type"];
  title: string;
  color: string;
  ownerId: number;
  members: number[];
  messageCount: number;
  lastMessage: ControlMessage | null;
}

export function directoryUsers(portal: Portal): DirectoryUser[] {
  return Object.values(portal.users).map((u) => ({
    id: u.id,
    name: fullName(u),
    firstName: u.firstName,
    lastName: u.lastName,
    workPosition: u.workPosition,
    color: u.color,
    avatar: u.avatar,
    bot: u.bot,
    active: u.active,
    extranet: u.extranet,
  }));
}

export function directoryBots(portal: Portal): DirectoryBot[] {
  const commands = Object.values(portal.commands);
  return Object.values(portal.bots).map((bot) => {
    const user = portal.users[bot.id];
    return {
      id: bot.id,
      code: bot.code,
      name: botName(portal, bot),
      type: bot.type,
      eventMode: bot.eventMode,
      webhookUrl: bot.webhookUrl,
      color: user?.color ?? "",
      commands: commands.filter((c) => c.botId === bot.id).map((c) => directoryCommand(commandListView(c, portal))),
    };
  });
}

function directoryCommand(view: Record<string, unknown>): DirectoryCommand {
  const { id, botId, command, title, params, common, hidden } = view as unknown as DirectoryCommand;
  return { id, botId, command, title, params, common, hidden };
}

export function chatSummary(portal: Portal, chat: Chat): ChatSummary {
  const last = portal.messages[chat.lastMessageId];
  return {
    id: chat.id,
    dialogId: `chat${chat.id}`,
    type: chat.type,
    title: chat.title,
    color: chat.color,
    ownerId: chat.ownerId,
    members: [...chat.members],
    messageCount: chat.messageCount,
    lastMessage: last ? controlMessageView(last, portal) : null,
  };
}

export function chatSummaries(portal: Portal): ChatSummary[] {
  return Object.values(portal.chats).map((chat) => chatSummary(portal, chat));
}

/** The chat a dialogId names, a 1:1 dialog read from `viewerId`'s side. */
export function chatNamed(portal: Portal, viewerId: number, dialogId: string): Chat | undefined {
  const ref = parseDialogId(dialogId);
  if (!ref) return undefined;
  if (ref.kind === "chat") return portal.chats[ref.chatId];
  return viewerId === ref.userId ? undefined : findPrivateChat(portal, viewerId, ref.userId);
}

/** One page of a chat's history, oldest first: the last `limit` messages before message `before`. */
export function historyPage(portal: Portal, chat: Chat, page: { before?: number; limit?: number }): { messages: ControlMessage[]; hasMore: boolean } {
  const before = page.before ?? Infinity;
  const all = Object.values(portal.messages).filter((m) => m.chatId === chat.id && m.id < before);
  const start = page.limit === undefined ? 0 : Math.max(0, all.length - page.limit);
  return { messages: all.slice(start).map((message) => controlMessageView(message, portal)), hasMore: start > 0 };
}
