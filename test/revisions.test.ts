import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type PortalInfo, type RunningEmulator } from "../src/index.js";
import { testFixture } from "./support/fixtures.js";
import { httpClient } from "./support/http-client.js";

/**
 * Revisions (issue 12 item 7), through listening emulators: `restRevision` reproduces the behaviour
 * changes of spec revisions.md, and `enforceBcSunset` ends the legacy forms after their last day on
 * the portal's clock (v2-complete.md correction k, OPEN-N8), flagged by the conformance report either way.
 */

let rev32: RunningEmulator;
let rev33: RunningEmulator;
let current: RunningEmulator;
let sunset: RunningEmulator;
beforeAll(async () => {
  [rev32, rev33, current, sunset] = await Promise.all([
    startEmulator({ restRevision: 32 }),
    startEmulator({ restRevision: 33 }),
    startEmulator(),
    startEmulator({ enforceBcSunset: true, eventGetLegacy: true }),
  ]);
});
afterAll(async () => {
  await Promise.all([rev32, rev33, current, sunset].map((e) => e.close()));
});

const hook = (portal: PortalInfo) => new URL(portal.webhookUrl as string).pathname;
const call = (emulator: RunningEmulator, portal: PortalInfo, method: string, params: Record<string, unknown>) =>
  httpClient(emulator.httpUrl as string).call("POST", `${hook(portal)}${method}`, { botId: 456, botToken: "my_bot_token", ...params });

describe("--rest-revision 33 answers as a portal did before revision 34/35", () => {
  it("Bot.* without a botToken: CLIENT_ID_NOT_SPECIFIED (BOT-FIX-0408-6), BOT_TOKEN_NOT_SPECIFIED today", async () => {
    for (const [emulator, code] of [[rev33, "CLIENT_ID_NOT_SPECIFIED"], [current, "BOT_TOKEN_NOT_SPECIFIED"]] as const) {
      const portal = await emulator.createPortal();
      const reply = await httpClient(emulator.httpUrl as string).call("POST", `${hook(portal)}imbot.v2.Bot.get`, { botId: 456 });
      expect(reply).toMatchObject({ status: 400, body: { error: code } });
    }
  });

  it("Command.list gives REST-registered commands no title or params (BOT-FIX-0408-3)", async () => {
    const old = await rev33.createPortal();
    const now = await current.createPortal();
    const commandOf = async (emulator: RunningEmulator, portal: PortalInfo) =>
      ((await call(emulator, portal, "imbot.v2.Command.list", {})).body.result as { commands: Record<string, unknown>[] }).commands[0];
    expect(await commandOf(rev33, old)).toMatchObject({ command: "/help", title: "", params: "" });
    expect(await commandOf(current, now)).toMatchObject({ command: "/help", title: "Show help" });
  });

  it("the owner's bot view still carries appId (BOT-FIX-0501-3 removed it in 35)", async () => {
    const old = await rev33.createPortal();
    const now = await current.createPortal();
    const bot = async (emulator: RunningEmulator, portal: PortalInfo) => ((await call(emulator, portal, "imbot.v2.Bot.get", {})).body.result as { bot: Record<string, unknown> }).bot;
    expect((await bot(rev33, old)).appId).toBe(old.clientId);
    expect(await bot(current, now)).not.toHaveProperty("appId");
  });

  it("Chat.TextField.enabled is ACCESS_DENIED in the bot's 1:1 dialog (BOT-FIX-0408-5), allowed today", async () => {
    const old = await rev33.createPortal({ fixture: testFixture() });
    expect(await call(rev33, old, "imbot.v2.Chat.TextField.enabled", { dialogId: "1", enabled: "N" })).toMatchObject({ status: 400, body: { error: "ACCESS_DENIED" } });
    expect(rev33.app.store.state.portals[old.id]!.chats[7]!.textFieldEnabled).not.toBe(false);
    expect(await call(rev33, old, "imbot.v2.Chat.TextField.enabled", { dialogId: "chat5", enabled: "N" })).toMatchObject({ status: 200, body: { result: { result: true } } });
    const now = await current.createPortal({ fixture: testFixture() });
    expect(await call(current, now, "imbot.v2.Chat.TextField.enabled", { dialogId: "1", enabled: "N" })).toMatchObject({ status: 200, body: { result: { result: true } } });
    expect(current.app.store.state.portals[now.id]!.chats[7]!.textFieldEnabled).toBe(false);
  });

  it("Bot.update ignores fields.botToken: no rotation before 35 (BOT-NEW-0501-2)", async () => {
    const portal = await rev33.createPortal();
    expect((await call(rev33, portal, "imbot.v2.Bot.update", { fields: { botToken: "rotated" } })).status).toBe(200);
    expect((await call(rev33, portal, "imbot.v2.Bot.get", {})).status).toBe(200);
  });
});

