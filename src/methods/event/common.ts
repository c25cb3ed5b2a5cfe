import { EmulatorError } from "../../errors/emulator-error.js";
import type { V1HandlerKind } from "../../store/state.js";
import { oauthOwnerKey, type V1OwnerKey } from "../../store/v1-handlers.js";
import type { MethodContext } from "../types.js";
import { textOf } from "../imbot-v2/bots/fields.js";
import { handlerSlotOf } from "./names.js";

/** Event bindings belong to an application: a webhook has none to bind (spec v1.md §8). */
export function requireAppOwner(ctx: MethodContext): V1OwnerKey {
  if (ctx.caller.kind !== "oauth") throw new EmulatorError("WRONG_AUTH_TYPE");
  return oauthOwnerKey(ctx.caller.clientId);
}

/** `event` (any case) as the handler slot it fills; ERROR_EVENT_NOT_FOUND for any other event. */
export function requireBindableEvent(value: unknown): V1HandlerKind {
  const kind = handlerSlotOf(textOf(value).toUpperCase());
  if (!kind) throw new EmulatorError("ERROR_EVENT_NOT_FOUND");
  return kind;
}
