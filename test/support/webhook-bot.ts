import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { startEmulator, type RunningEmulator } from "../../src/index.js";
import { testFixture } from "./fixtures.js";

/**
 * An emulator whose bots 456 and 457 receive their events by webhook at a local handler that
 * answers 200, as a bot's server would. Tests read what was posted from the delivery log.
 */
export async function startWithWebhookBots(): Promise<{ emulator: RunningEmulator; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(200, { "Content-Type": "application/json" }).end("{}"));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  const fixture = testFixture();
  fixture.bots = fixture.bots!.map((b) => ({ ...b, eventMode: "webhook" as const, webhookUrl: url }));
  const emulator = await startEmulator({ fixture });
  return {
    emulator,
    close: async () => {
      await emulator.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