describe("--rest-revision 32 answers as a portal did before revision 33", () => {
  it("Revision.get does not exist (BOT-NEW-0402-1)", async () => {
    const portal = await rev32.createPortal();
    expect(await call(rev32, portal, "imbot.v2.Revision.get", {})).toMatchObject({ status: 404, body: { error: "ERROR_METHOD_NOT_FOUND" } });
  });

  it("Chat.Message.send ignores JSON true/false in its flags, only Y/N count (BOT-FIX-0402-2)", async () => {
    for (const [emulator, storedAsSystem] of [[rev32, false], [current, true]] as const) {
      const portal = await emulator.createPortal();
      const sent = await call(emulator, portal, "imbot.v2.Chat.Message.send", { dialogId: "chat5", fields: { message: "flag", system: true } });
      expect(sent.status).toBe(200);
      const messages = emulator.app.store.state.portals[portal.id]!.messages;
      expect(Object.values(messages).at(-1)).toMatchObject({ isSystem: storedAsSystem });
    }
  });
});

describe("--enforce-bc-sunset ends legacy forms after their last day, on the portal's clock", () => {
  const flatRegister = (portal: PortalInfo, name: string) =>
    call(sunset, portal, "imbot.v2.Command.register", { command: name, title: { en: "Flat" } });
  const moveTo = (portal: PortalInfo, now: string) =>
    httpClient(sunset.httpUrl as string).call("POST", `/_emulator/portals/${portal.id}/clock`, { now });

  it("flat Command.register works until 2026-09-30 and is COMMAND_REQUIRED from 2026-10-01, reported either way", async () => {
    const portal = await sunset.createPortal();
    await moveTo(portal, "2026-09-30T23:59:00Z");
    expect((await flatRegister(portal, "before")).status).toBe(200);
    await moveTo(portal, "2026-10-01T00:00:00Z");
    expect(await flatRegister(portal, "after")).toMatchObject({ status: 400, body: { error: "COMMAND_REQUIRED" } });

    const report = await httpClient(sunset.httpUrl as string).call("GET", `/_emulator/portals/${portal.id}/conformance`);
    expect(report.body.rules).toEqual([expect.objectContaining({ rule: "deprecated-flat-command-register", count: 4 })]);
  });

  it("keeps flat Command.register working past the date without the switch, as a portal answers today", async () => {
    const portal = await current.createPortal();
    expect((await call(current, portal, "imbot.v2.Command.register", { command: "flat", title: { en: "Flat" } })).status).toBe(200);
  });

  it("Event.get stops answering lastEventId after 2026-09-25, and reports it while it does", async () => {
    const portal = await sunset.createPortal();
    await moveTo(portal, "2026-09-25T12:00:00Z");
    const before = await call(sunset, portal, "imbot.v2.Event.get", {});
    expect(before.body.result).toHaveProperty("lastEventId");
    await moveTo(portal, "2026-09-26T00:00:00Z");
    const after = await call(sunset, portal, "imbot.v2.Event.get", {});
    expect(after.body.result).not.toHaveProperty("lastEventId");
    const report = await httpClient(sunset.httpUrl as string).call("GET", `/_emulator/portals/${portal.id}/conformance`);
    expect(report.body.rules).toEqual([expect.objectContaining({ rule: "deprecated-last-event-id", count: 1 })]);
  });
});
