import { createHash } from "node:crypto";
import { EmulatorError } from "../errors/emulator-error.js";
import type { Portal, State } from "../store/state.js";
import { secretEquals } from "../domain/secrets.js";
import { stateVersion } from "../store/state-version.js";
import { uninstalledAppOfToken } from "../store/apps.js";

/** Who is calling: a webhook user, or an OAuth app acting for a user. Always inside one portal. */
export type Caller =
  | { kind: "webhook"; portal: Portal; userId: number; code: string; scopes: readonly string[] }
  | { kind: "oauth"; portal: Portal; userId: number; clientId: string; scopes: readonly string[] };

export type Credentials =
  | { kind: "webhook"; userId: string; code: string }
  | { kind: "oauth"; accessToken: string | undefined };

/**
 * Where each credential lives, keyed by the SHA-256 of the secret: a lookup costs one hash however
 * many portals parallel tests have created. The index is only a hint; every hit is checked against
 * the portal itself (secrets compared in constant time). It is rebuilt only when the state has
 * changed since it was built (every commit moves the state's version), so a credential created a
 * moment ago works at once, and a flood of unknown credentials costs one hash each, never a rebuild.
 */
interface CredentialIndex {
  version: number;
  webhooks: Map<string, string[]>;
  tokens: Map<string, string[]>;
}

const indexes = new WeakMap<State, CredentialIndex>();
let builds = 0;

/** How many times the credential index was built in this process (tests count rebuilds with it). */
export function credentialIndexBuilds(): number {
  return builds;
}

function buildIndex(state: State): CredentialIndex {
  builds++;
  const index: CredentialIndex = { version: stateVersion(state), webhooks: new Map(), tokens: new Map() };
  const add = (map: Map<string, string[]>, secret: string, portalId: string) => {
    const key = digest(secret);
    const list = map.get(key);
    if (list) list.push(portalId);
    else map.set(key, [portalId]);
  };
  for (const portal of Object.values(state.portals)) {
    for (const hook of portal.webhooks) add(index.webhooks, hook.code, portal.id);
    for (const app of [...portal.apps, ...(portal.uninstalledApps ?? [])]) for (const grant of app.tokens) add(index.tokens, grant.accessToken, portal.id);
  }
  indexes.set(state, index);
  return index;
}

function digest(secret: string): string {
  return createHash("sha256").update(secret).digest("base64");
}

function candidates(state: State, kind: "webhooks" | "tokens", secret: string): Portal[] {
  const cached = indexes.get(state);
  const index = cached && cached.version === stateVersion(state) ? cached : buildIndex(state);
  return (index[kind].get(digest(secret)) ?? []).flatMap((id) => state.portals[id] ?? []);
}

/**
 * Resolves credentials to exactly one portal; expiry is judged on that portal's clock (`now`). An unknown, mistyped or expired webhook gets the same
 * answer as a wrong one.
 */
export function resolveCaller(state: State, credentials: Credentials, now: (portal: Portal) => Date): Caller {
  const found = credentials.kind === "webhook" ? findWebhook(state, credentials, now) : findToken(state, credentials, now);
  if (found) return found;
  throw new EmulatorError("NO_AUTH_FOUND");
}

function findWebhook(state: State, credentials: { userId: string; code: string }, now: (portal: Portal) => Date): Caller | undefined {
  const userId = /^[1-9]\d{0,15}$/.test(credentials.userId) ? Number(credentials.userId) : 0;
  for (const portal of candidates(state, "webhooks", credentials.code)) {
    const hook = portal.webhooks.find((h) => h.userId === userId && secretEquals(credentials.code, h.code));
    if (hook && !isExpired(hook.expiresAt, now(portal))) return { kind: "webhook", portal, userId, code: hook.code, scopes: hook.scopes };
  }
  return undefined;
}

function findToken(state: State, credentials: { accessToken: string | undefined }, now: (portal: Portal) => Date): Caller | undefined {
  const token = credentials.accessToken;
  if (!token) throw new EmulatorError("NO_AUTH_FOUND");
  for (const portal of candidates(state, "tokens", token)) {
    for (const app of portal.apps) {
      const grant = app.tokens.find((t) => secretEquals(token, t.accessToken));
      if (!grant) continue;
      if (isExpired(grant.expiresAt, now(portal))) throw new EmulatorError("expired_token");
      return { kind: "oauth", portal, userId: grant.userId, clientId: app.clientId, scopes: app.scopes };
    }
    // Uninstalling revoked it (spec oauth.md §5): the portal says the app is gone, not that the token is wrong.
    if (uninstalledAppOfToken(portal, (accessToken) => secretEquals(token, accessToken))) throw new EmulatorError("APPLICATION_NOT_FOUND");
  }
  return undefined;
}

/** An empty scope (batch, whose subs are checked one by one) needs no grant. */
export function requireScope(caller: Caller, scope: string): void {
  if (scope !== "" && !caller.scopes.includes(scope)) throw new EmulatorError("insufficient_scope");
}

function isExpired(expiresAt: string | null, now: Date): boolean {
  return expiresAt !== null && Date.parse(expiresAt) <= now.getTime();
}
