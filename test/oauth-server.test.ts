import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type PortalHandle, type RunningEmulator } from "../src/index.js";
import { defaultFixture } from "./support/fixtures.js";
import { httpClient } from "./support/http-client.js";

/**
 * The emulator as OAuth server (spec oauth.md), through a listening emulator and real HTTP: what an
 * app sees when it authorizes, exchanges codes, refreshes expired tokens and checks them.
 */
let emulator: RunningEmulator;
let http: ReturnType<typeof httpClient>;
let origin: string;

beforeAll(async () => {
  emulator = await startEmulator();
  origin = emulator.httpUrl!;
  http = httpClient(origin);
});
afterAll(() => emulator.close());

const query = (params: Record<string, string>) => new URLSearchParams(params).toString();
const refreshQuery = (portal: PortalHandle, refreshToken: string) =>
  query({ grant_type: "refresh_token", client_id: portal.clientId, client_secret: portal.clientSecret, refresh_token: refreshToken });
const profileWith = (token: string) => http.get(`/rest/profile?auth=${token}`);
const storeOf = (portal: PortalHandle) => JSON.stringify(emulator.app.store.state.portals[portal.id]);

describe("a fresh portal's tokens expire on its clock and are refreshed at /oauth/token/", () => {
  it("hands out a client secret and a refresh token with the access token", async () => {
    const portal = await emulator.createPortal();
    expect(portal.clientSecret).toMatch(/^[0-9a-f]{40}$/);
    expect(portal.refreshToken).toMatch(/^[0-9a-f]{32}$/);
    expect(portal.refreshToken).not.toBe(portal.accessToken);
  });

  it("an access token works for an hour of the portal's clock, then answers 401 expired_token", async () => {
    const portal = await emulator.createPortal();
    expect((await profileWith(portal.accessToken)).status).toBe(200);
    await portal.control.moveClock({ advanceSeconds: 3500 });
    expect((await profileWith(portal.accessToken)).status).toBe(200);
    await portal.control.moveClock({ advanceSeconds: 101 });
    const expired = await profileWith(portal.accessToken);
    expect([expired.status, expired.body.error]).toEqual([401, "expired_token"]);
    expect(expired.body.error_description).toBe("The access token provided has expired");
  });

  it("refreshing (GET with a query, as the docs show) gives new tokens that work, with endpoints leading back here", async () => {
    const portal = await emulator.createPortal();
    await portal.control.moveClock({ advanceSeconds: 3601 });
    const refreshed = await http.get(`/oauth/token/?${refreshQuery(portal, portal.refreshToken)}`);
    expect(refreshed.status).toBe(200);
    const body = refreshed.body;
    const now = Date.parse(portal.control.clock().now) / 1000;
    expect(body).toMatchObject({
      expires_in: 3600,
      scope: "imbot,im",
      domain: new URL(origin).host,
      server_endpoint: `${origin}/oauth-server/rest/`,
      client_endpoint: `${origin}/rest/`,
      status: "L",
      user_id: 1,
    });
    expect(Math.abs((body.expires as number) - (now + 3600))).toBeLessThanOrEqual(2);
    expect(body.member_id).toMatch(/^[0-9a-f]{32}$/);
    expect(body.access_token).not.toBe(portal.accessToken);
    expect(body.refresh_token).not.toBe(portal.refreshToken);

    const profile = await profileWith(body.access_token as string);
    expect([profile.status, (profile.body.result as { ID: string }).ID]).toEqual([200, "1"]);
  });

  it("refresh tokens rotate: the used one gets invalid_grant; the previous access token works until its own expiry", async () => {
    const portal = await emulator.createPortal();
    const first = await http.form("/oauth-server/oauth/token/", {
      grant_type: "refresh_token", client_id: portal.clientId, client_secret: portal.clientSecret, refresh_token: portal.refreshToken,
    });
    expect(first.status).toBe(200);
    const again = await http.get(`/oauth/token/?${refreshQuery(portal, portal.refreshToken)}`);
    expect([again.status, again.body.error]).toEqual([400, "invalid_grant"]);

    expect((await profileWith(portal.accessToken)).status).toBe(200);
    const second = await http.get(`/oauth/token/?${refreshQuery(portal, first.body.refresh_token as string)}`);
    expect(second.status).toBe(200);
    await portal.control.moveClock({ advanceSeconds: 3601 });
    expect((await profileWith(portal.accessToken)).body.error).toBe("expired_token");
  });

  it("tolerates `//` and .json in the token path, as SDKs joining a base ending in / send it", async () => {
    const portal = await emulator.createPortal();
    const reply = await http.get(`/oauth-server//oauth/token.json?${refreshQuery(portal, portal.refreshToken)}`);
    expect(reply.status).toBe(200);
    expect(reply.body.refresh_token).toMatch(/^[0-9a-f]{32}$/);
  });

  it("accepts the access token as access_token too, in the query or the body", async () => {
    const portal = await emulator.createPortal();
    expect((await http.get(`/rest/profile?access_token=${portal.accessToken}`)).status).toBe(200);
    expect((await http.call("POST", "/rest/server.time", { access_token: portal.accessToken })).status).toBe(200);
    expect((await http.get("/rest/profile?access_token=nope")).body.error).toBe("NO_AUTH_FOUND");
  });

  it("journals every token call in its portal, secrets masked", async () => {
    const portal = await emulator.createPortal();
    await http.get(`/oauth/token/?${refreshQuery(portal, portal.refreshToken)}`);
    expect(portal.control.journal().at(-1)).toMatchObject({
      method: "oauth.token",
      httpMethod: "GET",
      status: 200,
      error: null,
      params: { grant_type: "refresh_token", client_id: portal.clientId, client_secret: "***", refresh_token: "***" },
    });
  });
});

