import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../src/index.js";
import { defaultFixture } from "./support/fixtures.js";

/** A bot handler that misbehaves in a chosen way. */
async function handler(behave: (req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse) => void): Promise<{ url: string; server: Server }> {
  const server = createServer(behave);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, server };
}

function webhookFixture(url: string) {
  const fixture = defaultFixture();
  fixture.bots = fixture.bots!.map((b) => ({ ...b, eventMode: "webhook" as const, webhookUrl: url }));
  return fixture;
}

let emulator: RunningEmulator | undefined;
const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
  await emulator?.close();
  emulator = undefined;
});

async function typeHelp(): Promise<void> {
  await emulator!.portal().userSays({ authorId: 1, dialogId: "chat5", text: "/help" });
}

describe("a misbehaving bot handler cannot hurt the emulator", () => {
  it("a handler that hangs is cut off by the timeout and logged; other requests are not held up", async () => {
    const hung = await handler(() => {});
    servers.push(hung.server);
    emulator = await startEmulator({ fixture: webhookFixture(hung.url), deliveryTimeoutMs: 300 });
    await typeHelp();
    // The user's message was answered while the delivery still hangs: nothing is logged yet.
    expect(emulator.portal().deliveries()).toEqual([]);
    const answered = await fetch(`${emulator.webhookUrl}imbot.v2.Revision.get`, { method: "POST" });
    expect(answered.status).toBe(200);
    const delivery = await emulator.portal().waitFor({ for: "delivery", timeout: 10_000 });
    expect(delivery).toMatchObject({ status: null, error: "no answer within 300 ms", event: "ONIMBOTV2COMMANDADD" });
  });

  it("a kept-alive connection the handler dropped is replaced, and the event still arrives", async () => {
    // The handler closes every connection at its second request, as a server whose idle timeout
    // fires just when the emulator reuses the connection: the request dies before any answer.
    const seen: string[] = [];
    const requestsOnSocket = new WeakMap<object, number>();
    let dropped = 0;
    const closing = await handler((req, res) => {
      const count = (requestsOnSocket.get(req.socket) ?? 0) + 1;
      requestsOnSocket.set(req.socket, count);
      if (count > 1) {
        dropped++;
        return req.socket.destroy();
      }
      let body = "";
      req.on("data", (d: Buffer) => (body += d.toString()));
      req.on("end", () => {
        seen.push(new URLSearchParams(body).get("event") ?? "");
        res.end("ok");
      });
    });
    servers.push(closing.server);
    emulator = await startEmulator({ fixture: webhookFixture(closing.url) });
    await typeHelp();
    const first = await emulator.portal().waitFor({ for: "delivery", timeout: 10_000 });
    await typeHelp();
    await emulator.portal().waitFor({ for: "delivery", afterId: first!.id, timeout: 10_000 });
    expect(emulator.portal().deliveries().map((d) => [d.status, d.error])).toEqual([[200, null], [200, null]]);
    expect(seen).toEqual(["ONIMBOTV2COMMANDADD", "ONIMBOTV2COMMANDADD"]);
    // The second event did go out on the kept-alive socket first, so the retry was exercised.
    expect(dropped).toBe(1);
  });

  it("a handler answering 500 is logged with its status", async () => {
    const failing = await handler((_req, res) => res.writeHead(500).end("boom"));
    servers.push(failing.server);
    emulator = await startEmulator({ fixture: webhookFixture(failing.url) });
    await typeHelp();
    const delivery = await emulator.portal().waitFor({ for: "delivery", timeout: 10_000 });
    expect(delivery).toMatchObject({ status: 500, error: "handler answered HTTP 500" });
  });

  it("a refused connection is logged", async () => {
    // The handler keeps its port until the emulator listens, so the emulator cannot be handed that
    // port; closed afterwards, nothing on loopback listens there and the connection is refused.
    const gone = await handler(() => {});
    emulator = await startEmulator({ fixture: webhookFixture(gone.url) });
    await new Promise((r) => gone.server.close(r));
    await typeHelp();
    const delivery = await emulator.portal().waitFor({ for: "delivery", timeout: 10_000 });
    expect(delivery).toMatchObject({ status: null, error: "ECONNREFUSED" });
  });

  it("a handler redirecting forever gets one request; the redirect is not followed", async () => {
    let hits = 0;
    const looping = await handler((_req, res) => {
      hits++;
      res.writeHead(302, { Location: "/hook" }).end();
    });
    servers.push(looping.server);
    emulator = await startEmulator({ fixture: webhookFixture(looping.url) });
    await typeHelp();
    const delivery = await emulator.portal().waitFor({ for: "delivery", timeout: 10_000 });
    expect(delivery).toMatchObject({ status: 302, error: "handler answered HTTP 302" });
    expect(hits).toBe(1);
  });

  it("close() waits for a delivery under way instead of dropping it", async () => {
    let received = 0;
    const slow = await handler((_req, res) => {
      setTimeout(() => {
        received++;
        res.writeHead(200).end("ok");
      }, 200);
    });
    servers.push(slow.server);
    emulator = await startEmulator({ fixture: webhookFixture(slow.url) });
    await typeHelp();
    await emulator.close();
    emulator = undefined;
    expect(received).toBe(1);
  });
});
