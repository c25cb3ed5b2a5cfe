import { dialogIdFor } from "../../../domain/dialog-id.js";
import { shareFile } from "../../../store/files.js";
import { fileView } from "../../../views/file.js";
import { boundParam, objectParam, stringParam, toText } from "../../params/coerce.js";
import { readFields } from "../../params/fields.js";
import { bindChatRef, requireBotChat } from "../chats/lookup.js";
import { bindArray } from "../../params/binder.js";
import { readText } from "../messages/content.js";
import { decodeFileContent } from "./content.js";
import { defineBotMethod } from "../define.js";

/**
 * imbot.v2.File.upload (spec v2-complete.md §2): the bot shares a file in a chat it is in, posted as
 * its message with `params.FILE_ID`. Order: chat lookup, FILE_EMPTY, FILE_TOO_LARGE (on the base64
 * length, before decoding), FILE_INVALID_CONTENT. Bot-authored, so no bot hears of it; a file
 * transfer, so refused inside batch.
 */
export const upload = defineBotMethod({
  name: "imbot.v2.File.upload",
  mutates: true,
  batchable: false,
  params: {
    dialogId: boundParam("string"),
    chatId: boundParam("int"),
    fields: objectParam({ name: stringParam, content: stringParam, message: stringParam }),
  },
  handler(ctx, params, bot) {
    bindChatRef(params);
    const fields = readFields(bindArray(params.fields, "fields"), true);
    const chat = requireBotChat(ctx, bot, params);
    const { name, bytes } = decodeFileContent({ name: toText(fields.name), content: toText(fields.content) }, ctx.settings.maxFileBytes);
    const text = readText(fields.message, "truncate");
    const { file, message } = shareFile(ctx.portal, { chatId: chat.id, authorId: bot.id, name, bytes, text }, ctx.now, ctx);
    bot.countMessage++;
    return { file: fileView(ctx.portal, file), messageId: message.id, chatId: chat.id, dialogId: dialogIdFor(chat, bot.id) };
  },
});
