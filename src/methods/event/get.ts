import type { V1Binding, V1HandlerKind } from "../../store/state.js";
import { defineMethod } from "../types.js";
import { v1Params } from "../imbot-v1/common.js";
import { requireAppOwner } from "./common.js";
import { eventNameOf } from "./names.js";

/** event.get: the app's bindings, those imbot.register made for its v1 bots included (spec OPEN-V15). */
export const eventGet = defineMethod({
  name: "event.get",
  scope: "",
  mutates: false,
  params: v1Params({}),
  handler(ctx) {
    const owner = requireAppOwner(ctx);
    const bound = ctx.portal.v1Handlers?.owners[owner] ?? {};
    return (Object.entries(bound) as [V1HandlerKind, V1Binding][])
      .sort(([, a], [, b]) => a.id - b.id)
      .map(([kind, binding]) => ({ event: eventNameOf(kind), handler: binding.url, auth_type: String(binding.authType ?? 0), offline: binding.offline ? 1 : 0 }));
  },
});
