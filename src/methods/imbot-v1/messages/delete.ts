import { parseDialogId } from "../../../domain/dialog-id.js";
import { EmulatorError } from "../../../errors/emulator-error.js";
import { publishMessageChange } from "../../../events/message-flow.js";
import { markMessageDeleted, removeMessage } from "../../../store/messages.js";
import { anyParam, intParam, stringParam, toBool } from "../../params/coerce.js";
import { defineMethod } from "../../types.js";
import { requireV1Bot, requireV1Owner, v1Params } from "../common.js";
import { requireEditableMessage } from "./update.js";

/**
 * imbot.message.delete (spec v1.md §4): the bot's own message; COMPLETE=Y removes the row, else a
 * deletion mark stays. Bots that saw the message hear of it first.
 */
export const imbotMessageDelete = defineMethod({
  name: "imbot.message.delete",
  scope: "imbot",
  mutates: true,
  params: v1Params({ BOT_ID: intParam, MESSAGE_ID: intParam, COMPLETE: anyParam, CLIENT_ID: stringParam }),
  handler(ctx, params) {
    const owner = requireV1Owner(ctx, params.CLIENT_ID);
    const bot = requireV1Bot(ctx, owner, params.BOT_ID, true);
    const message = requireEditableMessage(ctx, bot.id, params.MESSAGE_ID);
    publishMessageChange(ctx.portal, message, "delete", ctx.events);
    if (toBool(params.COMPLETE, false)) removeMessage(ctx.portal, message);
    else markMessageDeleted(message);
    return true;
  },
});

/** imbot.chat.sendTyping (spec v1.md §4): "the bot is typing" is not stored; the dialog must be readable. */
export const imbotChatSendTyping = defineMethod({
  name: "imbot.chat.sendTyping",
  scope: "imbot",
  mutates: false,
  params: v1Params({ BOT_ID: intParam, DIALOG_ID: stringParam, CLIENT_ID: stringParam }),
  handler(ctx, params) {
    const owner = requireV1Owner(ctx, params.CLIENT_ID);
    requireV1Bot(ctx, owner, params.BOT_ID, true);
    if (!parseDialogId(params.DIALOG_ID?.trim() ?? "")) throw new EmulatorError("DIALOG_ID_EMPTY");
    return true;
  },
});
