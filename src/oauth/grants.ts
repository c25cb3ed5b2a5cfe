import { secretEquals } from "../domain/secrets.js";
import type { RandomSource } from "../random/random-source.js";
import type { AccessToken, App, AuthCode, Portal, RefreshGrant, State } from "../store/state.js";
import { without } from "../store/lists.js";

/** How long what the OAuth server hands out lives, in seconds (docs: access 3600, refresh 180 days, code 30). */
export interface Lifetimes {
  access: number;
  refresh: number;
}

export const CODE_LIFETIME_SECONDS = 30;

/** Doc examples show access tokens as 32 lower-case alphanumerics; hex is a subset. */
const TOKEN_BYTES = 16;

export interface IssuedGrant {
  access: AccessToken;
  refresh: RefreshGrant;
}

/**
 * A new access and refresh token pair for one user of the app, on the portal's clock. What has run
 * out long ago is dropped on the way, so an app refreshed every hour for months keeps a short list;
 * a recently expired access token stays, so its holder is told `expired_token`, not `NO_AUTH_FOUND`.
 */
export function issueGrant(app: App, userId: number, now: Date, lifetimes: Lifetimes, random: RandomSource): IssuedGrant {
  prune(app, now, lifetimes);
  const access: AccessToken = { accessToken: random.hex(TOKEN_BYTES), userId, expiresAt: after(now, lifetimes.access) };
  const refresh: RefreshGrant = {
    refreshToken: random.hex(TOKEN_BYTES),
    userId,
    expiresAt: after(now, lifetimes.refresh),
    accessToken: access.accessToken,
  };
  app.tokens.push(access);
  app.refreshTokens = [...(app.refreshTokens ?? []), refresh];
  return { access, refresh };
}

/** A single-use authorization code for `userId`, valid for 30 seconds. */
export function issueCode(app: App, userId: number, now: Date, random: RandomSource): string {
  const code = random.hex(TOKEN_BYTES);
  app.codes = [...without(app.codes ?? [], (c) => !isLive(c.expiresAt, now)), { code, userId, expiresAt: after(now, CODE_LIFETIME_SECONDS) }];
  return code;
}

/** A live code of the app; undefined when unknown, used or expired. */
export function liveCode(app: App, code: string, now: Date): AuthCode | undefined {
  return (app.codes ?? []).find((c) => secretEquals(code, c.code) && isLive(c.expiresAt, now));
}

/** A live refresh token of the app; undefined when unknown, used (rotated away) or expired. */
export function liveRefreshToken(app: App, token: string, now: Date): RefreshGrant | undefined {
  return (app.refreshTokens ?? []).find((r) => secretEquals(token, r.refreshToken) && isLive(r.expiresAt, now));
}

/** Uses up a code or refresh token: each works once. */
export function spend(app: App, used: AuthCode | RefreshGrant): void {
  if ("code" in used) app.codes = without(app.codes ?? [], (c) => c === used);
  else app.refreshTokens = without(app.refreshTokens ?? [], (r) => r === used);
}

/** The refresh token issued with an access token, while it is still usable. */
export function refreshTokenOf(app: App, accessToken: string, now: Date): RefreshGrant | undefined {
  return (app.refreshTokens ?? []).find((r) => r.accessToken === accessToken && isLive(r.expiresAt, now));
}

/** Apps registered under `clientId` in any portal (portals made from one fixture may share it). */
export function appsWithClientId(state: State, clientId: string): { portal: Portal; app: App }[] {
  const found: { portal: Portal; app: App }[] = [];
  for (const portal of Object.values(state.portals)) {
    for (const app of portal.apps) if (app.clientId === clientId) found.push({ portal, app });
  }
  return found;
}

/** The app and grant an access token belongs to, in whichever portal holds it. */
export function findAccessToken(state: State, token: string): { portal: Portal; app: App; grant: AccessToken } | undefined {
  for (const portal of Object.values(state.portals)) {
    for (const app of portal.apps) {
      const grant = app.tokens.find((t) => secretEquals(token, t.accessToken));
      if (grant) return { portal, app, grant };
    }
  }
  return undefined;
}

export function isLive(expiresAt: string | null, now: Date): boolean {
  return expiresAt === null || Date.parse(expiresAt) > now.getTime();
}

function prune(app: App, now: Date, lifetimes: Lifetimes): void {
  const longAgo = new Date(now.getTime() - lifetimes.refresh * 1000);
  app.tokens = without(app.tokens, (t) => !isLive(t.expiresAt, longAgo));
  app.refreshTokens = without(app.refreshTokens ?? [], (r) => !isLive(r.expiresAt, now));
}

function after(now: Date, seconds: number): string {
  return new Date(now.getTime() + seconds * 1000).toISOString();
}
