import { without } from "../../../store/lists.js";
import { z } from "zod";
import { intParam, stringParam } from "../../params/coerce.js";
import { commandListView } from "../../../views/command.js";
import { booleanResult, defineMethod } from "../../types.js";
import { requireOwnedBot } from "../bots/access.js";
import { requireBotCommand } from "./fields.js";

/**
 * imbot.v2.Command.list (spec bots-commands-chats.md section 8): every command of the bot, hidden
 * ones included (OPEN-B8), oldest first, with title and params in the portal's language.
 */
export const commandList = defineMethod({
  name: "imbot.v2.Command.list",
  scope: "imbot",
  mutates: false,
  params: z.object({ botId: intParam, botToken: stringParam }),
  handler(ctx, params) {
    const bot = requireOwnedBot(ctx, params);
    const commands = Object.values(ctx.portal.commands)
      .filter((c) => c.botId === bot.id)
      .sort((a, b) => a.id - b.id)
      .map((c) => commandListView(c, ctx.portal));
    return { commands };
  },
});

/**
 * imbot.v2.Command.unregister (spec section 8): removes one of the bot's commands. Open answer
 * windows of that command close with it, so a late Command.answer gets COMMAND_NOT_FOUND.
 */
export const commandUnregister = defineMethod({
  name: "imbot.v2.Command.unregister",
  scope: "imbot",
  mutates: true,
  params: z.object({ botId: intParam, botToken: stringParam, commandId: intParam }),
  handler(ctx, params) {
    const bot = requireOwnedBot(ctx, params);
    const command = requireBotCommand(ctx, bot, params.commandId);
    delete ctx.portal.commands[command.id];
    ctx.portal.answerGrants = without(ctx.portal.answerGrants, (g) => g.commandId === command.id);
    return booleanResult(ctx);
  },
});
