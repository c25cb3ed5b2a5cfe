import { z } from "zod";
import { isPlainObject, type PlainObject } from "../../../domain/json-value.js";
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

/**
 * Older names of `botToken` a portal still reads: `clientId` and `CLIENT_ID`, the webhook owner key
 * of imbot v1 and of Bot.* before revision 34 (BOT-FIX-0408-6). The conformance report names them
 * as deprecated aliases.
 */
export const DEPRECATED_BOT_TOKEN_ALIASES: readonly string[] = ["clientId", "CLIENT_ID"];

/**
 * The parameters of an imbot.v2 method. The portal's BotController also reads the upper-case and
 * older names of the bot identity (spec v2-complete.md §4 d): `BOT_ID` for `botId`, and for the
 * webhook owner key `BOT_TOKEN`, then `clientId`, then `CLIENT_ID`; the camelCase name wins.
 */
export function botParams<T extends z.ZodRawShape>(shape: T) {
  return z.preprocess(withBotAliases, z.object(shape));
}

function withBotAliases(raw: unknown): unknown {
  if (!isPlainObject(raw)) return raw;
  const params: PlainObject = { ...raw };
  const given = (key: string) => params[key] !== undefined && params[key] !== null && params[key] !== "";
  if (!given("botId") && given("BOT_ID")) params.botId = params.BOT_ID;
  if (!given("botToken")) {
    const alias = ["BOT_TOKEN", ...DEPRECATED_BOT_TOKEN_ALIASES].find(given);
    if (alias) params.botToken = params[alias];
  }
  return params;
}
