import type { Portal } from "../store/state.js";
import type { EventSink } from "./sink.js";

type AppTokens = ReturnType<EventSink["appTokens"]>;

/**
 * The `auth` block of an event an app's handler receives with OAuth (ONAPPINSTALL/ONAPPUPDATE, and
 * beside the bot in the imbot.v2 events): a live token pair and where to use and refresh it, keys in
 * the portal's order.
 */
export function oauthAuthBlock(portal: Portal, tokens: AppTokens, endpoints: { client: string; server: string }, applicationToken: string) {
  return {
    access_token: tokens.access_token,
    expires: tokens.expires,
    expires_in: tokens.expires_in,
    scope: tokens.scope,
    domain: portal.domain,
    server_endpoint: endpoints.server,
    status: "L",
    client_endpoint: endpoints.client,
    member_id: portal.memberId,
    user_id: tokens.user_id,
    refresh_token: tokens.refresh_token,
    application_token: applicationToken,
  };
}
