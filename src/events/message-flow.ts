import { without } from "../store/lists.js";
import { markMessageDeleted, removeMessage } from "../store/messages.js";
import { grantExpiry, laterExpiry } from "../domain/answer-window.js";
import { commandCallable, parseCommandLines } from "../domain/command-lines.js";
import { botSeesMessage } from "../domain/visibility.js";
import type { Bot, Chat, Command, Message, Portal, User } from "../store/state.js";
import { dialogIdFor } from "../domain/dialog-id.js";
import { payloads } from "./payloads.js";
import type { EventSink } from "./sink.js";
import type { RaisedEvent } from "./types.js";
import { isV1Bot, publishV1CommandAdd, publishV1Join, publishV1MessageAdd, publishV1MessageChange, type V1CommandCall } from "./v1/publish.js";

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

/** A portal handles at most this many command calls per message (server-source BotService). */
const MAX_COMMANDS_PER_MESSAGE = 10;

/**
 * Everything a new message sets off (spec v2-complete.md §4 X1, X2). A message a person typed that
 * calls at least one command raises COMMANDADD per call (at most 10, the same command with the same
 * params once), each opening its bot's answer window in the chat, and no MESSAGEADD at all; any
 * other message raises MESSAGEADD to every bot that may see it. System messages raise neither, and
 * no bot hears of a message another bot wrote.
 */
export function publishNewMessage(
  portal: Portal,
  message: Message,
  sink: EventSink,
  options: FlowOptions,
): { events: RaisedEvent[]; commands: CommandInvocation[] } {
  const chat = portal.chats[message.chatId];
  if (!chat || message.isSystem) return { events: [], commands: [] };
  const author = portal.users[message.authorId];
  const events: RaisedEvent[] = [];
  const commands: CommandInvocation[] = [];
  const v1Calls: V1CommandCall[] = [];

  if (author && !author.bot) {
    const seen = new Set<string>();
    for (const line of parseCommandLines(message.text)) {
      for (const command of Object.values(portal.commands)) {
        const bot = portal.bots[command.botId];
        if (!bot || command.command !== line.name || !commandCallable(command, chat, author)) continue;
        const key = `${command.id}\n${line.params}`;
        if (seen.has(key) || seen.size >= MAX_COMMANDS_PER_MESSAGE) continue;
        seen.add(key);
        if (isV1Bot(bot)) {
          v1Calls.push({ bot, command, params: line.params, context: "TEXTAREA", messageId: message.id });
        } else {
          const call = { id: command.id, command: command.command, params: line.params, context: "textarea" as const };
          events.push(sink.raise(bot, "ONIMBOTV2COMMANDADD", payloads.commandAdd(portal, bot.id, call, message, chat, author, sink.shapes)));
        }
        openAnswerWindow(portal, bot.id, chat.id, options);
        commands.push({ botId: bot.id, commandId: command.id, messageId: message.id, dialogId: dialogIdFor(chat, bot.id), command: `/${command.command}`, params: line.params });
      }
    }
  }
  if (commands.length > 0) return { events: [...events, ...publishV1CommandAdd(portal, sink, message, chat, message.authorId, v1Calls)], commands };

  const authorIsBot = author?.bot ?? false;
  const seeing = Object.values(portal.bots).filter((bot) => botSeesMessage(bot, chat, message, authorIsBot));
  for (const bot of seeing) {
    if (!isV1Bot(bot)) events.push(sink.raise(bot, "ONIMBOTV2MESSAGEADD", payloads.messageAdd(portal, bot.id, message, chat, author, sink.shapes)));
  }
  events.push(...publishV1MessageAdd(portal, sink, message, chat, seeing.filter(isV1Bot)));
  return { events, commands };
}

/**
 * A user pressed a COMMAND button of a bot's keyboard: COMMANDADD with the keyboard context, about
 * the message carrying the button, which also opens the bot's answer window in that chat.
 */
