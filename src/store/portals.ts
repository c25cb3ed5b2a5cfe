import type { RandomSource } from "../random/random-source.js";
import { parseFixture, portalFromFixture, type Fixture } from "./fixture.js";
import type { Portal, State } from "./state.js";

/** What fresh credentials are made of: new secrets, and the lifetimes of the tokens handed out. */
export interface CredentialIssue {
  random: RandomSource;
  now: Date;
  accessTtlSeconds: number;
  refreshTtlSeconds: number;
}

/**
 * A copy of the fixture with every secret replaced: webhook codes, client ids and secrets, access,
 * refresh and application tokens. Each created portal is reachable only with its own credentials,
 * whatever fixture it uses, and its access tokens expire (on its clock) unless the fixture dates them.
 */
export function withFreshCredentials(fixture: Fixture, issue: CredentialIssue): Fixture {
  const hex = (bytes: number) => issue.random.hex(bytes);
  const after = (seconds: number) => new Date(issue.now.getTime() + seconds * 1000).toISOString();
  const clientIds = new Map(fixture.apps.map((a) => [a.clientId, `local.${hex(7)}.${hex(4)}`]));
  return {
    ...fixture,
    webhooks: fixture.webhooks.map((w) => ({ ...w, code: hex(8) })),
    apps: fixture.apps.map((a) => ({
      ...a,
      clientId: clientIds.get(a.clientId) as string,
      clientSecret: hex(20),
      applicationToken: hex(16),
      tokens: a.tokens.map((t) => ({
        ...t,
        accessToken: hex(16),
        expiresAt: t.expiresAt ?? after(issue.accessTtlSeconds),
        refreshToken: hex(16),
        refreshExpiresAt: t.refreshExpiresAt ?? after(issue.refreshTtlSeconds),
      })),
    })),
    bots: fixture.bots.map((b) => ({ ...b, clientId: b.clientId === null ? null : (clientIds.get(b.clientId) ?? null) })),
  };
}

export function newPortalId(state: State, random: RandomSource): string {
  let id: string;
  do id = `p${random.hex(4)}`;
  while (state.portals[id]);
  return id;
}

export { parseFixture };

/** Builds the portal again from the fixture it came from: same id, same credentials, fresh data. */
export function rebuiltPortal(portal: Portal, now: Date, random: RandomSource): Portal {
  const origin = parseFixture(portal.origin, `portal ${portal.id}`);
  return { ...portalFromFixture(origin, now, random, portal.id), memberId: portal.memberId };
}

/** The portal stored under `id`: only own keys count, so `constructor` or `__proto__` name no portal. */
export function findPortal(state: State, id: string): Portal | undefined {
  return Object.hasOwn(state.portals, id) ? state.portals[id] : undefined;
}
