import type { V1Binding, V1HandlerKind } from "../../store/state.js";
import { defineMethod } from "../types.js";
import { v1Params } from "../imbot-v1/common.js";
import { callerApp, requireAppOwner } from "./common.js";
import { eventNameOf } from "./names.js";
import { appSubscriptions } from "../../store/kept-subscriptions.js";

/**
 * event.get: the app's bindings, its own lifecycle events' and those imbot.register made for its v1
 * bots included (spec OPEN-V15), then its ONIMBOTV2* subscriptions: its webhook bots' current ones and
 * those kept below revision 35 (BOT-FIX-0501-1), each of which gets the events.
 */
export const eventGet = defineMethod({
  name: "event.get",
  scope: "",
  mutates: false,
  params: v1Params({}),
  handler(ctx) {
    const owner = requireAppOwner(ctx);
    const botEvents = (Object.entries(ctx.portal.v1Handlers?.owners[owner] ?? {}) as [V1HandlerKind, V1Binding][]).map(([kind, binding]) => [eventNameOf(kind), binding] as const);
    const appEvents = Object.entries(callerApp(ctx)?.eventBindings ?? {}) as [string, V1Binding][];
    const bound = [...botEvents, ...appEvents]
      .sort(([, a], [, b]) => a.id - b.id)
      .map(([event, binding]) => ({ event, handler: binding.url, auth_type: String(binding.authType ?? 0), offline: binding.offline ? 1 : 0 }));
    const clientId = ctx.caller.kind === "oauth" ? ctx.caller.clientId : "";
    const v2 = appSubscriptions(ctx.portal, clientId).map((row) => ({ event: row.event, handler: row.url, auth_type: "0", offline: 0 }));
    return [...bound, ...v2];
  },
});
