import type { z } from "zod";
import type { Bot } from "../../store/state.js";
import { intParam, stringParam } from "../params/coerce.js";
import { defineMethod, type MethodContext } from "../types.js";
import { botParams, requireOwnedBot } from "./bots/access.js";

/** The bot a method acts as: its id, and the webhook owner key (botParams reads their aliases). */
const botIdentity = { botId: intParam, botToken: stringParam };

type Params<S extends z.ZodRawShape> = z.output<z.ZodObject<S & typeof botIdentity>>;

/**
 * The one way an imbot.v2 method that acts as one of the caller's bots is declared: the bot's
 * identity joins the method's own parameters, and requireOwnedBot's four checks run before anything
 * else the method reads (README §6), so the handler starts with the bot.
 */
export function defineBotMethod<S extends z.ZodRawShape>(definition: {
  name: string;
  mutates: boolean;
  /** Refused inside batch (a file transfer). */
  batchable?: boolean;
  params: S;
  handler(ctx: MethodContext, params: Params<S>, bot: Bot): unknown;
}) {
  return defineMethod({
    name: definition.name,
    scope: "imbot",
    mutates: definition.mutates,
    ...(definition.batchable === undefined ? {} : { batchable: definition.batchable }),
    params: botParams({ ...definition.params, ...botIdentity }),
    handler: (ctx, params) => {
      const bot = requireOwnedBot(ctx, params as unknown as { botId: number; botToken: string | undefined });
      return definition.handler(ctx, params as Params<S>, bot);
    },
  });
}
