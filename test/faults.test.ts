import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type PortalInfo, type RunningEmulator } from "../src/index.js";
import { docAnswerParams } from "./support/fixtures.js";
import { httpClient } from "./support/http-client.js";
import { TIMER_SLACK_MS } from "./support/timing.js";

/**
 * Inbound faults (issue 12 item 3), through a listening emulator with plain fetch, as a bot's test
 * would inject them: the matching calls of one portal get exactly the rule's answer, then the portal
 * answers normally again, and no other portal notices.
 */

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.close();
});

/** One HTTP call, its answer checked against openapi.yaml. */
const http = (method: "GET" | "POST" | "DELETE", path: string, body?: unknown) => httpClient(emulator.httpUrl as string).call(method, path, body);

const hookPath = (portal: PortalInfo) => new URL(portal.webhookUrl as string).pathname;

/** The doc's Command.answer example against a portal built from the default fixture. */
function answer(portal: PortalInfo, text = "Here is the help text..."): ReturnType<typeof http> {
  return http("POST", `${hookPath(portal)}imbot.v2.Command.answer`, docAnswerParams(text));
}

const addFault = (portal: PortalInfo, rule: Record<string, unknown>) => http("POST", `/_emulator/portals/${portal.id}/faults`, rule);

describe("inbound faults: POST /_emulator/portals/{id}/faults", () => {
  it("answers the matching call with the injected error the given number of times, then normally", async () => {
    const portal = await emulator.createPortal();
    const created = await addFault(portal, { method: "imbot.v2.Command.answer", error: "QUERY_LIMIT_EXCEEDED", status: 503, times: 2 });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 1, target: "rest", fired: 0, active: true, times: 2 });

    const first = await answer(portal);
    const second = await answer(portal);
    const third = await answer(portal);
    expect([first.status, second.status, third.status]).toEqual([503, 503, 200]);
    expect(first.body).toEqual({ error: "QUERY_LIMIT_EXCEEDED", error_description: "Too many requests" });
    expect(third.body.result).toEqual({ result: true });

    const listed = await http("GET", `/_emulator/portals/${portal.id}/faults`);
    expect(listed.body.rules).toEqual([expect.objectContaining({ id: 1, fired: 2, active: false })]);
    const calls = (await http("GET", `/_emulator/portals/${portal.id}/journal`)).body.calls as Record<string, unknown>[];
    expect(calls.map((c) => [c.status, c.error, c.fault])).toEqual([
      [503, "QUERY_LIMIT_EXCEEDED", 1],
      [503, "QUERY_LIMIT_EXCEEDED", 1],
      [200, null, undefined],
    ]);
  });

  it("affects only its own portal", async () => {
    const faulty = await emulator.createPortal();
    const healthy = await emulator.createPortal();
    await addFault(faulty, { method: "*", error: "INTERNAL_SERVER_ERROR" });

    expect((await answer(healthy)).status).toBe(200);
    expect(await answer(faulty)).toMatchObject({ status: 500, body: { error: "INTERNAL_SERVER_ERROR" } });
    expect((await http("GET", `/_emulator/portals/${healthy.id}/faults`)).body.rules).toEqual([]);
  });

  it("matches method names in any case and `*` as a wildcard, and leaves other methods alone", async () => {
    const portal = await emulator.createPortal();
    await addFault(portal, { method: "IMBOT.V2.CHAT.*", error: "ACCESS_DENIED", description: "injected" });
    const hook = hookPath(portal);
    const chat = await http("POST", `${hook}imbot.v2.chat.get`, { botId: 456, botToken: "my_bot_token", dialogId: "chat5" });
    expect(chat).toMatchObject({ status: 400, body: { error: "ACCESS_DENIED", error_description: "injected" } });
    expect((await answer(portal)).status).toBe(200);
  });

  it("delays a call, which then answers normally", async () => {
    const portal = await emulator.createPortal();
    const { body: rule } = await addFault(portal, { method: "imbot.v2.Command.answer", delayMs: 300, times: 1 });
    expect((await answer(portal)).status).toBe(200);
    const [entry] = (await http("GET", `/_emulator/portals/${portal.id}/journal`)).body.calls as Record<string, unknown>[];
    expect(entry).toMatchObject({ status: 200, fault: rule.id });
    // A timer may fire a millisecond early on the rounded clock: the delay happened, give or take that.
    expect(entry?.durationMs).toBeGreaterThanOrEqual(300 - TIMER_SLACK_MS);
  });

  it("drops the connection without an answer, once", async () => {
    const portal = await emulator.createPortal();
    await addFault(portal, { method: "imbot.v2.Command.answer", reset: true, times: 1 });
    await expect(answer(portal)).rejects.toThrow(/fetch failed/);
    expect((await answer(portal)).status).toBe(200);
    const calls = (await http("GET", `/_emulator/portals/${portal.id}/journal`)).body.calls as Record<string, unknown>[];
    expect(calls[0]).toMatchObject({ status: 0, error: null, fault: 1 });
  });

  it("never fires a rule of probability 0, and DELETE clears the rules", async () => {
    const portal = await emulator.createPortal();
    await addFault(portal, { method: "*", error: "QUERY_LIMIT_EXCEEDED", probability: 0 });
    expect((await answer(portal)).status).toBe(200);
    expect(await http("DELETE", `/_emulator/portals/${portal.id}/faults`)).toMatchObject({ status: 200, body: { deleted: 1 } });
    expect((await http("GET", `/_emulator/portals/${portal.id}/faults`)).body.rules).toEqual([]);
  });

  it("refuses a rule that does nothing, or names no portal, with a JSON error", async () => {
    const portal = await emulator.createPortal();
    expect(await addFault(portal, { method: "*" })).toMatchObject({ status: 400, body: { error: "CONTROL_ARGUMENT" } });
    expect(await addFault(portal, { method: "*", error: "X", status: 200 })).toMatchObject({ status: 400 });
    expect(await addFault(portal, { target: "elsewhere", method: "*", error: "X" })).toMatchObject({ status: 400 });
    expect(await http("POST", "/_emulator/portals/nope/faults", { method: "*", error: "X" })).toMatchObject({
      status: 404,
      body: { error: "PORTAL_NOT_FOUND" },
    });
  });

  it("is part of the programmatic API", async () => {
    const portal = await emulator.createPortal();
    const rule = portal.control.addFault({ method: "imbot.v2.Command.answer", error: "QUERY_LIMIT_EXCEEDED", times: 1 });
    expect(await answer(portal)).toMatchObject({ status: 503 });
    expect(portal.control.faults()).toEqual([{ ...rule, fired: 1, active: false }]);
    expect(portal.control.clearFaults()).toEqual({ deleted: 1 });
  });
});
