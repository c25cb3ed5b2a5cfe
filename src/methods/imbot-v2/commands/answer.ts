import { isAnswerWindowOpen } from "../../../domain/answer-window.js";
import { validateAttach, type Attach } from "../../../domain/attach.js";
import { dialogIdsOf } from "../../../domain/dialog-id.js";
import { normaliseKeyboard, type Keyboard } from "../../../domain/keyboard.js";
import { answersAsSystem, systemAnswerText } from "../../../domain/posting.js";
import { applyLengthLimit, MAX_MESSAGE_LENGTH, normaliseMessageText } from "../../../domain/text.js";
import { EmulatorError } from "../../../errors/emulator-error.js";
import { boundParam, objectParam, toBool, toText } from "../../params/coerce.js";
import { appendMessage } from "../../../store/messages.js";
import { publishNewMessage } from "../../../events/message-flow.js";
import { booleanResult, flowOptions, type MethodContext } from "../../types.js";
import { bindInt, bindString } from "../../params/binder.js";
import { MESSAGE_FIELDS } from "../messages/content.js";
import { readFields } from "../../params/fields.js";
import { botName } from "../../../store/bots.js";
import { defineBotMethod } from "../define.js";

/**
 * imbot.v2.Command.answer: a bot's reply in a dialog where one of its commands was called (spec
 * command-answer.md, corrected by v2-complete.md §4 a, b, e). Order: bot checks, the binder (code
 * "100" for an absent or non-integer commandId/messageId, an absent dialogId), COMMAND_NOT_FOUND,
 * the message (COMMAND_ANSWER_FAILED), the bot's answer window in the message's chat, then the
 * content. With no open window a portal answers success and posts nothing, whatever the content.
 */
export const commandAnswer = defineBotMethod({
  name: "imbot.v2.Command.answer",
  mutates: true,
  params: {
    commandId: boundParam("int"),
    messageId: boundParam("int"),
    dialogId: boundParam("string"),
    fields: objectParam(MESSAGE_FIELDS),
  },
  handler(ctx, params, bot) {
    const commandId = bindInt(params.commandId, "commandId");
    const messageId = bindInt(params.messageId, "messageId");
    // The dialog is taken from the message; the parameter only has to be there.
    const dialogId = bindString(params.dialogId, "dialogId").trim();

    const command = ctx.portal.commands[commandId];
    if (!command || command.botId !== bot.id) {
      throw new EmulatorError("COMMAND_NOT_FOUND", `Command ${commandId} is not a command of bot ${bot.id}`);
    }

    const message = ctx.portal.messages[messageId];
    const chat = message ? ctx.portal.chats[message.chatId] : undefined;
    if (!message || !chat) {
      throw new EmulatorError("COMMAND_ANSWER_FAILED", `Message ${messageId} not found`);
    }
    const expectedDialogIds = dialogIdsOf(chat, bot.id);
    if (dialogId !== "" && !expectedDialogIds.includes(dialogId)) {
      const mismatch = `dialogId "${dialogId}" is not the dialog of message ${message.id} (${expectedDialogIds.join(" or ")})`;
      if (ctx.settings.strictDialogId) throw new EmulatorError("COMMAND_ANSWER_FAILED", mismatch);
      ctx.log.warn(`Command.answer: ${mismatch}; answering in the message's chat, as a portal does`);
    }

    if (!isAnswerWindowOpen(ctx.portal.answerGrants, bot.id, chat, message.authorId, ctx.now)) {
      ctx.log.warn(
        `Command.answer: bot ${bot.id} has no open answer window in chat ${chat.id} (none of its commands there in the last ${ctx.settings.answerWindowSeconds} s); a portal answers success and posts nothing`,
      );
      return booleanResult(ctx);
    }

    const reply = readReply(ctx, params.fields, bot.id);
    const asSystem = answersAsSystem(chat.members, bot.id, reply.system);
    const text = asSystem
      ? systemAnswerText(bot.id, botName(ctx.portal, bot), reply.text)
      : reply.text;
    const posted = appendMessage(
      ctx.portal,
      {
        chatId: chat.id,
        authorId: bot.id,
        text,
        isSystem: asSystem,
        urlPreview: reply.urlPreview,
        attach: reply.attach,
        keyboard: reply.keyboard,
      },
      ctx.now,
    );
    bot.countMessage++;
    // Other bots that may see the reply hear of it; the answering bot and system messages reach no one.
    publishNewMessage(ctx.portal, posted, ctx.events, flowOptions(ctx));
    return booleanResult(ctx);
  },
});

interface Reply {
  text: string;
  attach: Attach | null;
  keyboard: Keyboard | null;
  system: boolean;
  urlPreview: boolean;
}

/**
 * fields as the portal's answer action reads them: attach and keyboard are passed on raw, so ones
 * it cannot use are dropped silently (never ATTACH_ERROR); a reply with nothing left to post, or too
 * long to store, is COMMAND_ANSWER_FAILED.
 */
function readReply(ctx: MethodContext, fields: unknown, botId: number): Reply {
  const f = readFields(fields, false);
  const text = applyLengthLimit(normaliseMessageText(toText(f.message)), ctx.settings.overlongMessage);
  if (text === null) {
    throw new EmulatorError(
      "COMMAND_ANSWER_FAILED",
      `Message text is longer than ${MAX_MESSAGE_LENGTH} characters (Unicode code points)`,
    );
  }
  const attach = validateAttach(f.attach);
  if (!attach.ok && attach.code === "ATTACH_OVERSIZE") throw new EmulatorError("COMMAND_ANSWER_FAILED", attach.reason);
  if (!attach.ok) ctx.log.warn(`Command.answer: ${attach.reason}; the attach is dropped, as a portal drops it`);
  const keyboard = normaliseKeyboard(f.keyboard, botId);
  if (!keyboard.ok) ctx.log.warn(`Command.answer: ${keyboard.reason}; the keyboard is dropped, as a portal drops it`);
  const usable = { attach: attach.ok ? attach.attach : null, keyboard: keyboard.ok ? keyboard.keyboard : null };
  if (text === "" && !usable.attach && !usable.keyboard) {
    throw new EmulatorError("COMMAND_ANSWER_FAILED", "Nothing to post: the reply has no text, attach or keyboard");
  }
  return { text, ...usable, system: toBool(f.system, false), urlPreview: toBool(f.urlPreview, true) };
}
