import { EmulatorError } from "../../errors/emulator-error.js";
import { isAppLifecycleEvent } from "../../store/app-event-bindings.js";
import type { App, AppLifecycleEvent, V1HandlerKind } from "../../store/state.js";
import { oauthOwnerKey, type V1OwnerKey } from "../../store/v1-handlers.js";
import type { MethodContext } from "../types.js";
import { textOf } from "../imbot-v2/bots/fields.js";
import { handlerSlotOf } from "./names.js";

/** Event bindings belong to an application: a webhook has none to bind (spec v1.md §8). */
export function requireAppOwner(ctx: MethodContext): V1OwnerKey {
  if (ctx.caller.kind !== "oauth") throw new EmulatorError("WRONG_AUTH_TYPE");
  return oauthOwnerKey(ctx.caller.clientId);
}

/** The caller's installed app (an OAuth caller's token is always one of them). */
export function callerApp(ctx: MethodContext): App | undefined {
  const clientId = ctx.caller.kind === "oauth" ? ctx.caller.clientId : undefined;
  return ctx.portal.apps.find((app) => app.clientId === clientId);
}

/** What event.bind can route: a v1 bot event to the owner's handler slot, or one of the app's own lifecycle events. */
export type BindableEvent = { slot: V1HandlerKind; appEvent?: never } | { appEvent: AppLifecycleEvent; slot?: never };

/** `event` (any case, as `OnAppUninstall`) as what it binds; ERROR_EVENT_NOT_FOUND for any other event. */
export function requireBindableEvent(value: unknown): BindableEvent {
  const name = textOf(value).toUpperCase();
  if (isAppLifecycleEvent(name)) return { appEvent: name };
  const slot = handlerSlotOf(name);
  if (!slot) throw new EmulatorError("ERROR_EVENT_NOT_FOUND");
  return { slot };
}
