import { portalNow } from "../clock/portal-clock.js";
import { isoWithOffsetFromIso } from "../domain/dates.js";
import { EmulatorError } from "../errors/emulator-error.js";
import type { Portal, State } from "../store/state.js";
import { findAccessToken, isLive } from "./grants.js";
import type { OAuthOrigin } from "./token.js";

/** The OAuth server's `app.info` (spec oauth.md §6): who the token belongs to and where it is installed. */
export interface ServerAppInfo {
  client_id: string;
  scope: string;
  expires: string;
  user_id: number;
  install: {
    installed: true;
    version: number;
    status: "L";
    scope: string;
    domain: string;
    uri: string;
    client_endpoint: string;
    member_id: string;
    member_type: "company";
  };
}

/**
 * What the OAuth server knows about an access token. SDKs validate events with it (b24pysdk) and
 * compare `install.uri` with the portal they talk to (b24phpsdk), so both point at this emulator.
 */
export function serverAppInfo(
  state: State,
  token: string | undefined,
  globalNow: Date,
  where: OAuthOrigin,
): { portal: Portal | undefined; result: { info: ServerAppInfo; now: Date } | { error: EmulatorError } } {
  const found = token ? findAccessToken(state, token) : undefined;
  if (!found) return { portal: undefined, result: { error: new EmulatorError("NO_AUTH_FOUND") } };
  const { portal, app, grant } = found;
  const now = portalNow(globalNow, portal);
  if (!isLive(grant.expiresAt, now)) return { portal, result: { error: new EmulatorError("expired_token") } };
  const scope = app.scopes.join(",");
  return {
    portal,
    result: {
      now,
      info: {
        client_id: app.clientId,
        scope,
        // A token that never expires (fixture) reports the end of the century rather than nothing.
        expires: isoWithOffsetFromIso(grant.expiresAt ?? "2099-12-31T23:59:59Z"),
        user_id: grant.userId,
        install: {
          installed: true,
          version: 1,
          status: "L",
          scope,
          // A host name without the port, as a portal's is: b24pysdk accepts an event only when this
          // equals the host name of the event's auth[client_endpoint] (and member_id matches).
          domain: new URL(where.origin).hostname,
          uri: where.origin,
          client_endpoint: `${where.origin}/rest/`,
          member_id: portal.memberId,
          member_type: "company",
        },
      },
    },
  };
}
