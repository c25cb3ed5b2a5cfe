import { EmulatorError } from "../errors/emulator-error.js";
import type { Runtime } from "../runtime.js";
import { FixtureError, parseFixture, portalFromFixture, type Fixture } from "../store/fixture.js";
import { newPortalId, rebuiltPortal, withFreshCredentials } from "../store/portals.js";
import { dropPortalFiles } from "../store/files.js";
import type { Portal, State } from "../store/state.js";
import { createPortalSchema } from "./schemas.js";
import { parseControl } from "./validate.js";

/** How to reach a portal: everything a test needs to point a bot at it. */
export interface PortalInfo {
  id: string;
  domain: string;
  /** The portal's `member_id` (32 hex), as OAuth answers and events carry it. */
  memberId: string;
  /** OAuth base, `{url}/rest/`. */
  restUrl: string;
  /** The first incoming webhook's base, `{url}/rest/{userId}/{code}/`. */
  webhookUrl: string | null;
  /** The first OAuth app's first access token. */
  accessToken: string | null;
  /** When it expires, in Unix seconds on the portal's clock (`expires` of the SDKs); null: never. */
  accessTokenExpires: number | null;
  /** The refresh token issued with it: exchange it at `/oauth/token/` (grant_type=refresh_token). */
  refreshToken: string | null;
  clientId: string | null;
  /** The first OAuth app's secret, for `/oauth/token/`. */
  clientSecret: string | null;
  applicationToken: string | null;
  webhooks: { userId: number; code: string; url: string }[];
  apps: { clientId: string; clientSecret: string | null; applicationToken: string; accessTokens: string[]; refreshTokens: string[] }[];
  bots: { id: number; code: string; botToken: string | null }[];
}

export function portalInfo(runtime: Runtime, portal: Portal): PortalInfo {
  const base = `${runtime.publicUrl ?? ""}/rest/`;
  const webhooks = portal.webhooks.map((w) => ({ userId: w.userId, code: w.code, url: `${base}${w.userId}/${w.code}/` }));
  const apps = portal.apps.map((a) => ({
    clientId: a.clientId,
    clientSecret: a.clientSecret ?? null,
    applicationToken: a.applicationToken,
    accessTokens: a.tokens.map((t) => t.accessToken),
    refreshTokens: (a.refreshTokens ?? []).map((r) => r.refreshToken),
  }));
  const firstApp = portal.apps[0];
  const firstToken = firstApp?.tokens[0];
  return {
    id: portal.id,
    domain: portal.domain,
    memberId: portal.memberId,
    restUrl: base,
    webhookUrl: webhooks[0]?.url ?? null,
    accessToken: firstToken?.accessToken ?? null,
    accessTokenExpires: firstToken?.expiresAt ? Math.floor(Date.parse(firstToken.expiresAt) / 1000) : null,
    refreshToken: firstApp?.refreshTokens?.find((r) => r.accessToken === firstToken?.accessToken)?.refreshToken ?? null,
    clientId: apps[0]?.clientId ?? null,
    clientSecret: apps[0]?.clientSecret ?? null,
    applicationToken: apps[0]?.applicationToken ?? null,
    webhooks,
    apps,
    bots: Object.values(portal.bots).map((b) => ({ id: b.id, code: b.code, botToken: b.botToken })),
  };
}

/**
 * A fresh, isolated portal from a fixture (default: the bundled one) with its own new credentials,
 * so parallel tests on one emulator never meet.
 */
export async function createPortal(runtime: Runtime, input: { id?: string; fixture?: unknown }, defaultFixture: () => Fixture): Promise<PortalInfo> {
  const request = parseControl(createPortalSchema, input);
  let fixture: Fixture;
  try {
    fixture = request.fixture === undefined ? defaultFixture() : parseFixture(request.fixture, "(request body fixture)");
  } catch (error) {
    if (error instanceof FixtureError) throw new EmulatorError("INVALID_FIXTURE", error.message);
    throw error;
  }
  if (request.id !== undefined && !/^[a-z0-9][a-z0-9_-]{0,62}$/i.test(request.id)) {
    throw new EmulatorError("CONTROL_ARGUMENT", "id: 1-63 letters, digits, - or _");
  }
  return runtime.changeState((state, now) => {
    const id = request.id ?? newPortalId(state, runtime.random);
    if (findPortal(state, id)) throw new EmulatorError("PORTAL_ALREADY_EXISTS", `Portal "${id}" exists`);
    if (Object.keys(state.portals).length >= runtime.maxPortals) {
      throw new EmulatorError("PORTAL_LIMIT_EXCEEDED", `The emulator holds ${runtime.maxPortals} portals, its limit (--max-portals): delete some first`);
    }
    const issue = { random: runtime.random, now, accessTtlSeconds: runtime.settings.accessTokenTtl, refreshTtlSeconds: runtime.settings.refreshTokenTtl };
    const portal = portalFromFixture(withFreshCredentials(fixture, issue), now, runtime.random, id);
    state.portals[id] = portal;
    return portalInfo(runtime, portal);
  });
}

export async function deletePortal(runtime: Runtime, id: string): Promise<void> {
  await runtime.changeState((state, _now, files) => {
    const portal = findPortal(state, id);
    if (!portal) throw new EmulatorError("PORTAL_NOT_FOUND", `No portal "${id}"`);
    dropPortalFiles(portal, files);
    delete state.portals[id];
  });
  runtime.activity.forget(id);
  runtime.faults.forget(id);
}

/** Back to the portal's fixture, keeping its id and credentials; journal and deliveries cleared. */
export async function resetPortal(runtime: Runtime, id: string): Promise<PortalInfo> {
  const info = await runtime.changeState((state, now, files) => {
    const portal = findPortal(state, id);
    if (!portal) throw new EmulatorError("PORTAL_NOT_FOUND", `No portal "${id}"`);
    dropPortalFiles(portal, files);
    state.portals[id] = rebuiltPortal(portal, now, runtime.random);
    return portalInfo(runtime, state.portals[id]!);
  });
  runtime.activity.forget(id);
  runtime.faults.forget(id);
  return info;
}

export function getPortal(runtime: Runtime, id: string): Portal {
  const portal = findPortal(runtime.store.state, id);
  if (!portal) throw new EmulatorError("PORTAL_NOT_FOUND", `No portal "${id}"`);
  return portal;
}

/** The portal stored under `id`: only own keys count, so `constructor` or `__proto__` name no portal. */
export function findPortal(state: State, id: string): Portal | undefined {
  return Object.hasOwn(state.portals, id) ? state.portals[id] : undefined;
}
