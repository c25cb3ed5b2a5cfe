import { z } from "zod";
import { isPlainObject, type PlainObject } from "../../domain/json-value.js";
import { secretEquals } from "../../domain/secrets.js";
import { EmulatorError } from "../../errors/emulator-error.js";
import type { Bot } from "../../store/state.js";
import { customOwnerKey, oauthOwnerKey, type V1OwnerKey } from "../../store/v1-handlers.js";
import type { MethodContext } from "../types.js";

/**
 * What every imbot v1 method shares (spec v1.md §1): UPPER_CASE parameters in any case, the owner
 * (an OAuth app, or the CLIENT_ID a webhook caller sends), and the bot checks in the server's order.
 */

/** The server upper-cases top-level keys, so `bot_id` and `BOT_ID` are the same parameter. */
export function upperKeys(value: PlainObject): PlainObject {
  const out: PlainObject = {};
  for (const [key, child] of Object.entries(value)) out[key.toUpperCase()] = child;
  return out;
}

/** A params schema over upper-cased keys. */
export function v1Params<S extends z.ZodRawShape>(shape: S) {
  return z.record(z.string(), z.unknown()).transform(upperKeys).pipe(z.object(shape));
}

/** A nested object parameter (FIELDS, PROPERTIES) with upper-cased keys; anything else is empty. */
export function upperObject(value: unknown): PlainObject {
  return isPlainObject(value) ? upperKeys(value) : {};
}

export interface V1Owner {
  key: V1OwnerKey;
  /** The OAuth app, under OAuth. */
  clientId: string | null;
  /** The CLIENT_ID text, under webhook auth. */
  customId: string | null;
}

/** First check of every owner-bound v1 method: under webhook auth the CLIENT_ID must be there. */
export function requireV1Owner(ctx: MethodContext, clientIdParam: string | undefined): V1Owner {
  if (ctx.caller.kind === "oauth") return { key: oauthOwnerKey(ctx.caller.clientId), clientId: ctx.caller.clientId, customId: null };
  const customId = clientIdParam?.trim() ?? "";
  if (customId === "") throw new EmulatorError("ACCESS_DENIED", "Access denied! Client ID not specified", { alternateStatus: true });
  return { key: customOwnerKey(customId), clientId: null, customId };
}

/** OAuth owns by app; a webhook CLIENT_ID owns the bots registered with it, v2 botTokens included (spec OPEN-V13). */
export function ownsV1Bot(owner: V1Owner, bot: Bot): boolean {
  if (owner.clientId !== null) return bot.clientId === owner.clientId;
  return bot.botToken !== null && owner.customId !== null && secretEquals(owner.customId, bot.botToken);
}

export function ownedBots(ctx: MethodContext, owner: V1Owner): Bot[] {
  return Object.values(ctx.portal.bots)
    .filter((bot) => ownsV1Bot(owner, bot))
    .sort((a, b) => a.id - b.id);
}

/**
 * The bot a v1 method acts as. `optional`: BOT_ID may be left out, meaning the owner's first bot
 * (spec OPEN-V2, lowest id).
 */
export function requireV1Bot(ctx: MethodContext, owner: V1Owner, botId: number, optional = false): Bot {
  if (botId <= 0) {
    const first = optional ? ownedBots(ctx, owner)[0] : undefined;
    if (!first) throw new EmulatorError("BOT_ID_ERROR", optional ? "No bot of this application found" : "Bot not found");
    return first;
  }
  const bot = ctx.portal.bots[botId];
  if (!bot) throw new EmulatorError("BOT_ID_ERROR", "Bot not found");
  if (!ownsV1Bot(owner, bot)) throw new EmulatorError("APP_ID_ERROR", "Bot was installed by another rest application");
  return bot;
}
