import { portalNow } from "../clock/portal-clock.js";
import { secretEquals } from "../domain/secrets.js";
import { EmulatorError } from "../errors/emulator-error.js";
import type { RandomSource } from "../random/random-source.js";
import type { App, Portal, State } from "../store/state.js";
import { appsWithClientId, issueGrant, liveCode, liveRefreshToken, spend, type IssuedGrant, type Lifetimes } from "./grants.js";

/** Where the emulator is reached, for the endpoints it advertises (`http://127.0.0.1:3000`). */
export interface OAuthOrigin {
  origin: string;
  /** `host[:port]`: the OAuth server's `domain` (spec OPEN-O1). */
  host: string;
}

export interface TokenContext {
  globalNow: Date;
  lifetimes: Lifetimes;
  random: RandomSource;
  where: OAuthOrigin;
}

/** The token endpoint's answer, field for field as the docs list it (spec oauth.md §3). */
export interface TokenResponse {
  access_token: string;
  expires: number;
  expires_in: number;
  scope: string;
  domain: string;
  server_endpoint: string;
  status: "L";
  client_endpoint: string;
  member_id: string;
  user_id: number;
  refresh_token: string;
}

/** The portal a token request concerns, once the client is known: its journal gets the call. */
export interface TokenOutcome {
  portal: Portal | undefined;
  result: { body: TokenResponse } | { error: EmulatorError };
}

/**
 * `grant_type=authorization_code` or `refresh_token`, checked in the server's order: the request's
 * shape, then the client (id and secret), then the grant. Runs inside a commit and changes nothing
 * until every check passed: the used code or refresh token goes with the write that stores the new pair.
 */
export function exchangeGrant(state: State, params: Record<string, unknown>, ctx: TokenContext): TokenOutcome {
  const text = (name: string) => (typeof params[name] === "string" && params[name] !== "" ? (params[name] as string) : undefined);
  const grantType = text("grant_type");
  const clientId = text("client_id");
  const clientSecret = text("client_secret");
  const refuse = (code: "invalid_request" | "invalid_client" | "invalid_grant", description: string, portal?: Portal): TokenOutcome => ({
    portal,
    result: { error: new EmulatorError(code, description) },
  });

  if (grantType !== "authorization_code" && grantType !== "refresh_token") {
    return refuse("invalid_request", grantType === undefined ? "grant_type is required" : `Unsupported grant_type "${grantType}"`);
  }
  if (clientId === undefined || clientSecret === undefined) return refuse("invalid_request", "client_id and client_secret are required");
  const clients = appsWithClientId(state, clientId).filter(({ app }) => app.clientSecret && secretEquals(clientSecret, app.clientSecret));
  if (clients.length === 0) return refuse("invalid_client", "Unknown client_id, wrong client_secret, or the app is not installed");

  const secretName = grantType === "authorization_code" ? "code" : "refresh_token";
  const secret = text(secretName);
  if (secret === undefined) return refuse("invalid_request", `${secretName} is required`, clients[0]?.portal);
  for (const { portal, app } of clients) {
    const now = portalNow(ctx.globalNow, portal);
    const used = grantType === "authorization_code" ? liveCode(app, secret, now) : liveRefreshToken(app, secret, now);
    if (!used) continue;
    spend(app, used);
    const grant = issueGrant(app, used.userId, now, ctx.lifetimes, ctx.random);
    return { portal, result: { body: tokenResponse(portal, app, grant, ctx.lifetimes, ctx.where) } };
  }
  const what = grantType === "authorization_code" ? "The authorization code" : "The refresh token";
  return refuse("invalid_grant", `${what} is unknown, expired, already used or another client's`, clients[0]?.portal);
}

export function tokenResponse(portal: Portal, app: App, grant: IssuedGrant, lifetimes: Lifetimes, where: OAuthOrigin): TokenResponse {
  return {
    access_token: grant.access.accessToken,
    expires: Math.floor(Date.parse(grant.access.expiresAt ?? "") / 1000),
    expires_in: lifetimes.access,
    scope: app.scopes.join(","),
    domain: where.host,
    server_endpoint: serverEndpoint(where.origin),
    status: "L",
    client_endpoint: `${where.origin}/rest/`,
    member_id: portal.memberId,
    user_id: grant.access.userId,
    refresh_token: grant.refresh.refreshToken,
  };
}

/** The OAuth server's REST base, which SDKs strip `/rest/` from to find `/oauth/token/` (spec OPEN-O1). */
export function serverEndpoint(origin: string): string {
  return `${origin}${OAUTH_SERVER_PREFIX}/rest/`;
}

export const OAUTH_SERVER_PREFIX = "/oauth-server";
