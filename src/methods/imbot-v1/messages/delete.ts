import { parseDialogId } from "../../../domain/dialog-id.js";
import { EmulatorError } from "../../../errors/emulator-error.js";
import { deleteMessage } from "../../../events/message-flow.js";
import { anyParam, intParam, stringParam, toBool } from "../../params/coerce.js";
import { defineV1BotMethod } from "../define.js";
import { requireEditableMessage } from "./update.js";

/**
 * imbot.message.delete (spec v1.md §4): the bot's own message; COMPLETE=Y removes the row, else a
 * deletion mark stays. Bots that saw the message hear of it first.
 */
export const imbotMessageDelete = defineV1BotMethod({
  name: "imbot.message.delete",
  mutates: true,
  idOptional: true,
  params: { MESSAGE_ID: intParam, COMPLETE: anyParam },
  handler(ctx, params, bot) {
    const message = requireEditableMessage(ctx, bot.id, params.MESSAGE_ID);
    deleteMessage(ctx.portal, message, toBool(params.COMPLETE, false), ctx.events);
    return true;
  },
});

/** imbot.chat.sendTyping (spec v1.md §4): "the bot is typing" is not stored; the dialog must be readable. */
export const imbotChatSendTyping = defineV1BotMethod({
  name: "imbot.chat.sendTyping",
  mutates: false,
  idOptional: true,
  params: { DIALOG_ID: stringParam },
  handler(_ctx, params) {
    if (!parseDialogId(params.DIALOG_ID?.trim() ?? "")) throw new EmulatorError("DIALOG_ID_EMPTY");
    return true;
  },
});
