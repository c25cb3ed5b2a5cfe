import { argumentError } from "../../../errors/emulator-error.js";
import { clearBlockedPresses } from "../../../store/button-blocks.js";
import { publishMessageChange } from "../../../events/message-flow.js";
import { anyParam, intParam, objectParam, toBool } from "../../params/coerce.js";
import { booleanResult } from "../../types.js";
import { accessDenied } from "../chats/access.js";
import { clearsValue, readAttach, readKeyboard, readText, MESSAGE_FIELDS } from "./content.js";
import { readFields } from "../../params/fields.js";
import { defineBotMethod } from "../define.js";

/**
 * imbot.v2.Chat.Message.update: the bot's own, non-system, not deleted messages. Only the keys
 * given change; `attach`/`keyboard` set to "N" or empty are removed. Overlong text follows
 * `overlongMessage` (reject = ERROR_ARGUMENT naming fields.message).
 */
export const update = defineBotMethod({
  name: "imbot.v2.Chat.Message.update",
  mutates: true,
  params: {
    messageId: intParam,
    fields: objectParam({ message: MESSAGE_FIELDS.message, attach: anyParam, keyboard: anyParam, urlPreview: MESSAGE_FIELDS.urlPreview }),
  },
  handler(ctx, params, bot) {
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
    message.edited = true;
    if (attach !== undefined) {
      const { ATTACH: _, ...rest } = message.params;
      message.params = attach ? { ...rest, ATTACH: [attach] } : rest;
    }
    if (keyboard !== undefined) {
      const { KEYBOARD: _, ...rest } = message.params;
      message.params = keyboard ? { ...rest, KEYBOARD: keyboard } : rest;
      clearBlockedPresses(message);
    }
    publishMessageChange(ctx.portal, message, "update", ctx.events);
    return booleanResult(ctx);
  },
});
