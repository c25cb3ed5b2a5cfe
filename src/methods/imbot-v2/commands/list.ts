import { intParam } from "../../params/coerce.js";
import { commandListView } from "../../../views/command.js";
import { booleanResult } from "../../types.js";
import { requireBotCommand } from "./fields.js";
import { defineBotMethod } from "../define.js";

/**
 * imbot.v2.Command.list (spec bots-commands-chats.md section 8): every command of the bot, hidden
 * ones included (OPEN-B8), oldest first, with title and params in the portal's language.
 */
export const commandList = defineBotMethod({
  name: "imbot.v2.Command.list",
  mutates: false,
  params: {},
  handler(ctx, params, bot) {
    const commands = Object.values(ctx.portal.commands)
      .filter((c) => c.botId === bot.id)
      .sort((a, b) => a.id - b.id)
      .map((c) => commandListView(c, ctx.portal))
      // Before REST revision 34 (BOT-FIX-0408-3) REST-registered commands came back without texts.
      .map((view) => (ctx.settings.restRevision < 34 ? { ...view, title: "", params: "" } : view));
    return { commands };
  },
});

/**
 * imbot.v2.Command.unregister (spec section 8): removes one of the bot's commands, so a late
 * Command.answer naming it gets COMMAND_NOT_FOUND. Answer windows belong to the dialog, not the
 * command, and stay open for the bot's other commands.
 */
export const commandUnregister = defineBotMethod({
  name: "imbot.v2.Command.unregister",
  mutates: true,
  params: { commandId: intParam },
  handler(ctx, params, bot) {
    const command = requireBotCommand(ctx, bot, params.commandId);
    delete ctx.portal.commands[command.id];
    return booleanResult(ctx);
  },
});
