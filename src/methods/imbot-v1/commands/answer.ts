import { answersAsSystem, systemAnswerText } from "../../../domain/posting.js";
import { EmulatorError } from "../../../errors/emulator-error.js";
import { publishNewMessage } from "../../../events/message-flow.js";
import { appendMessage, liveMessage } from "../../../store/messages.js";
import type { Command } from "../../../store/state.js";
import { anyParam, intParam, stringParam, toBool } from "../../params/coerce.js";
import { defineMethod, flowOptions, type MethodContext } from "../../types.js";
import { ownsV1Bot, requireV1Owner, v1Params, type V1Owner } from "../common.js";
import { readV1Content, v1ContentParams } from "../messages/content.js";
import { readCommandName, requireOwnedCommand } from "./fields.js";
import { botName } from "../../../store/bots.js";

/**
 * imbot.command.answer (spec v1.md §3): the command's bot replies in the chat of MESSAGE_ID (the
 * message from the ONIMCOMMANDADD event). The command is named by COMMAND_ID or by COMMAND, its
 * name among the owner's commands (bitrixogram answers that way). v1 has no answer window (spec
 * OPEN-V6). A bot that is not in the chat (a COMMON command) answers as a system message naming it.
 */
export const imbotCommandAnswer = defineMethod({
  name: "imbot.command.answer",
  scope: "imbot",
  mutates: true,
  params: v1Params({
    COMMAND_ID: intParam,
    COMMAND: anyParam,
    BOT_ID: intParam,
    MESSAGE_ID: intParam,
    ...v1ContentParams,
    SYSTEM: anyParam,
    CLIENT_ID: stringParam,
  }),
  handler(ctx, params) {
    const owner = requireV1Owner(ctx, params.CLIENT_ID);
    const command =
      params.COMMAND_ID > 0 ? requireOwnedCommand(ctx, owner, params.COMMAND_ID) : commandByName(ctx, owner, readCommandName(params.COMMAND), params.BOT_ID);
    if (params.MESSAGE_ID <= 0) throw new EmulatorError("MESSAGE_ID_EMPTY");
    const { text, attach, keyboard, menu } = readV1Content(params, command.botId, false);
    const chat = liveMessage(ctx.portal, params.MESSAGE_ID)?.chat;
    if (!chat) throw new EmulatorError("WRONG_REQUEST", `Message ${params.MESSAGE_ID} not found`);

    const bot = ctx.portal.bots[command.botId]!;
    const asSystem = answersAsSystem(chat.members, bot.id, toBool(params.SYSTEM, false));
    const posted = appendMessage(
      ctx.portal,
      {
        chatId: chat.id,
        authorId: bot.id,
        text: asSystem ? systemAnswerText(bot.id, botName(ctx.portal, bot), text) : text,
        isSystem: asSystem,
        urlPreview: toBool(params.URL_PREVIEW, true),
        attach,
        keyboard,
      },
      ctx.now,
    );
    if (menu) posted.params.MENU = menu;
    bot.countMessage++;
    publishNewMessage(ctx.portal, posted, ctx.events, flowOptions(ctx));
    return posted.id;
  },
});

/** COMMAND names the command exactly (case-sensitive); BOT_ID, when given, picks among same names. */
function commandByName(ctx: MethodContext, owner: V1Owner, name: string, botId: number): Command {
  const named = Object.values(ctx.portal.commands)
    .filter((c) => name !== "" && c.command === name)
    .sort((a, b) => a.id - b.id);
  const owned = named.filter((c) => {
    const bot = ctx.portal.bots[c.botId];
    return bot !== undefined && ownsV1Bot(owner, bot);
  });
  const chosen = owned.find((c) => c.botId === botId) ?? owned[0];
  if (chosen) return chosen;
  if (named.length > 0) throw new EmulatorError("APP_ID_ERROR", "Command was installed by another rest application");
  throw new EmulatorError("COMMAND_ID_ERROR");
}
