import { describe, expect, it } from "vitest";
import { createEmulator } from "../src/index.js";
import { testFixture } from "./support/fixtures.js";
import { restClient, snapshot } from "./support/rest-client.js";

const WEBHOOK = "/rest/1/emulator/imbot.v2.Revision.get";
const OAUTH = "/rest/imbot.v2.Revision.get";
const CURRENT = { rest: 36, web: 130, mobile: 23, desktop: 6 };

const client = (options: Parameters<typeof createEmulator>[0] = {}) => {
  const app = createEmulator({ fixture: testFixture(), ...options });
  return { app, rest: restClient(app) };
};

describe("a client asks which API revision the portal speaks", () => {
  it("gets rest 36 and the client revisions through a webhook, without any botToken", async () => {
    const { rest } = client();
    const reply = await rest.post(WEBHOOK, {});
    expect(reply.status).toBe(200);
    expect(reply.body.result).toEqual(CURRENT);
    expect(Object.values(reply.body.result as object).every(Number.isInteger)).toBe(true);
  });

  it("gets the same through OAuth, in the body, the query string or a Bearer header", async () => {
    const { rest } = client();
    expect((await rest.post(OAUTH, { auth: "emulator-token" })).body.result).toEqual(CURRENT);
    expect((await rest.post(`${OAUTH}?auth=emulator-token`, {})).body.result).toEqual(CURRENT);
    const bearer = await rest.post(OAUTH, {}, "json", { Authorization: "Bearer emulator-token" });
    expect(bearer.status).toBe(200);
    expect(bearer.body.result).toEqual(CURRENT);
  });

  it("works with a form body, ignoring bot parameters it does not take", async () => {
    const { rest } = client();
    const form = await rest.post(OAUTH, { auth: "emulator-token", botId: "999", botToken: "nonsense" }, "form");
    expect(form.status).toBe(200);
    expect(form.body.result).toEqual(CURRENT);
  });

  it("works for an app that owns no bot at all", async () => {
    const { rest } = client();
    const reply = await rest.post(OAUTH, { auth: "other-token" });
    expect(reply.status).toBe(200);
    expect(reply.body.result).toEqual(CURRENT);
  });

  it("reports the configured restRevision", async () => {
    for (const restRevision of [33, 35, 40]) {
      const { rest } = client({ restRevision });
      expect((await rest.post(WEBHOOK, {})).body.result).toEqual({ ...CURRENT, rest: restRevision });
    }
  });

  it("changes nothing in the store", async () => {
    const { app, rest } = client();
    const before = snapshot(app);
    await rest.post(WEBHOOK, {});
    expect(snapshot(app)).toBe(before);
  });
});

describe("refusals", () => {
  it("ERROR_METHOD_NOT_FOUND (404) when the emulated revision predates the method (below 33)", async () => {
    const { app, rest } = client({ restRevision: 32 });
    const before = snapshot(app);
    for (const [url, params] of [[WEBHOOK, {}], [OAUTH, { auth: "emulator-token" }]] as const) {
      const reply = await rest.post(url, params);
      expect(reply.status).toBe(404);
      expect(reply.body).toEqual({ error: "ERROR_METHOD_NOT_FOUND", error_description: "Method not found!" });
    }
    expect(snapshot(app)).toBe(before);
  });

  it("insufficient_scope (403) without the imbot scope", async () => {
    const { rest } = client();
    const hook = await rest.post("/rest/2/im-only/imbot.v2.Revision.get", {});
    expect(hook.status).toBe(403);
    expect(hook.body.error).toBe("insufficient_scope");
    const app = await rest.post(OAUTH, { auth: "im-only-token" });
    expect(app.status).toBe(403);
    expect(app.body.error).toBe("insufficient_scope");
  });

  it("NO_AUTH_FOUND (401) and expired_token (401)", async () => {
    const { rest } = client();
    const wrong = await rest.post("/rest/1/wrong-code/imbot.v2.Revision.get", {});
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toBe("NO_AUTH_FOUND");
    const noToken = await rest.post(OAUTH, {});
    expect(noToken.status).toBe(401);
    expect(noToken.body.error).toBe("NO_AUTH_FOUND");
    const expired = await rest.post(OAUTH, { auth: "stale-token" });
    expect(expired.status).toBe(401);
    expect(expired.body.error).toBe("expired_token");
  });
});
