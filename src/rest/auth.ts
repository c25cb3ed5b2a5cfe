import { EmulatorError } from "../errors/emulator-error.js";
import type { Portal, State } from "../store/state.js";
import { secretEquals } from "./secrets.js";

/** Who is calling: a webhook user, or an OAuth app acting for a user. Always inside one portal. */
export type Caller =
  | { kind: "webhook"; portal: Portal; userId: number; scopes: readonly string[] }
  | { kind: "oauth"; portal: Portal; userId: number; clientId: string; scopes: readonly string[] };

export type Credentials =
  | { kind: "webhook"; userId: string; code: string }
  | { kind: "oauth"; accessToken: string | undefined };

/**
 * Resolves credentials to exactly one portal. Every candidate is compared in constant time,
 * and an unknown, mistyped or expired webhook gets the same answer as a wrong one.
 */
export function resolveCaller(state: State, credentials: Credentials, now: Date): Caller {
  if (credentials.kind === "webhook") {
    const userId = /^[1-9]\d{0,15}$/.test(credentials.userId) ? Number(credentials.userId) : 0;
    for (const portal of Object.values(state.portals)) {
      for (const hook of portal.webhooks) {
        const matches = secretEquals(credentials.code, hook.code) && hook.userId === userId;
        if (matches && !isExpired(hook.expiresAt, now)) {
          return { kind: "webhook", portal, userId, scopes: hook.scopes };
        }
      }
    }
    throw new EmulatorError("NO_AUTH_FOUND");
  }

  const token = credentials.accessToken;
  if (!token) throw new EmulatorError("NO_AUTH_FOUND");
  for (const portal of Object.values(state.portals)) {
    for (const app of portal.apps) {
      for (const grant of app.tokens) {
        if (!secretEquals(token, grant.accessToken)) continue;
        if (isExpired(grant.expiresAt, now)) throw new EmulatorError("expired_token");
        return { kind: "oauth", portal, userId: grant.userId, clientId: app.clientId, scopes: app.scopes };
      }
    }
  }
  throw new EmulatorError("NO_AUTH_FOUND");
}

/** An empty scope (batch, whose subs are checked one by one) needs no grant. */
export function requireScope(caller: Caller, scope: string): void {
  if (scope !== "" && !caller.scopes.includes(scope)) throw new EmulatorError("insufficient_scope");
}

function isExpired(expiresAt: string | null, now: Date): boolean {
  return expiresAt !== null && Date.parse(expiresAt) <= now.getTime();
}
