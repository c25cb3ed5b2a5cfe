import { dialogIdFor } from "../../../domain/dialog-id.js";
import { EmulatorError } from "../../../errors/emulator-error.js";
import { addFile } from "../../../store/files.js";
import { appendMessage } from "../../../store/messages.js";
import { anyParam, intParam, objectParam, stringParam, toText } from "../../params/coerce.js";
import { readFields } from "../../params/fields.js";
import { defineMethod } from "../../types.js";
import { botParams, requireOwnedBot } from "../bots/access.js";
import { requireBotChat } from "../chats/lookup.js";
import { readText } from "../messages/content.js";
import { fileView } from "./view.js";

/** 100 MiB decoded is at most this many base64 characters; longer content is refused undecoded. */
export const MAX_BASE64_LENGTH = 139_810_133;

/** Strict base64 (PHP `base64_decode($s, true)`): only the alphabet, padding at the end. */
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * imbot.v2.File.upload (spec v2-complete.md §2): the bot shares a file in a chat it is in, posted as
 * its message with `params.FILE_ID`. Order: chat lookup, FILE_EMPTY, FILE_TOO_LARGE (on the base64
 * length, before decoding), FILE_INVALID_CONTENT. Bot-authored, so no bot hears of it; a file
 * transfer, so refused inside batch.
 */
export const upload = defineMethod({
  name: "imbot.v2.File.upload",
  scope: "imbot",
  mutates: true,
  batchable: false,
  params: botParams({
    botId: intParam,
    botToken: stringParam,
    dialogId: anyParam,
    chatId: anyParam,
    fields: objectParam({ name: stringParam, content: stringParam, message: stringParam }),
  }),
  handler(ctx, params) {
    const bot = requireOwnedBot(ctx, params);
    const chat = requireBotChat(ctx, bot, params);
    const fields = readFields(params.fields, true);
    const name = toText(fields.name).trim();
    const content = toText(fields.content);
    if (name === "" || content === "") throw new EmulatorError("FILE_EMPTY", "fields.name and fields.content are required");
    if (content.length > MAX_BASE64_LENGTH) {
      throw new EmulatorError("FILE_TOO_LARGE", `fields.content is ${content.length} base64 characters; at most ${MAX_BASE64_LENGTH} (100 MiB)`);
    }
    if (!BASE64.test(content) || content.length % 4 === 1) throw new EmulatorError("FILE_INVALID_CONTENT", "fields.content is not valid base64");
    const text = readText(fields.message, "truncate");
    const bytes = Buffer.from(content, "base64");

    const date = ctx.now.toISOString();
    const file = addFile(ctx.portal, { chatId: chat.id, authorId: bot.id, date, name, size: bytes.length, contentBase64: bytes.toString("base64") });
    const message = appendMessage(ctx.portal, { chatId: chat.id, authorId: bot.id, text, isSystem: false, urlPreview: false, attach: null, keyboard: null }, ctx.now);
    message.params.FILE_ID = [file.id];
    bot.countMessage++;
    return { file: fileView(ctx.portal, file), messageId: message.id, chatId: chat.id, dialogId: dialogIdFor(chat, bot.id) };
  },
});
