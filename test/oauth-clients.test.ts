import { B24OAuth, ParamsFactory } from "@bitrix24/b24jssdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../src/index.js";
import { defaultFixture } from "./support/fixtures.js";
import { expectMatchesOpenApi } from "./support/openapi.js";

/**
 * Real OAuth clients against a listening emulator: the official JS SDK refreshing an expired token
 * on its own, and the exact requests pybitrix24 (1.1.0, `Bitrix24`) makes for `obtain_tokens()`,
 * `call()` and `refresh_tokens()` (PyPI is out of reach here, so the test speaks its wire format).
 */
let emulator: RunningEmulator;
let origin: string;

beforeAll(async () => {
  emulator = await startEmulator();
  origin = emulator.httpUrl!;
});
afterAll(() => emulator.close());

// No throttling and no retries beyond the SDK's own refresh-and-retry: each request is one the test sees.
const defaults = ParamsFactory.getDefault();
const restrictionParams: typeof defaults = {
  ...defaults,
  rateLimit: { ...defaults.rateLimit, burstLimit: 1e6, drainRate: 1e6, adaptiveEnabled: false },
  adaptiveConfig: { ...defaults.adaptiveConfig, enabled: false } as typeof defaults.adaptiveConfig,
  maxRetries: 1,
};

describe("the official JS SDK (@bitrix24/b24jssdk B24OAuth)", () => {
  it("refreshes an expired token at the advertised server_endpoint and retries the call", async () => {
    const portal = await emulator.createPortal();
    const refreshed: string[] = [];
    const b24 = new B24OAuth(
      {
        applicationToken: portal.applicationToken,
        userId: 1,
        memberId: portal.memberId,
        accessToken: portal.accessToken,
        refreshToken: portal.refreshToken,
        expires: portal.accessTokenExpires!,
        expiresIn: 3600,
        scope: "imbot,im",
        domain: new URL(origin).host,
        clientEndpoint: `${origin}/rest/`,
        serverEndpoint: `${origin}/oauth-server/rest/`,
        status: "L",
      },
      { clientId: portal.clientId, clientSecret: portal.clientSecret },
      { restrictionParams },
    );
    b24.setCallbackRefreshAuth(async ({ b24OAuthParams }) => {
      refreshed.push(b24OAuthParams.accessToken);
    });

    // The portal's clock passes the hour; the SDK, going by its own clock, still thinks the token fresh.
    await portal.control.moveClock({ advanceSeconds: 3601 });
    const response = await b24.actions.v2.call.make({ method: "profile", params: {} });
    expect(response.isSuccess).toBe(true);
    const data = response.getData() as { result: { ID: string }; time: unknown };
    expect(data.result.ID).toBe("1");
    expectMatchesOpenApi({ method: "POST", url: "/rest/profile" }, { status: 200, body: data });

    expect(refreshed).toHaveLength(1);
    expect(refreshed[0]).not.toBe(portal.accessToken);
    const calls = portal.control.journal().map((c) => `${c.method} ${c.status}${c.error ? ` ${c.error}` : ""}`);
    expect(calls.slice(calls.indexOf("emulator.clock 200") + 1)).toEqual(["profile 401 expired_token", "oauth.token 200", "profile 200"]);
  });
});

describe("pybitrix24 (Bitrix24 class) as it calls a portal", () => {
  /** pybitrix24's `request()`: urllib GET (no body) or POST (JSON body), always Content-Type application/json. */
  async function pyRequest(url: string, data?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
    const res = await fetch(url, {
      method: data === undefined ? "GET" : "POST",
      headers: { "Content-Type": "application/json", "Accept-Encoding": "identity", "User-Agent": "Python-urllib/3.12" },
      ...(data === undefined ? {} : { body: JSON.stringify(data) }),
    });
    const body = (await res.json()) as Record<string, unknown>;
    expectMatchesOpenApi({ method: data === undefined ? "GET" : "POST", url: new URL(url).pathname }, { status: res.status, body, contentType: res.headers.get("content-type") ?? "" });
    return { status: res.status, body };
  }
  /** urllib.parse.urlencode of a dict, keys in insertion order. */
  const urlencode = (params: Record<string, string>) => new URLSearchParams(params).toString();

  it("build_authorization_url, obtain_tokens(code), call(), refresh_tokens() run end to end", async () => {
    const fixture = defaultFixture();
    fixture.apps = fixture.apps!.map((a) => ({ ...a, redirectUri: "https://app.example.com/b24/callback" }));
    const portal = await emulator.createPortal({ fixture });
    const hostname = new URL(origin).host;

    // build_authorization_url(): https://{hostname}/oauth/authorize/?client_id=..&response_type=code; the
    // browser follows it and lands on the app's redirect URI with ?code=.
    const authorize = await fetch(`${origin}/oauth/authorize/?${urlencode({ client_id: portal.clientId, response_type: "code" })}`, { redirect: "manual" });
    expect(authorize.status).toBe(302);
    const code = new URL(authorize.headers.get("location")!).searchParams.get("code")!;

    // obtain_tokens(code): GET https://{auth_hostname or hostname}/oauth/token/?client_id&client_secret&code&grant_type
    const obtained = await pyRequest(
      `http://${hostname}/oauth/token/?${urlencode({ client_id: portal.clientId, client_secret: portal.clientSecret, code, grant_type: "authorization_code" })}`,
    );
    expect(obtained.status).toBe(200);
    const accessToken = obtained.body.access_token as string;
    const refreshToken = obtained.body.refresh_token as string;
    expect(accessToken).toMatch(/^[0-9a-f]{32}$/);

    // call(method, params): https://{hostname}/rest/{method}.json?auth=.. with the params as a JSON body.
    const profile = await pyRequest(`http://${hostname}/rest/profile.json?${urlencode({ auth: accessToken })}`);
    expect((profile.body.result as { ID: string }).ID).toBe("1");
    const sent = await pyRequest(`http://${hostname}/rest/imbot.v2.Chat.Message.send.json?${urlencode({ auth: accessToken })}`, {
      botId: 456, dialogId: "chat5", fields: { message: "from pybitrix24" },
    });
    expect(sent.status).toBe(200);

    // An hour later the call fails with expired_token; refresh_tokens() gets a new pair.
    await portal.control.moveClock({ advanceSeconds: 3601 });
    const expired = await pyRequest(`http://${hostname}/rest/profile.json?${urlencode({ auth: accessToken })}`);
    expect([expired.status, expired.body.error]).toEqual([401, "expired_token"]);
    const renewed = await pyRequest(
      `http://${hostname}/oauth/token/?${urlencode({ client_id: portal.clientId, client_secret: portal.clientSecret, grant_type: "refresh_token", refresh_token: refreshToken })}`,
    );
    expect(renewed.status).toBe(200);
    const again = await pyRequest(`http://${hostname}/rest/profile.json?${urlencode({ auth: renewed.body.access_token as string })}`);
    expect(again.status).toBe(200);
  });
});
