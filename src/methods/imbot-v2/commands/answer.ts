import { z } from "zod";
import { findOpenGrant } from "../../../domain/answer-window.js";
import type { Attach } from "../../../domain/attach.js";
import { dialogIdsOf } from "../../../domain/dialog-id.js";
import type { Keyboard } from "../../../domain/keyboard.js";
import { answersAsSystem, systemAnswerText } from "../../../domain/posting.js";
import { applyLengthLimit, MAX_MESSAGE_LENGTH, normaliseMessageText } from "../../../domain/text.js";
import { argumentError, EmulatorError } from "../../../errors/emulator-error.js";
import { anyParam, intParam, stringParam, toBool, toText } from "../../params/coerce.js";
import { appendMessage, fullName } from "../../../store/messages.js";
import { publishNewMessage } from "../../../events/message-flow.js";
import { booleanResult, defineMethod, flowOptions, type MethodContext } from "../../types.js";
import { requireOwnedBot } from "../bots/access.js";
import { readAttach, readKeyboard } from "../messages/content.js";
import { readFields } from "../../params/fields.js";

/**
 * imbot.v2.Command.answer: a bot's reply to one slash-command invocation (spec command-answer.md).
 * Checks run in the order of its section 9; the first failure wins.
 */
export const commandAnswer = defineMethod({
  name: "imbot.v2.Command.answer",
  scope: "imbot",
  mutates: true,
  params: z.object({
    botId: intParam,
    botToken: stringParam,
    commandId: intParam,
    messageId: intParam,
    dialogId: stringParam,
    fields: anyParam,
  }),
  handler(ctx, params) {
    const bot = requireOwnedBot(ctx, params);

    if (params.commandId <= 0) throw argumentError("commandId", "is required and must be a positive integer");
    if (params.messageId <= 0) throw argumentError("messageId", "is required and must be a positive integer");
    const dialogId = params.dialogId?.trim() ?? "";
    if (dialogId === "") throw argumentError("dialogId", "is required");

    const command = ctx.portal.commands[params.commandId];
    if (!command || command.botId !== bot.id) {
      throw new EmulatorError("COMMAND_NOT_FOUND", `Command ${params.commandId} is not a command of bot ${bot.id}`);
    }

    const message = ctx.portal.messages[params.messageId];
    const chat = message ? ctx.portal.chats[message.chatId] : undefined;
    if (!message || !chat) {
      throw new EmulatorError("COMMAND_ANSWER_FAILED", `Message ${params.messageId} not found`);
    }
    const expectedDialogIds = dialogIdsOf(chat, bot.id);
    if (!expectedDialogIds.includes(dialogId)) {
      const mismatch = `dialogId "${dialogId}" is not the dialog of message ${message.id} (${expectedDialogIds.join(" or ")})`;
      if (ctx.settings.strictDialogId) throw new EmulatorError("COMMAND_ANSWER_FAILED", mismatch);
      ctx.log.warn(`Command.answer: ${mismatch}; answering in the message's chat, as a portal does`);
    }

    const reply = readReply(ctx, params.fields, bot.id);

    const grant = findOpenGrant(
      ctx.portal.answerGrants,
      { botId: bot.id, commandId: command.id, messageId: message.id },
      ctx.now,
    );
    if (!grant) {
      ctx.log.warn(
        `Command.answer: bot ${bot.id} has no open answer window for command ${command.id} on message ${message.id}; a portal answers success and posts nothing`,
      );
      return booleanResult(ctx);
    }

    const asSystem = answersAsSystem(chat.members, bot.id, reply.system);
    const botUser = ctx.portal.users[bot.id];
    const text = asSystem
      ? systemAnswerText(bot.id, botUser ? fullName(botUser) : bot.code, reply.text)
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

/** fields: length, then ATTACH, then KEYBOARD, then "is there anything to post at all". */
function readReply(ctx: MethodContext, fields: unknown, botId: number): Reply {
  const f = readFields(fields, false);
  const text = applyLengthLimit(normaliseMessageText(toText(f.message)), ctx.settings.overlongMessage);
  if (text === null) {
    throw new EmulatorError(
      "COMMAND_ANSWER_FAILED",
      `Message text is longer than ${MAX_MESSAGE_LENGTH} characters (Unicode code points)`,
    );
  }
  const attach = readAttach(f.attach);
  const keyboard = readKeyboard(f.keyboard, botId);
  if (text === "" && !attach && !keyboard) {
    throw new EmulatorError("COMMAND_ANSWER_FAILED", "Nothing to post: the reply has no text, attach or keyboard");
  }
  return { text, attach, keyboard, system: toBool(f.system, false), urlPreview: toBool(f.urlPreview, true) };
}
