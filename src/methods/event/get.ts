import type { V1Binding, V1HandlerKind } from "../../store/state.js";
import { defineMethod } from "../types.js";
import { v1Params } from "../imbot-v1/common.js";
import { requireAppOwner } from "./common.js";
import { eventNameOf } from "./names.js";
import { appSubscriptions } from "../../store/kept-subscriptions.js";

/**
 * event.get: the app's bindings, those imbot.register made for its v1 bots included (spec OPEN-V15),
 * then its ONIMBOTV2* subscriptions: its webhook bots' current ones and those kept below revision 35
 * (BOT-FIX-0501-1), each of which gets the events.
 */
export const eventGet = defineMethod({
  name: "event.get",
  scope: "",
  mutates: false,
  params: v1Params({}),
  handler(ctx) {
    const owner = requireAppOwner(ctx);
    const bound = ctx.portal.v1Handlers?.owners[owner] ?? {};
    const v1 = (Object.entries(bound) as [V1HandlerKind, V1Binding][])
      .sort(([, a], [, b]) => a.id - b.id)
      .map(([kind, binding]) => ({ event: eventNameOf(kind), handler: binding.url, auth_type: String(binding.authType ?? 0), offline: binding.offline ? 1 : 0 }));
    const clientId = ctx.caller.kind === "oauth" ? ctx.caller.clientId : "";
    const v2 = appSubscriptions(ctx.portal, clientId).map((row) => ({ event: row.event, handler: row.url, auth_type: "0", offline: 0 }));
    return [...v1, ...v2];
  },
});
