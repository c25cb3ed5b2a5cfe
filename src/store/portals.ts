import { randomBytes } from "node:crypto";
import { parseFixture, portalFromFixture, type Fixture } from "./fixture.js";
import type { Portal, State } from "./state.js";

const hex = (bytes: number) => randomBytes(bytes).toString("hex");

/**
 * A copy of the fixture with every secret replaced: webhook codes, access tokens, application
 * tokens. Each created portal is reachable only with its own credentials, whatever fixture it uses.
 */
export function withFreshCredentials(fixture: Fixture): Fixture {
  const clientIds = new Map(fixture.apps.map((a) => [a.clientId, `local.${hex(7)}.${hex(4)}`]));
  return {
    ...fixture,
    webhooks: fixture.webhooks.map((w) => ({ ...w, code: hex(8) })),
    apps: fixture.apps.map((a) => ({
      ...a,
      clientId: clientIds.get(a.clientId) as string,
      applicationToken: hex(16),
      tokens: a.tokens.map((t) => ({ ...t, accessToken: hex(16) })),
    })),
    bots: fixture.bots.map((b) => ({ ...b, clientId: b.clientId === null ? null : (clientIds.get(b.clientId) ?? null) })),
  };
}

export function newPortalId(state: State): string {
  let id: string;
  do id = `p${hex(4)}`;
  while (state.portals[id]);
  return id;
}

export { parseFixture };

/** Builds the portal again from the fixture it came from: same id, same credentials, fresh data. */
export function rebuiltPortal(portal: Portal, now: Date): Portal {
  const origin = parseFixture(portal.origin, `portal ${portal.id}`);
  return { ...portalFromFixture(origin, now, portal.id), memberId: portal.memberId };
}
