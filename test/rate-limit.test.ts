import { describe, expect, it } from "vitest";
import { createEmulator } from "../src/index.js";
import { restClient } from "./support/rest-client.js";

const answer = { botId: 456, botToken: "my_bot_token", commandId: 42, messageId: 789, dialogId: "chat5", fields: { message: "hi" } };
const URL = "/rest/1/emulator/imbot.v2.Command.answer";

describe("the REST rate limit (off unless asked for)", () => {
  it("standard plan: 50 requests pass, the 51st is 503 QUERY_LIMIT_EXCEEDED, and the bucket drains 2 per second", async () => {
    let now = Date.parse("2026-11-23T10:00:00Z");
    const app = createEmulator({ rateLimit: "standard", clock: () => new Date(now) });
    const client = restClient(app);
    for (let i = 0; i < 50; i++) expect((await client.post(URL, answer)).status).toBe(200);
    const refused = await client.post(URL, answer);
    expect([refused.status, refused.body.error]).toEqual([503, "QUERY_LIMIT_EXCEEDED"]);
    const before = JSON.stringify(app.store.state);
    expect((await client.post(URL, answer)).status).toBe(503);
    expect(JSON.stringify(app.store.state)).toBe(before);

    now += 1000;
    expect((await client.post(URL, answer)).status).toBe(200);
    expect((await client.post(URL, answer)).status).toBe(200);
    expect((await client.post(URL, answer)).status).toBe(503);
  });

  it("each credential has its own bucket", async () => {
    const app = createEmulator({ rateLimit: "standard", clock: () => new Date("2026-11-23T10:00:00Z") });
    const client = restClient(app);
    for (let i = 0; i < 51; i++) await client.post(URL, answer);
    const other = await client.post("/rest/imbot.v2.Command.answer", { ...answer, botToken: undefined, auth: "emulator-token" });
    expect(other.status).toBe(200);
  });

  it("answers 429 with rateLimitStatus 429, as the chat-bot overview page says", async () => {
    const app = createEmulator({ rateLimit: "standard", rateLimitStatus: 429, clock: () => new Date("2026-11-23T10:00:00Z") });
    const client = restClient(app);
    for (let i = 0; i < 50; i++) await client.post(URL, answer);
    const refused = await client.post(URL, answer);
    expect([refused.status, refused.body.error]).toEqual([429, "QUERY_LIMIT_EXCEEDED"]);
  });

  it("is off by default", async () => {
    const client = restClient(createEmulator({ clock: () => new Date("2026-11-23T10:00:00Z") }));
    for (let i = 0; i < 60; i++) expect((await client.post(URL, answer)).status).toBe(200);
  });
});
