import { EmulatorError } from "../../errors/emulator-error.js";
import { bindV1Handlers, unbindV1Handler } from "../../store/v1-handlers.js";
import { anyParam } from "../params/coerce.js";
import { defineMethod, type MethodContext } from "../types.js";
import { v1Params } from "../imbot-v1/common.js";
import { requireCallbackUrl, textOf } from "../imbot-v2/bots/fields.js";
import { requireAppOwner, requireBindableEvent } from "./common.js";

/** What event.bind and event.unbind read; `auth_type` and `event_type` are read and ignored. */
const bindingParams = v1Params({ EVENT: anyParam, HANDLER: anyParam, AUTH_TYPE: anyParam, EVENT_TYPE: anyParam });

/** The caller's app, the handler slot of `event` and `handler`, checked in that order. */
function readBinding(ctx: MethodContext, params: { EVENT?: unknown; HANDLER?: unknown }) {
  return { owner: requireAppOwner(ctx), kind: requireBindableEvent(params.EVENT), url: textOf(params.HANDLER) };
}

/**
 * event.bind: the application's handler for a v1 bot event. It is the same binding imbot.register's
 * EVENT_* URLs make (spec OPEN-V15): the last URL bound for an event serves all of the app's v1
 * bots, which get the event through the v1 encoder from then on.
 */
export const eventBind = defineMethod({
  name: "event.bind",
  scope: "",
  mutates: true,
  params: bindingParams,
  handler(ctx, params) {
    const { owner, kind, url } = readBinding(ctx, params);
    if (url === "") throw new EmulatorError("ERROR_ARGUMENT", "Handler URL is required");
    requireCallbackUrl(ctx, url);
    bindV1Handlers(ctx.portal, owner, { [kind]: url });
    return true;
  },
});

/** event.unbind: drops the app's binding of `event` (only if it is at `handler`, when given); `{count}` removed. */
export const eventUnbind = defineMethod({
  name: "event.unbind",
  scope: "",
  mutates: true,
  params: bindingParams,
  handler(ctx, params) {
    const { owner, kind, url } = readBinding(ctx, params);
    const removed = unbindV1Handler(ctx.portal, owner, kind, url === "" ? undefined : url);
    return { count: removed ? 1 : 0 };
  },
});
