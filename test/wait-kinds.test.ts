import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startEmulator, type RunningEmulator } from "../src/index.js";
import { DEFAULT_FIXTURE_PATH } from "../src/emulator.js";
import { httpClient } from "./support/http-client.js";

/**
 * Pending long-polls are woken only by changes of the kind they wait for: a REST call (a journal
 * entry) never re-checks hundreds of waits for a message, while a message wakes them at once and a
 * call wakes the waits for calls. Real HTTP long-polls beside programmatic ones, on a listening emulator.
 */
let emulator: RunningEmulator;
let http: ReturnType<typeof httpClient>;

beforeAll(async () => {
  emulator = await startEmulator();
  http = httpClient(emulator.httpUrl!);
});
afterAll(() => emulator.close());

const WAITS = 300;

describe("waits and the changes that wake them", () => {
  it("REST calls leave message waits alone; the message they wait for answers every one", async () => {
    const portal = await emulator.createPortal();
    const activity = emulator.app.runtime.activity;
    const query = { for: "message" as const, dialogId: "chat5", textContains: "wake-up", timeout: 30_000 };
    const waits = Array.from({ length: WAITS }, () => portal.control.waitFor(query));
    const longPoll = http.get(`/_emulator/portals/${portal.id}/wait?for=message&dialogId=chat5&textContains=wake-up&timeout=30000`);
    const callWait = portal.control.waitFor({ for: "call", method: "server.time", timeout: 30_000 });
    // The HTTP long-poll must reach the server first: vi.waitFor's 1 s default is short on a loaded machine.
    await vi.waitFor(() => expect(activity.pendingWaits).toBe(WAITS + 2), { timeout: 10_000 });

    const hook = new URL(portal.webhookUrl).pathname;
    const probesBefore = activity.probesRun;
    for (let i = 0; i < 20; i++) expect((await http.get(`${hook}profile`)).status).toBe(200);
    expect((await http.get(`${hook}server.time`)).status).toBe(200);
    expect(await callWait).toMatchObject({ method: "server.time", status: 200 });
    // The call wait was probed on the calls; none of the message waits was.
    expect(activity.probesRun - probesBefore).toBeLessThanOrEqual(21);

    const sent = await http.call("POST", `/_emulator/portals/${portal.id}/messages`, { authorId: 1, dialogId: "chat5", text: "please wake-up" });
    expect(sent.status).toBe(201);
    for (const found of await Promise.all(waits)) expect(found).toMatchObject({ text: "please wake-up", authorId: 1 });
    const polled = await longPoll;
    expect(polled.status).toBe(200);
    expect(polled.body.match).toMatchObject({ text: "please wake-up" });
    expect(activity.pendingWaits).toBe(0);
  }, 60_000);

  it("a commit that touches no message probes no message wait", async () => {
    const portal = await emulator.createPortal();
    const activity = emulator.app.runtime.activity;
    const wait = portal.control.waitFor({ for: "message", dialogId: "chat5", textContains: "never said", timeout: 30_000 });
    await vi.waitFor(() => expect(activity.pendingWaits).toBe(1), { timeout: 10_000 });

    const probesBefore = activity.probesRun;
    for (let i = 0; i < 5; i++) await portal.control.createUser({ firstName: `Quiet ${i}` });
    const sent = await http.call("POST", `/_emulator/portals/${portal.id}/messages`, { authorId: 1, dialogId: "chat5", text: "never said before" });
    expect(sent.status).toBe(201);
    expect(await wait).toMatchObject({ text: "never said before" });
    // Only the message woke it: one probe, not one per commit.
    expect(activity.probesRun - probesBefore).toBe(1);
  });

  it("an edit that makes a message match wakes the wait with that message; an unmatching message does not", async () => {
    const portal = await emulator.createPortal();
    const hook = new URL(portal.webhookUrl).pathname;
    const wait = portal.control.waitFor({ for: "message", dialogId: "chat5", textContains: "final answer", timeout: 30_000 });
    await vi.waitFor(() => expect(emulator.app.runtime.activity.pendingWaits).toBe(1), { timeout: 10_000 });

    const placeholder = await http.call("POST", `${hook}im.message.add`, { DIALOG_ID: "chat5", MESSAGE: "thinking..." });
    expect(placeholder.status).toBe(200);
    const later = await http.call("POST", `${hook}im.message.add`, { DIALOG_ID: "chat5", MESSAGE: "still thinking" });
    expect(later.status).toBe(200);
    const edited = await http.call("POST", `${hook}im.message.update`, { MESSAGE_ID: placeholder.body.result, MESSAGE: "the final answer" });
    expect(edited.body).toMatchObject({ result: true });
    expect(await wait).toMatchObject({ id: placeholder.body.result, text: "the final answer" });
  });

  it("a wait on a portal that is deleted and created again under its id sees the new portal's messages", async () => {
    const fixture = JSON.parse(readFileSync(DEFAULT_FIXTURE_PATH, "utf8")) as Record<string, unknown>;
    const quiet = await emulator.createPortal({ fixture: { ...fixture, messages: [], answerWindows: [] } });
    const wait = quiet.control.waitFor({ for: "message", dialogId: "chat5", textContains: "/help", timeout: 10_000 });
    await vi.waitFor(() => expect(emulator.app.runtime.activity.pendingWaits).toBe(1), { timeout: 10_000 });

    expect((await http.call("DELETE", `/_emulator/portals/${quiet.id}`)).status).toBe(200);
    // A portal is created outside any portal's change path; its seeded messages still wake the wait.
    await emulator.createPortal({ id: quiet.id });
    expect(await wait).toMatchObject({ text: "/help", authorId: 1 });
  });
});
