import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createEmulator, type EmulatorApp, type RunningEmulator } from "../src/index.js";
import { testFixture } from "./support/fixtures.js";
import { restClient } from "./support/rest-client.js";
import { startWithWebhookBots } from "./support/webhook-bot.js";

/**
 * Which events a new message raises (spec v2-complete.md §4 X1, X2): a message that calls a command
 * raises COMMANDADD only; MESSAGEADD only when nothing matched; bot-authored messages reach no bot.
 */

let app: EmulatorApp;
let client: ReturnType<typeof restClient>;

beforeEach(() => {
  app = createEmulator({ fixture: testFixture() });
  client = restClient(app);
});

async function fetchTypes(botId = 456, botToken = "my_bot_token"): Promise<{ type: string; data: Record<string, unknown> }[]> {
  const reply = await client.post("/rest/1/emulator/imbot.v2.Event.get", { botId, botToken });
  expect(reply.status).toBe(200);
  return (reply.body.result as { events: { type: string; data: Record<string, unknown> }[] }).events;
}

describe("a command message raises COMMANDADD and no MESSAGEADD (fetch mode, Event.get)", () => {
  it("in the bot's 1:1 dialog, where it would see every message", async () => {
    await app.portal().userSays({ authorId: 1, dialogId: "456", text: "/help me" });
    const events = await fetchTypes();
    expect(events.map((e) => e.type)).toEqual(["ONIMBOTV2COMMANDADD"]);
    expect(events[0]!.data).toMatchObject({ command: { id: 42, command: "/help", params: "me", context: "textarea" }, user: { id: 1 } });
  });

  it("a message that calls nothing raises MESSAGEADD", async () => {
    await app.portal().userSays({ authorId: 1, dialogId: "456", text: "/nosuchcommand here" });
    expect((await fetchTypes()).map((e) => e.type)).toEqual(["ONIMBOTV2MESSAGEADD"]);
  });

  it("the same command with the same params once; at most 10 calls per message", async () => {
    await app.portal().userSays({ authorId: 1, dialogId: "456", text: "/help a\n/help a\n/help b" });
    const twice = await fetchTypes();
    expect(twice.map((e) => (e.data.command as { params: string }).params)).toEqual(["a", "b"]);

    app = createEmulator({ fixture: testFixture() });
    client = restClient(app);
    const lines = Array.from({ length: 12 }, (_, i) => `/help ${i}`).join("\n");
    const said = await app.portal().userSays({ authorId: 1, dialogId: "456", text: lines });
    expect(said.commands).toHaveLength(10);
    const events = await fetchTypes();
    expect(events.map((e) => (e.data.command as { params: string }).params)).toEqual(Array.from({ length: 10 }, (_, i) => String(i)));
  });
});

describe("bot-authored messages reach no bot (fetch mode)", () => {
  it("a bot writing to another bot's 1:1 dialog, or mentioning it in a group, raises nothing for it", async () => {
    await client.post("/rest/1/emulator/imbot.v2.Chat.Message.send", { botId: 456, botToken: "my_bot_token", dialogId: "457", fields: { message: "hi" } });
    const other = await client.post("/rest/imbot.v2.Event.get", { auth: "other-token", botId: 457 });
    const types = (other.body.result as { events: { type: string }[] }).events.map((e) => e.type);
    expect(types).not.toContain("ONIMBOTV2MESSAGEADD");
  });
});

describe("webhook mode: the same rules on the wire", () => {
  let emulator: RunningEmulator;
  let close: () => Promise<void>;
  beforeAll(async () => ({ emulator, close } = await startWithWebhookBots()));
  afterAll(async () => close());

  it("a typed command is posted as COMMANDADD alone; a plain message as MESSAGEADD", async () => {
    const { control } = await emulator.createPortal();
    await control.userSays({ authorId: 1, dialogId: "456", text: "/help x" });
    const command = await control.waitFor({ for: "delivery", botId: 456, timeout: 5000 });
    expect(command).toMatchObject({ event: "ONIMBOTV2COMMANDADD", status: 200 });
    expect((command as { payload: Record<string, string> }).payload).toMatchObject({
      event: "ONIMBOTV2COMMANDADD",
      "data[command][command]": "/help",
      "data[command][params]": "x",
      "data[user][id]": "1",
    });
    await control.userSays({ authorId: 1, dialogId: "456", text: "just talking" });
    const plain = await control.waitFor({ for: "delivery", botId: 456, event: "ONIMBOTV2MESSAGEADD", timeout: 5000 });
    expect((plain as { payload: Record<string, string> }).payload).toMatchObject({ "data[message][text]": "just talking" });
    expect(control.deliveries().map((d) => d.event)).toEqual(["ONIMBOTV2COMMANDADD", "ONIMBOTV2MESSAGEADD"]);
  });
});
