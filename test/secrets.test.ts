import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../src/index.js";
import { rawRequest } from "./support/raw-http.js";

const lines: string[] = [];
const logger = { info: (m: string) => lines.push(m), warn: (m: string) => lines.push(m), error: (m: string) => lines.push(m) };

let emulator: RunningEmulator;
let url: string;
let received: URLSearchParams[] = [];
let handler: Server;
let handlerUrl: string;

beforeAll(async () => {
  emulator = await startEmulator({ logger, accessLog: true });
  url = emulator.httpUrl as string;
  handler = createServer((req, res) => {
    let body = "";
    req.on("data", (d: Buffer) => (body += d.toString()));
    req.on("end", () => {
      received.push(new URLSearchParams(body));
      res.end("ok");
    });
  });
  await new Promise<void>((resolve) => handler.listen(0, "127.0.0.1", resolve));
  handlerUrl = `http://127.0.0.1:${(handler.address() as AddressInfo).port}/hook`;
});
afterAll(async () => {
  await emulator.close();
  handler.closeAllConnections();
  await new Promise((r) => handler.close(r));
});

/** Everything a person could read: the log, the journal and the deliveries of the portal. */
async function everythingShown(portalId: string): Promise<string> {
  const journal = await rawRequest(url, "GET", `/_emulator/portals/${portalId}/journal`);
  const deliveries = await rawRequest(url, "GET", `/_emulator/portals/${portalId}/deliveries`);
  return [...lines, JSON.stringify(journal.body), JSON.stringify(deliveries.body)].join("\n");
}

describe("secrets are never printed or kept in clear", () => {
  it("the access log hides the webhook code even when the path is percent-encoded, and prints no query string", async () => {
    const portal = await emulator.createPortal();
    const code = portal.webhooks[0]!.code;
    const encoded = `/rest/%31/${encodeURIComponent(code)}/server.time?auth=query-secret-1`;
    expect((await rawRequest(url, "GET", encoded)).status).toBe(200);
    expect((await rawRequest(url, "GET", `/rest/1//${code}//server.time`)).status).toBe(200);
    const shown = await everythingShown(portal.id);
    expect(shown).not.toContain(code);
    expect(shown).not.toContain("query-secret-1");
    expect(lines.some((l) => l.includes("/rest/1/***/server.time"))).toBe(true);
  });

  it("the journal masks botTokens in batch cmd strings, CLIENT_ID, and a JSON body sent as a form", async () => {
    const portal = await emulator.createPortal();
    const base = `/rest/1/${portal.webhooks[0]!.code}`;
    const json = { "Content-Type": "application/json" };
    await rawRequest(url, "POST", `${base}/batch`, json, JSON.stringify({
      cmd: { a: "imbot.v2.Bot.get?botId=456&botToken=batch-secret-2", b: "imbot.v2.Bot.get?botId=456&fields%5BbotToken%5D=batch-secret-3" },
    }));
    await rawRequest(url, "POST", `${base}/imbot.v2.Bot.list`, json, JSON.stringify({ botToken: "my_bot_token", CLIENT_ID: "client-id-secret-4" }));
    const form = { "Content-Type": "application/x-www-form-urlencoded" };
    await rawRequest(url, "POST", `${base}/imbot.v2.Bot.list`, form, JSON.stringify({ botToken: "form-json-secret-5", botId: 456 }));
    await rawRequest(url, "POST", `${base}/imbot.v2.No.such`, json, JSON.stringify({ botToken: "unknown-method-secret-6" }));
    const journal = await rawRequest(url, "GET", `/_emulator/portals/${portal.id}/journal`);
    expect((journal.body.calls as unknown[]).length).toBeGreaterThanOrEqual(4);
    const shown = await everythingShown(portal.id);
    for (const secret of ["batch-secret-2", "batch-secret-3", "client-id-secret-4", "form-json-secret-5", "unknown-method-secret-6", "my_bot_token"]) {
      expect(shown, secret).not.toContain(secret);
    }
  });

  it("the deliveries log shows no access, refresh or application token a handler received", async () => {
    const portal = await emulator.createPortal();
    const base = `/rest/1/${portal.webhooks[0]!.code}`;
    const registered = await rawRequest(url, "POST", `${base}/imbot.v2.Bot.register`, { "Content-Type": "application/json" }, JSON.stringify({
      botToken: "delivery-bot-secret-7",
      fields: { code: "leak_check", eventMode: "webhook", webhookUrl: handlerUrl, properties: { name: "Leak check" } },
    }));
    const botId = (registered.body.result as { bot: { id: number } }).bot.id;
    received = [];
    await portal.control.addToChat("chat5", { userIds: [botId], addedBy: 1 });
    await portal.control.waitFor({ for: "delivery", botId, timeout: 5000 });
    const form = received[0]!;
    const secrets = ["auth[access_token]", "auth[application_token]", "data[bot][auth][access_token]", "data[bot][auth][refresh_token]"]
      .map((key) => form.get(key))
      .filter((v): v is string => typeof v === "string" && v.length > 8);
    expect(secrets.length).toBeGreaterThanOrEqual(2);
    const shown = await everythingShown(portal.id);
    for (const secret of [...secrets, "delivery-bot-secret-7"]) expect(shown).not.toContain(secret);
    const [delivery] = portal.control.deliveries();
    expect(delivery?.payload["auth[application_token]"]).toBe("***");
  });

  it("a failed delivery's log line masks secrets in the handler URL", async () => {
    const portal = await emulator.createPortal();
    const base = `/rest/1/${portal.webhooks[0]!.code}`;
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const registered = await rawRequest(url, "POST", `${base}/imbot.v2.Bot.register`, { "Content-Type": "application/json" }, JSON.stringify({
      botToken: "t",
      fields: { code: "gone", eventMode: "webhook", webhookUrl: `http://127.0.0.1:${port}/hook?auth=handler-secret-8`, properties: { name: "Gone" } },
    }));
    const botId = (registered.body.result as { bot: { id: number } }).bot.id;
    await portal.control.addToChat("chat5", { userIds: [botId], addedBy: 1 });
    await portal.control.waitFor({ for: "delivery", botId, timeout: 5000 });
    expect(lines.some((l) => l.includes(`127.0.0.1:${port}/hook`))).toBe(true);
    expect(await everythingShown(portal.id)).not.toContain("handler-secret-8");
  });
});
