import { without } from "../../store/lists.js";
import { z } from "zod";
import { isPlainObject } from "../../domain/json-value.js";
import { argumentError, EmulatorError } from "../../errors/emulator-error.js";
import { publishMessageChange, publishNewMessage } from "../../events/message-flow.js";
import { anyParam, boolParam, intParam, stringParam, toBool, toInt, toOptionalString } from "../coerce.js";
import { appendMessage, fullName } from "../../store/messages.js";
import type { Bot, Message, Portal } from "../../store/state.js";
import { booleanResult, defineMethod, flowOptions, type MethodContext, type MethodDefinition } from "../types.js";
import { requireOwnedBot } from "./bot-access.js";
import { accessDenied, createPrivateChat, isChatAdmin, requireDialogId, resolveSendTarget } from "./chat-access.js";
import { clearsValue, readAttach, readFields, readKeyboard, readText } from "./message-content.js";

const MAX_FORWARDS = 100;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * imbot.v2.Chat.Message.send (spec bots-commands-chats.md §9). Order: bot checks, dialogId,
 * fields, the target chat (ACCESS_DENIED / SENDING_FAILED), text (always truncated, as documented),
 * ATTACH, KEYBOARD, forwardIds, then "is there anything to post". A user id as dialogId opens the
 * bot's 1:1 dialog with that user when it does not exist yet.
 */
const send = defineMethod({
  name: "imbot.v2.Chat.Message.send",
  scope: "imbot",
  mutates: true,
  params: z.object({
    botId: intParam,
    botToken: stringParam,
    dialogId: stringParam,
    fields: anyParam,
  }),
  handler(ctx, params) {
    const bot = requireOwnedBot(ctx, params);
    const dialogId = requireDialogId(params.dialogId);
    const fields = readFields(params.fields, false);
    const target = resolveSendTarget(ctx, bot, dialogId);

    const text = readText(fields.message, "truncate");
    const attach = readAttach(fields.attach);
    const keyboard = readKeyboard(fields.keyboard, bot.id);
    const forwards = readForwardIds(ctx.portal, bot, fields.forwardIds);
    if (text === "" && !attach) throw new EmulatorError("EMPTY_MESSAGE", "The message has neither text nor attach");

    const system = toBool(fields.system, false);
    const urlPreview = toBool(fields.urlPreview, true);
    const replyId = toInt(fields.replyId);
    const templateId = toOptionalString(fields.templateId)?.trim() ?? "";
    if (templateId !== "" && !UUID.test(templateId)) {
      ctx.log.warn(`Chat.Message.send: templateId "${templateId}" is not a UUID; ignored`);
    }
    if (forwards.length > 0) {
      ctx.log.warn(`Chat.Message.send: ${forwards.length} forwardIds checked but not forwarded (not emulated)`);
    }

    const chat = target.chat ?? createPrivateChat(ctx, bot.id, target.peer);
    const botUser = ctx.portal.users[bot.id];
    const posted =
      system && chat.type !== "private"
        ? [`${botUser ? fullName(botUser) : bot.code}:`, text].filter(Boolean).join("\n")
        : text;
    const message = appendMessage(
      ctx.portal,
      { chatId: chat.id, authorId: bot.id, text: posted, isSystem: system, urlPreview, attach, keyboard },
      ctx.now,
    );
    if (replyId > 0) {
      const original = ctx.portal.messages[replyId];
      if (original && original.chatId === chat.id && !original.deleted) message.replyId = replyId;
      else ctx.log.warn(`Chat.Message.send: replyId ${replyId} is not a message of chat ${chat.id}; ignored`);
    }
    if (UUID.test(templateId)) message.uuid = templateId;
    bot.countMessage++;
    publishNewMessage(ctx.portal, message, ctx.events, flowOptions(ctx));
    return { id: message.id, uuidMap: {} };
  },
});

/** `{uuid: messageId}`, at most 100, each a message in a chat the bot is in. */
function readForwardIds(portal: Portal, bot: Bot, value: unknown): number[] {
  if (value === undefined || value === null || value === "" || (Array.isArray(value) && value.length === 0)) return [];
  if (!isPlainObject(value)) throw argumentError("fields.forwardIds", "must be an object of uuid: messageId");
  const entries = Object.entries(value);
  if (entries.length > MAX_FORWARDS) throw argumentError("fields.forwardIds", `may list at most ${MAX_FORWARDS} messages`);
  const ids: number[] = [];
  for (const [uuid, raw] of entries) {
    const id = toInt(raw);
    if (id <= 0) throw argumentError(`fields.forwardIds.${uuid}`, "must be a message id");
    const source = portal.messages[id];
    const chat = source ? portal.chats[source.chatId] : undefined;
    if (!source || source.deleted || !chat || !chat.members.includes(bot.id)) {
      throw accessDenied(`Bot ${bot.id} cannot forward message ${id}`);
    }
    ids.push(id);
  }
  return ids;
}

