import { EmulatorError } from "../../../errors/emulator-error.js";
import { secretEquals } from "../../../domain/secrets.js";
import type { Bot } from "../../../store/state.js";
import type { MethodContext } from "../../types.js";

/**
 * The four checks every imbot.v2 method that acts as a bot runs first, in the server's order:
 * token given (webhook auth only), bot id given, bot exists, caller owns it. Under OAuth the owner
 * is the app; under webhook auth it is whoever presents the bot's token.
 */
export function requireOwnedBot(ctx: MethodContext, params: { botId: number; botToken: string | undefined }): Bot {
  const token = params.botToken?.trim() ?? "";
  if (ctx.caller.kind === "webhook" && token === "") throw new EmulatorError("BOT_TOKEN_NOT_SPECIFIED");
  if (params.botId <= 0) throw new EmulatorError("BOT_ID_REQUIRED");
  const bot = ctx.portal.bots[params.botId];
  if (!bot) throw new EmulatorError("BOT_NOT_FOUND");
  const owns =
    ctx.caller.kind === "oauth"
      ? bot.clientId === ctx.caller.clientId
      : bot.botToken !== null && secretEquals(token, bot.botToken);
  if (!owns) throw new EmulatorError("BOT_OWNERSHIP_ERROR");
  return bot;
}
