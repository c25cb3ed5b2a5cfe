import { EmulatorError } from "../../errors/emulator-error.js";
import { EVENT_TYPES } from "../../events/types.js";
import { unbindKeptSubscriptions } from "../../store/kept-subscriptions.js";
import { bindAppEvent, unbindAppEvent } from "../../store/app-event-bindings.js";
import { bindV1Event, unbindV1Handler } from "../../store/v1-handlers.js";
import { anyParam, toInt } from "../params/coerce.js";
import { defineMethod, type MethodContext } from "../types.js";
import { v1Params } from "../imbot-v1/common.js";
import { requireCallbackUrl, textOf } from "../imbot-v2/bots/fields.js";
import { callerApp, requireAppOwner, requireBindableEvent } from "./common.js";

/** What event.bind and event.unbind read (unbind ignores `auth_type` and `event_type`). */
const bindingParams = v1Params({ EVENT: anyParam, HANDLER: anyParam, AUTH_TYPE: anyParam, EVENT_TYPE: anyParam });

/** The caller's app, the handler slot of `event` and `handler`, checked in that order. */
function readBinding(ctx: MethodContext, params: { EVENT?: unknown; HANDLER?: unknown }) {
  return { owner: requireAppOwner(ctx), event: requireBindableEvent(params.EVENT), url: textOf(params.HANDLER) };
}

/**
 * event.bind: the application's handler for a v1 bot event. It is the same binding imbot.register's
 * EVENT_* URLs make (spec OPEN-V15): the last URL bound for an event serves all of the app's v1
 * bots, which get the event through the v1 encoder from then on. ONAPPUPDATE and ONAPPUNINSTALL bind
 * the app's own handler for them, which hears them instead of the install handler.
 */
export const eventBind = defineMethod({
  name: "event.bind",
  scope: "",
  mutates: true,
  params: bindingParams,
  handler(ctx, params) {
    const { owner, event, url } = readBinding(ctx, params);
    const offline = textOf(params.EVENT_TYPE).trim().toLowerCase() === "offline";
    // A queue read through the app's token would hold ONAPPUNINSTALL only once that token is dead.
    if (offline && event.appEvent) throw new EmulatorError("ERROR_ARGUMENT", `${event.appEvent} can only be bound online (event_type online)`);
    // An offline binding is read back through event.offline.get: it needs no handler.
    if (!offline) {
      if (url === "") throw new EmulatorError("ERROR_ARGUMENT", "Handler URL is required");
      requireCallbackUrl(ctx, url);
    }
    const authType = Math.max(0, toInt(params.AUTH_TYPE));
    const binding = { url: offline ? "" : url, authType, ...(offline ? { offline: true as const } : {}) };
    const app = callerApp(ctx);
    if (event.appEvent && app) bindAppEvent(ctx.portal, app, event.appEvent, binding);
    else if (event.slot) bindV1Event(ctx.portal, owner, event.slot, binding);
    return true;
  },
});

/**
 * event.unbind: drops the app's binding of `event` (only if it is at `handler`, when given); `{count}`
 * removed. For an ONIMBOTV2* event it removes the subscriptions the portal kept from the app's bots'
 * earlier handlers (store/kept-subscriptions.ts); a bot's current handler is Bot.update's to change.
 */
export const eventUnbind = defineMethod({
  name: "event.unbind",
  scope: "",
  mutates: true,
  params: bindingParams,
  handler(ctx, params) {
    const v2Event = textOf(params.EVENT).toUpperCase();
    if ((EVENT_TYPES as readonly string[]).includes(v2Event)) {
      requireAppOwner(ctx);
      const clientId = ctx.caller.kind === "oauth" ? ctx.caller.clientId : "";
      const url = textOf(params.HANDLER);
      return { count: unbindKeptSubscriptions(ctx.portal, clientId, v2Event, url === "" ? undefined : url) };
    }
    const { owner, event, url } = readBinding(ctx, params);
    const only = url === "" ? undefined : url;
    const app = callerApp(ctx);
    const removed = event.appEvent ? app !== undefined && unbindAppEvent(app, event.appEvent, only) : unbindV1Handler(ctx.portal, owner, event.slot, only);
    return { count: removed ? 1 : 0 };
  },
});
