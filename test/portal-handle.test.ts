import { describe, expect, it } from "vitest";
import { createEmulator } from "../src/index.js";
import { defaultFixture } from "./support/fixtures.js";

describe("a portal handle from createPortal", () => {
  it("carries the first webhook's URL and the first app's credentials", async () => {
    const portal = await createEmulator().createPortal();
    expect(portal.webhookUrl).toBe(portal.webhooks[0]?.url);
    expect(portal.accessToken).toBe(portal.apps[0]?.accessTokens[0]);
    expect(portal.clientId).toMatch(/^local\./);
    expect(portal.applicationToken).toMatch(/^[0-9a-f]{32}$/);
  });

  it("names what the fixture lacks when a credential it has none of is read, and still logs", async () => {
    const fixture = defaultFixture();
    fixture.apps = [];
    fixture.bots = fixture.bots?.map((bot) => ({ ...bot, clientId: null }));
    const portal = await createEmulator().createPortal({ fixture });
    expect(portal.webhookUrl).toMatch(/\/rest\/1\/[0-9a-f]{16}\/$/);
    expect(() => portal.accessToken).toThrow(`portal "${portal.id}" has no accessToken: its fixture has no OAuth app with a token (apps)`);
    expect(JSON.parse(JSON.stringify(portal))).not.toHaveProperty("accessToken");
  });
});
