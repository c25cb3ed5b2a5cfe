import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../src/index.js";
import { defaultFixture } from "./support/fixtures.js";
import { rawRequest } from "./support/raw-http.js";

let emulator: RunningEmulator;
let url: string;
let port: string;

beforeAll(async () => {
  emulator = await startEmulator();
  url = emulator.httpUrl as string;
  port = new URL(url).port;
});
afterAll(() => emulator.close());

const json = { "Content-Type": "application/json" };

function register(target: RunningEmulator, base: string, webhookUrl: string, code = `hook_${Math.random().toString(36).slice(2)}`) {
  return rawRequest(target.httpUrl as string, "POST", `${base}/imbot.v2.Bot.register`, json, JSON.stringify({
    botToken: "target-check",
    fields: { code, eventMode: "webhook", webhookUrl, properties: { name: "Target check" } },
  }));
}

async function freshPortal(target = emulator) {
  const portal = await target.createPortal();
  return { portal, base: `/rest/1/${portal.webhooks[0]!.code}`, stored: () => JSON.stringify(target.app.store.state.portals[portal.id]) };
}

describe("webhook targets", () => {
  it("Bot.register refuses a host beyond loopback with 400 BOT_INVALID_CALLBACK naming --webhook-allow; no bot is created", async () => {
    const { base, stored } = await freshPortal();
    const before = stored();
    const reply = await register(emulator, base, "http://collector.example/steal");
    expect([reply.status, reply.body.error]).toEqual([400, "BOT_INVALID_CALLBACK"]);
    expect(reply.body.error_description).toContain("--webhook-allow collector.example");
    expect(stored()).toBe(before);
  });

  it.each([
    ["its REST API by address", (p: string) => `http://127.0.0.1:${p}/rest/1/emulator/imbot.v2.Chat.Message.send`],
    ["its REST API by name", (p: string) => `http://localhost:${p}/rest/1/emulator/imbot.v2.Chat.Message.send`],
    ["its control API", (p: string) => `http://[::1]:${p}/_emulator/portals/default/messages`],
  ])("refuses a webhookUrl at the emulator's own listener (%s): the loop", async (_what, target) => {
    const { base, stored } = await freshPortal();
    const before = stored();
    const reply = await register(emulator, base, target(port));
    expect([reply.status, reply.body.error]).toEqual([400, "BOT_INVALID_CALLBACK"]);
    expect(reply.body.error_description).toContain("own listener");
    expect(stored()).toBe(before);
  });

  it("Bot.update refuses a foreign webhookUrl and leaves the bot as it was", async () => {
    const { base, stored } = await freshPortal();
    const created = await register(emulator, base, "http://127.0.0.1:9/hook", "update_target");
    expect(created.status).toBe(200);
    const botId = (created.body.result as { bot: { id: number } }).bot.id;
    const before = stored();
    const reply = await rawRequest(url, "POST", `${base}/imbot.v2.Bot.update`, json, JSON.stringify({
      botId, botToken: "target-check", fields: { webhookUrl: "https://collector.example/steal" },
    }));
    expect([reply.status, reply.body.error]).toEqual([400, "BOT_INVALID_CALLBACK"]);
    expect(stored()).toBe(before);
  });

  it("--webhook-allow widens by host and host:port; * allows any host but never the emulator itself", async () => {
    const wide = await startEmulator({ webhookAllow: ["bot.internal:8080", "handler"] });
    const any = await startEmulator({ webhookAllow: ["*"] });
    try {
      const { base } = await freshPortal(wide);
      expect((await register(wide, base, "http://bot.internal:8080/hook")).status).toBe(200);
      expect((await register(wide, base, "http://handler:3001/events")).status).toBe(200);
      expect((await register(wide, base, "http://bot.internal:9090/hook")).body.error).toBe("BOT_INVALID_CALLBACK");
      const open = await freshPortal(any);
      expect((await register(any, open.base, "https://collector.example/hook")).status).toBe(200);
      const own = await register(any, open.base, `http://127.0.0.1:${new URL(any.httpUrl as string).port}/rest/`);
      expect([own.status, own.body.error]).toEqual([400, "BOT_INVALID_CALLBACK"]);
    } finally {
      await wide.close();
      await any.close();
    }
  });

  it("never sends to a refused target, even one a fixture holds: the delivery is logged as not sent", async () => {
    const fixture = defaultFixture();
    fixture.bots = fixture.bots!.map((b) => ({ ...b, eventMode: "webhook" as const, webhookUrl: `http://localhost:${port}/rest/1/emulator/imbot.v2.Chat.Message.send` }));
    const portal = await emulator.createPortal({ fixture });
    const before = Object.keys(emulator.app.store.state.portals.default!.messages).length;
    await portal.control.userSays({ authorId: 1, dialogId: "chat5", text: "/help" });
    const delivery = await portal.control.waitFor({ for: "delivery", timeout: 5000 });
    expect(delivery).toMatchObject({ status: null, error: expect.stringContaining("not sent") });
    expect(Object.keys(emulator.app.store.state.portals.default!.messages).length).toBe(before);

    const foreign = defaultFixture();
    foreign.bots = foreign.bots!.map((b) => ({ ...b, eventMode: "webhook" as const, webhookUrl: "http://collector.example/steal" }));
    const other = await emulator.createPortal({ fixture: foreign });
    await other.control.userSays({ authorId: 1, dialogId: "chat5", text: "/help" });
    expect(await other.control.waitFor({ for: "delivery", timeout: 5000 })).toMatchObject({ status: null, error: expect.stringContaining("--webhook-allow") });
  });
});
