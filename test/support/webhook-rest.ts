import { expect } from "vitest";
import type { PortalHandle } from "../../src/index.js";
import { httpClient } from "./http-client.js";

/**
 * Calls REST methods through a portal's incoming webhook, as a bot's own code would: each answer is
 * checked against openapi.yaml (httpClient), must be 200, and gives back its `result`.
 */
export function webhookRest(emulatorUrl: string, portal: PortalHandle) {
  const client = httpClient(emulatorUrl);
  const base = new URL(portal.webhookUrl!).pathname;
  return async (method: string, params: Record<string, unknown>): Promise<Record<string, unknown>> => {
    const reply = await client.call("POST", `${base}${method}`, params);
    expect(reply.status, `${method}: ${JSON.stringify(reply.body)}`).toBe(200);
    return reply.body.result as Record<string, unknown>;
  };
}
