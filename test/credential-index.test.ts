import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type PortalHandle, type RunningEmulator } from "../src/index.js";
import { credentialIndexBuilds } from "../src/rest/auth.js";
import { httpClient } from "./support/http-client.js";

/**
 * Unknown credentials cost a lookup, never a rebuild of the credential index: a flood of bad webhook
 * codes and tokens leaves the index alone, while credentials created, rotated or removed a moment
 * ago are honoured at once, through a listening emulator and real HTTP.
 */
let emulator: RunningEmulator;
let http: ReturnType<typeof httpClient>;

beforeAll(async () => {
  emulator = await startEmulator();
  http = httpClient(emulator.httpUrl!);
});
afterAll(() => emulator.close());

const hookPath = (portal: PortalHandle) => new URL(portal.webhookUrl).pathname;
const profileWith = (token: string) => http.get(`/rest/profile?auth=${token}`);

describe("the credential index", () => {
  it("answers a flood of unknown codes and tokens 401 NO_AUTH_FOUND without rebuilding", async () => {
    const portal = await emulator.createPortal();
    expect((await http.get(`${hookPath(portal)}profile`)).status).toBe(200);
    const before = credentialIndexBuilds();
    for (let i = 0; i < 50; i++) {
      const hook = await http.get(`/rest/1/not-a-code-${i}/profile`);
      expect([hook.status, hook.body.error]).toEqual([401, "NO_AUTH_FOUND"]);
      const token = await profileWith(`not-a-token-${i}`);
      expect([token.status, token.body.error]).toEqual([401, "NO_AUTH_FOUND"]);
    }
    expect(credentialIndexBuilds()).toBe(before);
  });

  it("lets a portal's credentials work the moment createPortal answers", async () => {
    await profileWith("warm-the-index");
    const portal = await emulator.createPortal();
    expect((await http.get(`${hookPath(portal)}profile`)).status).toBe(200);
    expect((await profileWith(portal.accessToken)).status).toBe(200);
  });

  it("honours a token minted by a refresh at once, and stops honouring a deleted portal's credentials", async () => {
    const portal = await emulator.createPortal();
    expect((await profileWith(portal.accessToken)).status).toBe(200);
    const query = new URLSearchParams({
      grant_type: "refresh_token",
      client_id: portal.clientId,
      client_secret: portal.clientSecret,
      refresh_token: portal.refreshToken,
    });
    const refreshed = await http.get(`/oauth/token/?${query.toString()}`);
    expect(refreshed.status).toBe(200);
    expect((await profileWith(refreshed.body.access_token as string)).status).toBe(200);

    expect((await http.get(`${hookPath(portal)}profile`)).status).toBe(200);
    expect((await http.call("DELETE", `/_emulator/portals/${portal.id}`)).status).toBe(200);
    const gone = await http.get(`${hookPath(portal)}profile`);
    expect([gone.status, gone.body.error]).toEqual([401, "NO_AUTH_FOUND"]);
    const goneToken = await profileWith(refreshed.body.access_token as string);
    expect([goneToken.status, goneToken.body.error]).toEqual([401, "NO_AUTH_FOUND"]);
  });
});
