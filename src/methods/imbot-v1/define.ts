import type { z } from "zod";
import type { Command } from "../../store/state.js";
import { intParam, stringParam } from "../params/coerce.js";
import { defineMethod, type MethodContext } from "../types.js";
import { requireV1Bot, requireV1Owner, v1Params, type V1Owner } from "./common.js";
import { requireOwnedCommand } from "./commands/fields.js";

/**
 * The one way a v1 method that acts on one of the caller's bots or commands reads its target: the
 * owner (CLIENT_ID under webhook auth) first, then the bot or command and its ownership, in the
 * server's order (spec v1.md §1). The handler gets the parameters and what was found.
 */

type Params<S extends z.ZodRawShape, T extends z.ZodRawShape> = z.output<z.ZodObject<Omit<S, keyof T> & T>>;
type Ids<T extends z.ZodRawShape> = z.output<z.ZodObject<T>> & { CLIENT_ID: string | undefined };

function defineWithTarget<T extends z.ZodRawShape, Target>(idShape: T, find: (ctx: MethodContext, owner: V1Owner, ids: Ids<T>, idOptional: boolean) => Target) {
  return <S extends z.ZodRawShape>(definition: {
    name: string;
    mutates: boolean;
    /** The id may be left out (BOT_ID: the owner's first bot, spec OPEN-V2). */
    idOptional?: boolean;
    params: S;
    handler(ctx: MethodContext, params: Params<S, T>, target: Target, owner: V1Owner): unknown;
  }) =>
    defineMethod({
      name: definition.name,
      scope: "imbot",
      mutates: definition.mutates,
      params: v1Params({ ...definition.params, ...idShape, CLIENT_ID: stringParam }),
      handler(ctx, params) {
        const ids = params as unknown as Ids<T>;
        const owner = requireV1Owner(ctx, ids.CLIENT_ID);
        const target = find(ctx, owner, ids, definition.idOptional ?? false);
        return definition.handler(ctx, params as unknown as Params<S, T>, target, owner);
      },
    });
}

/** A v1 method acting as one of the caller's bots (BOT_ID). */
export const defineV1BotMethod = defineWithTarget({ BOT_ID: intParam }, (ctx, owner, ids, idOptional) => requireV1Bot(ctx, owner, ids.BOT_ID, idOptional));

/** A v1 method on one of the caller's commands (COMMAND_ID). */
export const defineV1CommandMethod = defineWithTarget({ COMMAND_ID: intParam }, (ctx, owner, ids): Command => requireOwnedCommand(ctx, owner, ids.COMMAND_ID));
