import { isoWithOffsetFromIso } from "../../domain/dates.js";
import { EmulatorError } from "../../errors/emulator-error.js";
import { deleteMessage, publishNewMessage } from "../../events/message-flow.js";
import { appendMessage } from "../../store/messages.js";
import type { Message } from "../../store/state.js";
import { anyParam, intParam, stringParam, toBool, toInt } from "../params/coerce.js";
import { readV1Content, v1ContentParams } from "../imbot-v1/messages/content.js";
import { v1Params } from "../imbot-v1/common.js";
import { editMessage, requireEditableMessage } from "../imbot-v1/messages/update.js";
import { defineMethod, flowOptions } from "../types.js";
import { callerDialog } from "./dialogs.js";
import { imUserView } from "./users.js";
import { messageParamsView } from "../../views/message.js";

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 50;

function imMessageView(message: Message): Record<string, unknown> {
  return {
    id: message.id,
    chat_id: message.chatId,
    author_id: message.authorId,
    date: isoWithOffsetFromIso(message.date),
    text: message.text,
    unread: false,
    uuid: message.uuid ?? null,
    replaces: [],
    params: messageParamsView(message),
    disappearing_date: null,
  };
}

/** An id parameter that must be a number: "abc" is refused with the given code, absent is 0. */
function numericId(value: unknown, code: "FIRST_ID_STRING" | "LAST_ID_STRING"): number {
  if (value === undefined || value === null || value === "") return 0;
  if (typeof value === "string" && !/^\s*\d+\s*$/.test(value)) throw new EmulatorError(code);
  return toInt(value);
}

/**
 * im.dialog.messages.get (spec v1.md §8): the caller's view of a dialog, newest first; LAST_ID pages
 * back (ids below it), FIRST_ID forward (ids above it, oldest first). At most 50 (default 20).
 */
export const imDialogMessagesGet = defineMethod({
  name: "im.dialog.messages.get",
  scope: "im",
  mutates: false,
  params: v1Params({ DIALOG_ID: stringParam, CHAT_ID: intParam, LAST_ID: anyParam, FIRST_ID: anyParam, LIMIT: intParam }),
  handler(ctx, params) {
    const dialogId = params.DIALOG_ID?.trim() || (params.CHAT_ID > 0 ? `chat${params.CHAT_ID}` : "");
    const firstId = numericId(params.FIRST_ID, "FIRST_ID_STRING");
    const lastId = numericId(params.LAST_ID, "LAST_ID_STRING");
    const chat = callerDialog(ctx, dialogId);
    const limit = Math.min(MAX_LIMIT, params.LIMIT > 0 ? params.LIMIT : DEFAULT_LIMIT);
    let messages = Object.values(ctx.portal.messages).filter((m) => m.chatId === chat.id && !m.deleted);
    if (firstId > 0) messages = messages.filter((m) => m.id > firstId).sort((a, b) => a.id - b.id).slice(0, limit);
    else messages = messages.filter((m) => lastId <= 0 || m.id < lastId).sort((a, b) => b.id - a.id).slice(0, limit);
    const authors = [...new Set(messages.map((m) => m.authorId))].flatMap((id) => (ctx.portal.users[id] ? [ctx.portal.users[id]] : []));
    return {
      chat_id: chat.id,
      messages: messages.map(imMessageView),
      users: authors.map((u) => imUserView(ctx.portal, u)),
      files: [],
    };
  },
});

/**
 * im.message.add: posts as the caller, the token's user: a bot's token (from an event's
 * `data[BOT][id]`) posts as the bot, a person's as that person, whose message bots then hear.
 */
export const imMessageAdd = defineMethod({
  name: "im.message.add",
  scope: "im",
  mutates: true,
  params: v1Params({ DIALOG_ID: stringParam, ...v1ContentParams, SYSTEM: anyParam, REPLY_ID: intParam }),
  handler(ctx, params) {
    const chat = callerDialog(ctx, params.DIALOG_ID);
    const { text, attach, keyboard, menu } = readV1Content(params, ctx.caller.userId, true);
    const message = appendMessage(
      ctx.portal,
      { chatId: chat.id, authorId: ctx.caller.userId, text, isSystem: toBool(params.SYSTEM, false), urlPreview: toBool(params.URL_PREVIEW, true), attach, keyboard },
      ctx.now,
    );
    if (menu) message.params.MENU = menu;
    const reply = ctx.portal.messages[params.REPLY_ID];
    if (reply && reply.chatId === chat.id) message.replyId = reply.id;
    const bot = ctx.portal.bots[ctx.caller.userId];
    if (bot) bot.countMessage++;
    publishNewMessage(ctx.portal, message, ctx.events, flowOptions(ctx));
    return message.id;
  },
});


/** im.message.update: the caller edits its own message (an empty MESSAGE deletes it); bots that see it hear of it. */
export const imMessageUpdate = defineMethod({
  name: "im.message.update",
  scope: "im",
  mutates: true,
  params: v1Params({ MESSAGE_ID: intParam, ...v1ContentParams }),
  handler(ctx, params) {
    editMessage(ctx, ctx.caller.userId, params);
    return true;
  },
});

/** im.message.delete: the caller deletes its own message (a deletion mark stays); bots that saw it hear of it first. */
export const imMessageDelete = defineMethod({
  name: "im.message.delete",
  scope: "im",
  mutates: true,
  params: v1Params({ MESSAGE_ID: intParam }),
  handler(ctx, params) {
    const message = requireEditableMessage(ctx, ctx.caller.userId, params.MESSAGE_ID);
    deleteMessage(ctx.portal, message, false, ctx.events);
    return true;
  },
});
