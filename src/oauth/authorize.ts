import { portalNow } from "../clock/portal-clock.js";
import { EmulatorError } from "../errors/emulator-error.js";
import type { RandomSource } from "../random/random-source.js";
import type { Portal, State } from "../store/state.js";
import { appsWithClientId, issueCode } from "./grants.js";
import type { OAuthOrigin } from "./token.js";

/** What the user is sent back with: the code and where to exchange it (spec oauth.md §2). */
export interface AuthorizationGrant {
  code: string;
  state: string;
  domain: string;
  member_id: string;
  scope: string;
  server_domain: string;
}

export interface AuthorizeOutcome {
  portal: Portal | undefined;
  result: { redirect: string; grant: AuthorizationGrant } | { grant: AuthorizationGrant } | { error: EmulatorError };
}

/** The user who approves when nobody logs in (spec OPEN-O2): `user_id` (emulator-only), else user 1. */
const DEFAULT_USER = 1;

/**
 * The portal's authorization page without a login form: the app must be installed; the user
 * approves at once. An app with a redirect URI on its card gets a redirect carrying the code, one
 * without gets the code as JSON. Changes nothing unless it issues a code.
 */
export function authorize(state: State, params: Record<string, unknown>, ctx: { globalNow: Date; random: RandomSource; where: OAuthOrigin }): AuthorizeOutcome {
  const clientId = typeof params.client_id === "string" ? params.client_id : "";
  if (clientId === "") return { portal: undefined, result: { error: new EmulatorError("invalid_request", "client_id is required") } };
  const found = appsWithClientId(state, clientId)[0];
  if (!found) return { portal: undefined, result: { error: new EmulatorError("invalid_client", `No app with client_id "${clientId}" is installed`) } };
  const { portal, app } = found;

  const userId = params.user_id === undefined ? DEFAULT_USER : Number(params.user_id);
  const user = Number.isSafeInteger(userId) ? portal.users[userId] : undefined;
  if (!user || user.bot || !user.active) {
    return { portal, result: { error: new EmulatorError("invalid_request", `user_id: no active user ${String(params.user_id ?? DEFAULT_USER)} in this portal`) } };
  }
  const grant: AuthorizationGrant = {
    code: issueCode(app, user.id, portalNow(ctx.globalNow, portal), ctx.random),
    state: typeof params.state === "string" ? params.state : "",
    domain: ctx.where.host,
    member_id: portal.memberId,
    scope: app.scopes.join(","),
    server_domain: ctx.where.host,
  };
  if (!app.redirectUri) return { portal, result: { grant } };
  const target = new URL(app.redirectUri);
  for (const [key, value] of Object.entries(grant)) target.searchParams.set(key, value);
  return { portal, result: { redirect: target.toString(), grant } };
}
