import { without } from "../store/lists.js";
import { grantExpiry } from "../domain/answer-window.js";
import { commandCallable, parseCommandLines } from "../domain/command-lines.js";
import { botSeesMessage } from "../domain/visibility.js";
import type { Chat, Message, Portal } from "../store/state.js";
import { dialogIdFor } from "../domain/dialog-id.js";
import { payloads } from "./payloads.js";
import type { EventSink } from "./sink.js";
import type { RaisedEvent } from "./types.js";

/** One command call found in a user's message: what Command.answer needs to reply. */
export interface CommandInvocation {
  botId: number;
  commandId: number;
  messageId: number;
  dialogId: string;
  command: string;
  params: string;
}

export interface FlowOptions {
  now: Date;
  answerWindowSeconds: number;
}

/**
 * Everything a new message sets off: MESSAGEADD to every bot that may see it, then, for a message
 * a person typed, COMMANDADD per matching command, each opening that bot's answer window.
 */
export function publishNewMessage(
  portal: Portal,
  message: Message,
  sink: EventSink,
  options: FlowOptions,
): { events: RaisedEvent[]; commands: CommandInvocation[] } {
  const chat = portal.chats[message.chatId];
  if (!chat) return { events: [], commands: [] };
  const author = portal.users[message.authorId];
  const events: RaisedEvent[] = [];

  for (const bot of Object.values(portal.bots)) {
    if (botSeesMessage(bot, chat, message)) {
      events.push(sink.raise(bot, "ONIMBOTV2MESSAGEADD", payloads.messageAdd(portal, bot.id, message, chat, author)));
    }
  }

  const commands: CommandInvocation[] = [];
  if (!author || author.bot || message.isSystem) return { events, commands };
  for (const line of parseCommandLines(message.text)) {
    for (const command of Object.values(portal.commands)) {
      const bot = portal.bots[command.botId];
      if (!bot || command.command !== line.name || !commandCallable(command, chat, author)) continue;
      const call = { id: command.id, command: command.command, params: line.params, context: "textarea" as const };
      events.push(sink.raise(bot, "ONIMBOTV2COMMANDADD", payloads.commandAdd(portal, bot.id, call, message, chat, author)));
      openAnswerWindow(portal, bot.id, command.id, message.id, options);
      commands.push({ botId: bot.id, commandId: command.id, messageId: message.id, dialogId: dialogIdFor(chat, bot.id), command: `/${command.command}`, params: line.params });
    }
  }
  return { events, commands };
}

/** MESSAGEUPDATE / MESSAGEDELETE go to the bots that saw the original message. */
export function publishMessageChange(
  portal: Portal,
  message: Message,
  change: "update" | "delete",
  sink: EventSink,
): RaisedEvent[] {
  const chat = portal.chats[message.chatId];
  if (!chat) return [];
  const author = portal.users[message.authorId];
  const events: RaisedEvent[] = [];
  for (const bot of Object.values(portal.bots)) {
    if (!botSeesMessage(bot, chat, message)) continue;
    events.push(
      change === "update"
        ? sink.raise(bot, "ONIMBOTV2MESSAGEUPDATE", payloads.messageAdd(portal, bot.id, message, chat, author))
        : sink.raise(bot, "ONIMBOTV2MESSAGEDELETE", payloads.messageDelete(portal, bot.id, message, chat, author)),
    );
  }
  return events;
}

/** JOINCHAT to each bot among `joined`, from the person who added them. */
export function publishJoin(portal: Portal, chat: Chat, joined: readonly number[], addedBy: number, sink: EventSink): RaisedEvent[] {
  const adder = portal.users[addedBy];
  return joined
    .map((id) => portal.bots[id])
    .filter((bot) => bot !== undefined && bot.id !== addedBy)
    .map((bot) => sink.raise(bot!, "ONIMBOTV2JOINCHAT", payloads.joinChat(portal, bot!.id, chat, adder)));
}

export function openAnswerWindow(
  portal: Portal,
  botId: number,
  commandId: number,
  messageId: number,
  options: FlowOptions,
): void {
  const expiresAt = grantExpiry(options.now, options.answerWindowSeconds);
  const nowMs = options.now.getTime();
  // Closed windows are dead weight, but dropping them rewrites the list: do it once they are many.
  const closed = (g: { expiresAt: string | null }) => g.expiresAt !== null && Date.parse(g.expiresAt) <= nowMs;
  const closedCount = portal.answerGrants.reduce((n, g) => n + (closed(g) ? 1 : 0), 0);
  if (closedCount >= 32 && closedCount * 4 >= portal.answerGrants.length) portal.answerGrants = without(portal.answerGrants, closed);
  const existing = portal.answerGrants.find((g) => g.botId === botId && g.commandId === commandId && g.messageId === messageId);
  if (existing) existing.expiresAt = expiresAt;
  else portal.answerGrants.push({ botId, commandId, messageId, expiresAt });
}
