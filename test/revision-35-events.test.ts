import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type PortalInfo, type RunningEmulator } from "../src/index.js";
import type { PortalHandle } from "../src/control/portal-handle.js";
import { httpClient } from "./support/http-client.js";
import { listenForEvents, type EventHandler } from "./support/v1-bot.js";

/**
 * What revision 35 changed in the events a bot receives (spec revisions.md, issue 12), seen by a bot
 * through a listening emulator: its handler's POSTs and its Event.get pages, at revision 34 and 36.
 */

let rev34: RunningEmulator;
let rev36: RunningEmulator;
beforeAll(async () => {
  [rev34, rev36] = await Promise.all([startEmulator({ restRevision: 34 }), startEmulator({ restRevision: 36 })]);
});
afterAll(async () => {
  await Promise.all([rev34, rev36].map((e) => e.close()));
});

const handlers: EventHandler[] = [];
afterEach(async () => {
  for (const handler of handlers.splice(0)) await handler.close();
});
async function handler(): Promise<EventHandler> {
  const opened = await listenForEvents();
  handlers.push(opened);
  return opened;
}

const hook = (portal: PortalInfo) => new URL(portal.webhookUrl as string).pathname;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- wire JSON, read the way a bot reads it
type Json = Record<string, any>;
async function call(emulator: RunningEmulator, portal: PortalInfo, method: string, params: Record<string, unknown>): Promise<Json> {
  const reply = await httpClient(emulator.httpUrl as string).call("POST", `${hook(portal)}${method}`, params);
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply.body.result as Json;
}

/** A bot registered over the incoming webhook with its own botToken, delivering to `url`. */
async function webhookBot(emulator: RunningEmulator, portal: PortalInfo, code: string, botToken: string, url: string): Promise<number> {
  const result = await call(emulator, portal, "imbot.v2.Bot.register", {
    fields: { code, botToken, properties: { name: code }, eventMode: "webhook", webhookUrl: url },
  });
  return result.bot.id as number;
}

describe("bot.appId in events (BOT-FIX-0501-3): present below revision 35, gone from 35", () => {
  it("a webhook-registered bot's POSTs name its synthetic custom app, never its botToken", async () => {
    for (const [emulator, shown] of [[rev34, true], [rev36, false]] as const) {
      const bot = await handler();
      const portal: PortalHandle = await emulator.createPortal();
      const botId = await webhookBot(emulator, portal, "appid_hook", "my-secret-token", bot.url);
      await portal.control.userSays({ authorId: 1, dialogId: String(botId), text: "hello" });
      const event = await bot.next("ONIMBOTV2MESSAGEADD");
      expect(event.form["data[bot][id]"]).toBe(String(botId));
      const registered = (await call(emulator, portal, "imbot.v2.Bot.get", { botId, botToken: "my-secret-token" })).bot;
      if (shown) {
        expect(event.form["data[bot][appId]"]).toMatch(/^custom/);
        expect(event.form["data[bot][appId]"]).toBe(registered.appId);
      } else {
        expect(event.form).not.toHaveProperty("data[bot][appId]");
        expect(registered).not.toHaveProperty("appId");
      }
      expect(Object.values(event.form)).not.toContain("my-secret-token");
    }
  });

  it("a fetch bot's Event.get bot object names its OAuth app's client id", async () => {
    for (const [emulator, shown] of [[rev34, true], [rev36, false]] as const) {
      const portal: PortalHandle = await emulator.createPortal();
      await portal.control.userSays({ authorId: 1, dialogId: "456", text: "hello" });
      const page = await call(emulator, portal, "imbot.v2.Event.get", { botId: 456, botToken: "my_bot_token" });
      const bot = page.events[0].data.bot as Json;
      expect(bot.id).toBe(456);
      if (shown) expect(bot.appId).toBe(portal.clientId);
      else expect(bot).not.toHaveProperty("appId");
    }
  });
});