export function publishButtonPress(
  portal: Portal,
  press: { bot: Bot; command: Command; message: Message; chat: Chat; user: User; params: string },
  sink: EventSink,
  options: FlowOptions,
): RaisedEvent[] {
  const { bot, command, message, chat, user, params } = press;
  openAnswerWindow(portal, bot.id, chat.id, options);
  if (isV1Bot(bot)) {
    return publishV1CommandAdd(portal, sink, message, chat, user.id, [{ bot, command, params, context: "KEYBOARD", messageId: message.id }]);
  }
  const call = { id: command.id, command: command.command, params, context: "keyboard" as const };
  return [sink.raise(bot, "ONIMBOTV2COMMANDADD", payloads.commandAdd(portal, bot.id, call, message, chat, user, sink.shapes))];
}

/** MESSAGEUPDATE / MESSAGEDELETE go to the bots that may see the message, by the MESSAGEADD rules. */
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
  const seeing = Object.values(portal.bots).filter((bot) => botSeesMessage(bot, chat, message, author?.bot ?? false));
  for (const bot of seeing) {
    if (isV1Bot(bot)) continue;
    events.push(
      change === "update"
        ? sink.raise(bot, "ONIMBOTV2MESSAGEUPDATE", payloads.messageAdd(portal, bot.id, message, chat, author, sink.shapes))
        : sink.raise(bot, "ONIMBOTV2MESSAGEDELETE", payloads.messageDelete(portal, bot.id, message, chat, author, sink.shapes)),
    );
  }
  events.push(...publishV1MessageChange(portal, sink, message, chat, seeing.filter(isV1Bot), change));
  return events;
}

/**
 * Deletes a message: the bots that saw it hear MESSAGEDELETE first (one already marked deleted is
 * news to no one), then the row goes (`complete`) or stays with a deletion mark.
 */
export function deleteMessage(portal: Portal, message: Message, complete: boolean, sink: EventSink): RaisedEvent[] {
  const events = message.deleted ? [] : publishMessageChange(portal, message, "delete", sink);
  if (complete) removeMessage(portal, message);
  else markMessageDeleted(message);
  return events;
}

/** JOINCHAT to each bot among `joined`, from the person who added them. */
export function publishJoin(portal: Portal, chat: Chat, joined: readonly number[], addedBy: number, sink: EventSink): RaisedEvent[] {
  const adder = portal.users[addedBy];
  const bots = joined.map((id) => portal.bots[id]).filter((bot): bot is Bot => bot !== undefined && bot.id !== addedBy);
  return [
    ...bots.filter((bot) => !isV1Bot(bot)).map((bot) => sink.raise(bot, "ONIMBOTV2JOINCHAT", payloads.joinChat(portal, bot.id, chat, adder, sink.shapes))),
    ...publishV1Join(portal, sink, chat, bots.filter(isV1Bot), addedBy),
  ];
}

/** A command of `botId` in `chatId`: its window there opens, or stays open at least that long. */
export function openAnswerWindow(portal: Portal, botId: number, chatId: number, options: FlowOptions): void {
  const expiresAt = grantExpiry(options.now, options.answerWindowSeconds);
  const nowMs = options.now.getTime();
  // Closed windows are dead weight, but dropping them rewrites the list: do it once they are many.
  const closed = (g: { expiresAt: string | null }) => g.expiresAt !== null && Date.parse(g.expiresAt) <= nowMs;
  const closedCount = portal.answerGrants.reduce((n, g) => n + (closed(g) ? 1 : 0), 0);
  if (closedCount >= 32 && closedCount * 4 >= portal.answerGrants.length) portal.answerGrants = without(portal.answerGrants, closed);
  const existing = portal.answerGrants.find((g) => g.botId === botId && g.chatId === chatId);
  if (existing) existing.expiresAt = closed(existing) ? expiresAt : laterExpiry(existing.expiresAt, expiresAt);
  else portal.answerGrants.push({ botId, chatId, expiresAt });
}