describe("token endpoint refusals", () => {
  it.each([
    ["no grant_type", 400, "invalid_request", (p: PortalHandle) => ({ client_id: p.clientId, client_secret: p.clientSecret, refresh_token: p.refreshToken })],
    ["an unknown grant_type", 400, "invalid_request", (p: PortalHandle) => ({ grant_type: "password", client_id: p.clientId, client_secret: p.clientSecret })],
    ["no client_secret", 400, "invalid_request", (p: PortalHandle) => ({ grant_type: "refresh_token", client_id: p.clientId, refresh_token: p.refreshToken })],
    ["a wrong client_secret", 401, "invalid_client", (p: PortalHandle) => ({ grant_type: "refresh_token", client_id: p.clientId, client_secret: "x", refresh_token: p.refreshToken })],
    ["an unknown client_id", 401, "invalid_client", (p: PortalHandle) => ({ grant_type: "refresh_token", client_id: "local.nobody", client_secret: p.clientSecret, refresh_token: p.refreshToken })],
    ["no refresh_token", 400, "invalid_request", (p: PortalHandle) => ({ grant_type: "refresh_token", client_id: p.clientId, client_secret: p.clientSecret })],
    ["an unknown refresh_token", 400, "invalid_grant", (p: PortalHandle) => ({ grant_type: "refresh_token", client_id: p.clientId, client_secret: p.clientSecret, refresh_token: "0".repeat(32) })],
    ["an unknown code", 400, "invalid_grant", (p: PortalHandle) => ({ grant_type: "authorization_code", client_id: p.clientId, client_secret: p.clientSecret, code: "0".repeat(32) })],
  ])("%s: %i %s, nothing changed", async (_name, status, error, params) => {
    const portal = await emulator.createPortal();
    const before = storeOf(portal);
    const reply = await http.get(`/oauth/token/?${query(params(portal) as Record<string, string>)}`);
    expect([reply.status, reply.body.error]).toEqual([status, error]);
    expect(typeof reply.body.error_description).toBe("string");
    expect(storeOf(portal)).toBe(before);
  });

  it("another client's refresh token is invalid_grant, and stays usable by its own client", async () => {
    const mine = await emulator.createPortal();
    const theirs = await emulator.createPortal();
    const reply = await http.get(`/oauth/token/?${refreshQuery(mine, theirs.refreshToken)}`);
    expect([reply.status, reply.body.error]).toEqual([400, "invalid_grant"]);
    expect((await http.get(`/oauth/token/?${refreshQuery(theirs, theirs.refreshToken)}`)).status).toBe(200);
  });

  it("a refresh token past its 180 days is invalid_grant", async () => {
    const portal = await emulator.createPortal();
    await portal.control.moveClock({ advanceSeconds: 180 * 86_400 + 1 });
    expect((await http.get(`/oauth/token/?${refreshQuery(portal, portal.refreshToken)}`)).body.error).toBe("invalid_grant");
  });
});

