import { expect } from "vitest";
import type { RunningEmulator } from "../../src/index.js";
import { httpClient } from "./http-client.js";

/** The seeded bot of the default fixture, as an imbot.v2 caller names it. */
export const SEED_BOT = { botId: 456, botToken: "my_bot_token" } as const;

/**
 * A fresh portal of a listening emulator, and how a test talks to it over HTTP (every answer checked
 * against openapi.yaml): `rest` calls an imbot method through the portal's webhook as `as` (default
 * the seeded bot) and answers status and body; `control` calls the portal's control API.
 */
export async function freshPortal(emulator: RunningEmulator) {
  const http = httpClient(emulator.httpUrl!);
  const created = await http.call("POST", "/_emulator/portals", {});
  expect(created.status).toBe(201);
  const { id, webhookUrl } = created.body as { id: string; webhookUrl: string };
  const webhookPath = new URL(webhookUrl).pathname;
  const rest = async (method: string, params: Record<string, unknown>, as: Record<string, unknown> = SEED_BOT) => {
    const reply = await http.call("POST", `${webhookPath}${method}`, { ...as, ...params });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- wire JSON, read the way a bot reads it
    return { status: reply.status, body: reply.body as any };
  };
  const control = (method: "GET" | "POST", path: string, body?: unknown) => http.call(method, `/_emulator/portals/${id}${path}`, body);
  return { id, http, webhookPath, rest, control };
}
