import { z } from "zod";
import { isReactionCode } from "../domain/reactions.js";
import { normaliseMessageText } from "../domain/text.js";
import { EmulatorError } from "../errors/emulator-error.js";
import { deleteMessage, publishMessageChange } from "../events/message-flow.js";
import { publishContext } from "../events/context-flow.js";
import { publishReactionChange } from "../events/reaction-flow.js";
import type { EventSink } from "../events/sink.js";
import type { RaisedEvent } from "../events/types.js";
import { hasReaction, setReaction } from "../store/reactions.js";
import { liveMessage } from "../store/messages.js";
import { markRead } from "../store/reading.js";
import { noteActivity } from "../store/user-activity.js";
import type { Chat, Message, Portal, User } from "../store/state.js";

/**
 * What a person does to messages in the portal's UI besides typing (spec v2-complete.md §3), each
 * raising exactly the events a portal raises. PortalControl runs them inside one change.
 */

const id = z.coerce.number().int().positive();
export const editSchema = z.strictObject({ userId: id, text: z.string().min(1).max(100_000) });
export const deleteSchema = z.strictObject({ userId: id, complete: z.boolean().default(false) });
export const reactSchema = z.strictObject({ userId: id, messageId: id, reaction: z.string().min(1), action: z.enum(["add", "delete"]).default("add") });
export const contextSchema = z.strictObject({ userId: id, dialogId: z.coerce.string().min(1), context: z.record(z.string(), z.unknown()).default({}) });
export const openDialogSchema = z.strictObject({ userId: id, botId: id });
export const readSchema = z.strictObject({ userId: id, messageId: id.optional() });
/** The name and base64 are checked as File.upload checks them (FILE_EMPTY, FILE_TOO_LARGE, FILE_INVALID_CONTENT). */
export const sendFileSchema = z.strictObject({
  userId: id,
  dialogId: z.coerce.string().min(1),
  name: z.string(),
  contentBase64: z.string(),
  text: z.string().max(100_000).default(""),
});

export type EditInput = z.input<typeof editSchema>;
export type DeleteInput = z.input<typeof deleteSchema>;
export type ReactInput = z.input<typeof reactSchema>;
export type ContextInput = z.input<typeof contextSchema>;
export type ReadInput = z.input<typeof readSchema>;
export type SendFileInput = z.input<typeof sendFileSchema>;

function person(portal: Portal, userId: number): User {
  const user = portal.users[userId];
  if (!user || user.bot || !user.active) throw new EmulatorError("CONTROL_NOT_FOUND", `No active person ${userId} (bots act through REST)`);
  return user;
}

function visibleMessage(portal: Portal, user: User, messageId: number): { message: Message; chat: Chat } {
  const found = liveMessage(portal, messageId);
  if (!found) throw new EmulatorError("CONTROL_NOT_FOUND", `No message ${messageId}`);
  if (!found.chat.members.includes(user.id)) throw new EmulatorError("CONTROL_ARGUMENT", `User ${user.id} is not in the chat of message ${messageId}`);
  return found;
}

function ownMessage(portal: Portal, userId: number, messageId: number): Message {
  const user = person(portal, userId);
  const { message } = visibleMessage(portal, user, messageId);
  if (message.authorId !== user.id) throw new EmulatorError("CONTROL_ARGUMENT", `Message ${messageId} is not user ${userId}'s own`);
  return message;
}

/** A person edits their message: MESSAGEUPDATE, by the MESSAGEADD rules on the new text. */
export function userEdits(portal: Portal, sink: EventSink, messageId: number, input: z.output<typeof editSchema>): { message: Message; events: RaisedEvent[] } {
  const message = ownMessage(portal, input.userId, messageId);
  noteActivity(portal, input.userId, sink.now);
  message.text = normaliseMessageText(input.text);
  message.params = { ...message.params, IS_EDITED: "Y" };
  return { message, events: publishMessageChange(portal, message, "update", sink) };
}

/** A person deletes their message: MESSAGEDELETE to the bots that saw it, then it goes. */
export function userDeletes(portal: Portal, sink: EventSink, messageId: number, input: z.output<typeof deleteSchema>): { events: RaisedEvent[] } {
  const message = ownMessage(portal, input.userId, messageId);
  noteActivity(portal, input.userId, sink.now);
  return { events: deleteMessage(portal, message, input.complete, sink) };
}

/** A person sets or removes a reaction: REACTIONCHANGE to the author if it is a bot that wants them. */
export function userReacts(portal: Portal, sink: EventSink, input: z.output<typeof reactSchema>): { events: RaisedEvent[] } {
  const user = person(portal, input.userId);
  const { message, chat } = visibleMessage(portal, user, input.messageId);
  if (!isReactionCode(input.reaction)) throw new EmulatorError("CONTROL_ARGUMENT", `"${input.reaction}" is not a reaction code`);
  const on = input.action === "add";
  noteActivity(portal, user.id, sink.now);
  if (hasReaction(message, user.id, input.reaction) === on) return { events: [] };
  setReaction(message, user.id, input.reaction, on);
  return { events: publishReactionChange(portal, message, chat, user, input.reaction, input.action, sink) };
}

/** A person opens the chat with a context (deep link): CONTEXTGET to every bot in it. */
export function userOpensContext(portal: Portal, sink: EventSink, chat: Chat, input: z.output<typeof contextSchema>): { events: RaisedEvent[] } {
  const user = person(portal, input.userId);
  const events = publishContext(portal, chat, user, input.context, sink);
  if (events.length === 0) throw new EmulatorError("BOT_CONTEXT_ERROR", `No bot in ${input.dialogId} to send the context to`);
  return { events };
}

/** A person reads the chat (up to a message): their read mark moves; bots' messages become viewed. */
export function userReads(portal: Portal, chat: Chat, input: z.output<typeof readSchema>, now: Date): { viewedMessages: number[] } {
  const user = person(portal, input.userId);
  if (!chat.members.includes(user.id)) throw new EmulatorError("CONTROL_ARGUMENT", `User ${user.id} is not a member of chat ${chat.id}`);
  noteActivity(portal, user.id, now);
  return { viewedMessages: markRead(portal, chat, user.id, input.messageId ?? chat.lastMessageId, now) };
}