describe("authorization codes", () => {
  const authorizeUrl = (portal: PortalHandle, extra: Record<string, string> = {}) =>
    `/oauth/authorize/?${query({ client_id: portal.clientId, state: "s1", ...extra })}`;
  const exchange = (portal: PortalHandle, code: string) =>
    http.get(`/oauth/token/?${query({ grant_type: "authorization_code", client_id: portal.clientId, client_secret: portal.clientSecret, code })}`);

  it("an app without a redirect URI gets the code as JSON; the code buys tokens once", async () => {
    const portal = await emulator.createPortal();
    const grant = await http.get(authorizeUrl(portal));
    expect(grant.status).toBe(200);
    expect(grant.body).toMatchObject({ state: "s1", scope: "imbot,im", domain: new URL(origin).host, server_domain: new URL(origin).host });
    const code = grant.body.code as string;
    const tokens = await exchange(portal, code);
    expect(tokens.status).toBe(200);
    expect(tokens.body).toMatchObject({ user_id: 1, member_id: grant.body.member_id });
    expect((await profileWith(tokens.body.access_token as string)).status).toBe(200);
    expect((await exchange(portal, code)).body.error).toBe("invalid_grant");
  });

  it("approves as the given user_id, whose token then acts as that user", async () => {
    const portal = await emulator.createPortal();
    const grant = await http.get(authorizeUrl(portal, { user_id: "2" }));
    const tokens = await exchange(portal, grant.body.code as string);
    expect(tokens.body.user_id).toBe(2);
    expect(((await profileWith(tokens.body.access_token as string)).body.result as { ID: string }).ID).toBe("2");
  });

  it("a code lives 30 seconds on the portal's clock", async () => {
    const portal = await emulator.createPortal();
    const grant = await http.get(authorizeUrl(portal));
    await portal.control.moveClock({ advanceSeconds: 31 });
    const late = await exchange(portal, grant.body.code as string);
    expect([late.status, late.body.error]).toEqual([400, "invalid_grant"]);
  });

  it("an app with a redirect URI on its card gets a 302 there, carrying the grant", async () => {
    const fixture = defaultFixture();
    fixture.apps = fixture.apps!.map((a) => ({ ...a, redirectUri: "https://app.example.com/oauth/callback?from=b24" }));
    const portal = await emulator.createPortal({ fixture });
    const reply = await http.get(authorizeUrl(portal));
    expect(reply.status).toBe(302);
    const location = new URL(reply.headers.get("location")!);
    expect(`${location.origin}${location.pathname}`).toBe("https://app.example.com/oauth/callback");
    expect(Object.fromEntries(location.searchParams)).toMatchObject({ from: "b24", state: "s1", scope: "imbot,im", member_id: reply.body.member_id });
    expect(reply.contentType).toMatch(/^application\/json/);
    expect((await exchange(portal, location.searchParams.get("code")!)).status).toBe(200);
  });

  it("refuses an unknown app with 401 invalid_client and a missing client_id with 400 invalid_request", async () => {
    const unknown = await http.get("/oauth/authorize/?client_id=local.nobody");
    expect([unknown.status, unknown.body.error]).toEqual([401, "invalid_client"]);
    const missing = await http.get("/oauth/authorize/");
    expect([missing.status, missing.body.error]).toEqual([400, "invalid_request"]);
  });
});

describe("the OAuth server's app.info", () => {
  it("tells whose token it is and where the app is installed: this emulator", async () => {
    const portal = await emulator.createPortal();
    const reply = await http.get(`/oauth-server/rest/app.info/?auth=${portal.accessToken}`);
    expect(reply.status).toBe(200);
    expect(reply.body.result).toMatchObject({
      client_id: portal.clientId,
      scope: "imbot,im",
      user_id: 1,
      install: { installed: true, status: "L", domain: new URL(origin).hostname, uri: origin, client_endpoint: `${origin}/rest/`, member_type: "company" },
    });
  });

  it("answers 401 expired_token for an expired token and NO_AUTH_FOUND for an unknown one", async () => {
    const portal = await emulator.createPortal();
    await portal.control.moveClock({ advanceSeconds: 3601 });
    expect((await http.get(`/oauth-server/rest/app.info?auth=${portal.accessToken}`)).body.error).toBe("expired_token");
    const unknown = await http.call("POST", "/oauth-server/rest/app.info", { auth: "nope" });
    expect([unknown.status, unknown.body.error]).toEqual([401, "NO_AUTH_FOUND"]);
  });
});

describe("events advertise this emulator as OAuth server", () => {
  let hook: Server;
  let hookUrl: string;
  // What the handler received: the deliveries log masks the tokens, the POST itself carries them.
  let lastPost = new URLSearchParams();
  beforeAll(async () => {
    hook = createServer((req, res) => {
      let body = "";
      req.on("data", (d: Buffer) => (body += d.toString()));
      req.on("end", () => {
        lastPost = new URLSearchParams(body);
        res.writeHead(200).end("ok");
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, "127.0.0.1", resolve));
    hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
  });
  afterAll(() => new Promise((resolve) => hook.close(resolve)));

  it("a webhook event's auth points server_endpoint here and carries a refresh token that works", async () => {
    const fixture = defaultFixture();
    fixture.bots = fixture.bots!.map((b) => ({ ...b, eventMode: "webhook" as const, webhookUrl: hookUrl }));
    const portal = await emulator.createPortal({ fixture });
    await portal.control.userSays({ authorId: 1, dialogId: "chat5", text: "/help" });
    const delivery = await portal.control.waitFor({ for: "delivery", timeout: 5000 });
    const payload = (delivery as { payload: Record<string, string> }).payload;
    expect(payload["auth[server_endpoint]"]).toBe(`${origin}/oauth-server/rest/`);
    expect(payload["data[bot][auth][server_endpoint]"]).toBe(`${origin}/oauth-server/rest/`);
    expect(payload["data[bot][auth][client_endpoint]"]).toBe(`${origin}/rest/`);
    const refreshed = await http.form("/oauth-server/oauth/token/", {
      grant_type: "refresh_token", client_id: portal.clientId, client_secret: portal.clientSecret, refresh_token: lastPost.get("data[bot][auth][refresh_token]")!,
    });
    expect(refreshed.status).toBe(200);
  });
});