/**
 * imbot.v2.Chat.Message.update: the bot's own, non-system, not deleted messages. Only the keys
 * given change; `attach`/`keyboard` set to "N" or empty are removed. Overlong text follows
 * `overlongMessage` (reject = ERROR_ARGUMENT naming fields.message).
 */
const update = defineMethod({
  name: "imbot.v2.Chat.Message.update",
  scope: "imbot",
  mutates: true,
  params: z.object({
    botId: intParam,
    botToken: stringParam,
    messageId: intParam,
    fields: anyParam,
  }),
  handler(ctx, params) {
    const bot = requireOwnedBot(ctx, params);
    if (params.messageId <= 0) throw argumentError("messageId", "is required and must be a positive integer");
    const fields = readFields(params.fields, true);

    const message = ctx.portal.messages[params.messageId];
    if (!message || message.deleted || message.isSystem || message.authorId !== bot.id) {
      throw accessDenied(`Message ${params.messageId} is not an editable message of bot ${bot.id}`);
    }

    const has = (key: string) => Object.hasOwn(fields, key);
    if (!["message", "attach", "keyboard", "urlPreview"].some(has)) return booleanResult(ctx);
    const text = has("message") ? readText(fields.message, ctx.settings.overlongMessage) : message.text;
    const attach = has("attach") ? (clearsValue(fields.attach) ? null : readAttach(fields.attach)) : undefined;
    const keyboard = has("keyboard") ? (clearsValue(fields.keyboard) ? null : readKeyboard(fields.keyboard, bot.id)) : undefined;
    const urlPreview = has("urlPreview") ? toBool(fields.urlPreview, true) : message.urlPreview;

    message.text = text;
    message.urlPreview = urlPreview;
    if (attach !== undefined) {
      const { ATTACH: _, ...rest } = message.params;
      message.params = attach ? { ...rest, ATTACH: [attach] } : rest;
    }
    if (keyboard !== undefined) {
      const { KEYBOARD: _, ...rest } = message.params;
      message.params = keyboard ? { ...rest, KEYBOARD: keyboard } : rest;
    }
    publishMessageChange(ctx.portal, message, "update", ctx.events);
    return booleanResult(ctx);
  },
});

/**
 * imbot.v2.Chat.Message.delete: the bot's own messages, or any message (system ones included) of a
 * group chat the bot owns or manages. Soft deletion keeps the row with empty text and params
 * (spec OPEN-B10); `complete` removes it. Bots that saw the message hear of it first.
 */
const remove = defineMethod({
  name: "imbot.v2.Chat.Message.delete",
  scope: "imbot",
  mutates: true,
  params: z.object({
    botId: intParam,
    botToken: stringParam,
    messageId: intParam,
    complete: boolParam(false),
  }),
  handler(ctx, params) {
    const bot = requireOwnedBot(ctx, params);
    if (params.messageId <= 0) throw argumentError("messageId", "is required and must be a positive integer");

    const message = ctx.portal.messages[params.messageId];
    const chat = message ? ctx.portal.chats[message.chatId] : undefined;
    const own = message !== undefined && !message.isSystem && message.authorId === bot.id;
    if (!message || !(own || (chat !== undefined && isChatAdmin(chat, bot.id)))) {
      throw accessDenied(`Bot ${bot.id} may not delete message ${params.messageId}`);
    }

    if (!message.deleted) publishMessageChange(ctx.portal, message, "delete", ctx.events);
    if (params.complete) removeMessage(ctx, message);
    else {
      message.text = "";
      message.params = {};
      message.deleted = true;
    }
    return booleanResult(ctx);
  },
});

/** Removes the row and keeps the chat's counters and the answer windows consistent. */
function removeMessage(ctx: MethodContext, message: Message): void {
  const portal = ctx.portal;
  delete portal.messages[message.id];
  portal.answerGrants = without(portal.answerGrants, (g) => g.messageId === message.id);
  const chat = portal.chats[message.chatId];
  if (!chat) return;
  chat.messageCount = Math.max(0, chat.messageCount - 1);
  if (chat.lastMessageId === message.id) {
    chat.lastMessageId = Object.values(portal.messages)
      .filter((m) => m.chatId === chat.id)
      .reduce((max, m) => Math.max(max, m.id), 0);
  }
}

export const messageMethods: readonly MethodDefinition[] = [send, update, remove];
