import { createServer, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../src/index.js";
import { EmulatorProcess, inProcessPortal, type TestPortal } from "../support/emulator.js";
import { createWebhookHandler, GREETING, HELP_TEXT, registerHelpBot, type Connection, type HelpBot } from "./bot.js";

/**
 * The help bot in webhook mode: the portal POSTs every event to the bot's handler, which answers
 * from inside the request. The test never sleeps: it waits for the bot's messages and for the
 * deliveries through the control API.
 */
function webhookModeConversations(openPortal: () => Promise<TestPortal>) {
  let portal: TestPortal;
  let handler: Server;
  let handlerUrl: string;
  let bot: HelpBot;

  let connection: Connection;
  /** The last form the portal POSTed to the handler (the deliveries log shows its tokens as ***). */
  let lastForm = new URLSearchParams();
  const recording = (listener: RequestListener): RequestListener => (req, res) => {
    let body = "";
    req.on("data", (d: Buffer) => (body += d.toString()));
    req.on("end", () => (lastForm = new URLSearchParams(body)));
    listener(req, res);
  };

  beforeEach(async () => {
    portal = await openPortal();
    connection = { webhookUrl: portal.webhookUrl, botToken: "help-bot-secret" };
    // As in production, the handler is up before the bot registers with its URL.
    handler = await serve(recording(createWebhookHandler(connection)));
    handlerUrl = `${urlOf(handler)}/bitrix/events`;
    bot = await registerHelpBot({ ...connection, eventMode: "webhook", handlerUrl });
  });
  afterEach(() => stop(handler));

  /**
   * Anna adds the bot to chat5; its handler gets JOINCHAT and posts the greeting. The handler
   * answers the POST only after that, so the delivery is logged just after the greeting appears:
   * wait for both.
   */
  async function joinChat5() {
    await portal.control.addToChat("chat5", { userIds: [bot.botId], addedBy: 1 });
    const greeting = await portal.control.waitForMessage("chat5", { authorId: bot.botId, timeout: 5000 });
    const delivery = await portal.control.waitFor({ for: "delivery", botId: bot.botId, event: "ONIMBOTV2JOINCHAT", timeout: 5000 });
    expect(delivery).toMatchObject({ status: 200, url: handlerUrl });
    return greeting;
  }

  /** Anna types `text` in chat5; returns the bot's reply once the handler has posted it. */
  async function say(text: string) {
    const { message } = await portal.control.userSays({ authorId: 1, dialogId: "chat5", text });
    return portal.control.waitForMessage("chat5", { authorId: bot.botId, afterId: message.id as number, timeout: 5000 });
  }

  it("greets the chat it is added to", async () => {
    expect(await joinChat5()).toMatchObject({ text: GREETING, isSystem: false });
  });

  it("answers /help and /echo, and every event reached the handler with HTTP 200", async () => {
    await joinChat5();
    const help = await say("/help");
    expect(help).toMatchObject({ text: HELP_TEXT, params: { KEYBOARD: { BUTTONS: [{ COMMAND: "echo" }] } } });
    expect(await say("/echo ping")).toMatchObject({ text: "ping" });

    // As with JOINCHAT, each delivery is logged just after the reply appears: wait for both.
    const first = await portal.control.waitFor({ for: "delivery", botId: bot.botId, event: "ONIMBOTV2COMMANDADD", timeout: 5000 });
    await portal.control.waitFor({ for: "delivery", botId: bot.botId, event: "ONIMBOTV2COMMANDADD", afterId: first?.id as number, timeout: 5000 });

    const deliveries = await portal.control.deliveries();
    expect(deliveries.map((d) => [d.event, d.url, d.status, d.error])).toEqual([
      ["ONIMBOTV2JOINCHAT", handlerUrl, 200, null],
      ["ONIMBOTV2COMMANDADD", handlerUrl, 200, null],
      ["ONIMBOTV2COMMANDADD", handlerUrl, 200, null],
    ]);
    expect(deliveries.slice(1).map((d) => [d.payload["data[command][command]"], d.payload["data[command][params]"]])).toEqual([
      ["/help", ""],
      ["/echo", "ping"],
    ]);
    // Nothing waits in the fetch queue: a webhook bot gets its events only as POSTs.
    expect(await portal.control.events(bot.botId)).toEqual([]);
  });

  it("refuses a POST without an application token, and the portal's own are accepted", async () => {
    for (const auth of ["", "&auth[application_token]="]) {
      const forged = await fetch(handlerUrl, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: `event=ONIMBOTV2JOINCHAT&data[bot][id]=${bot.botId}&data[dialogId]=chat5${auth}`,
      });
      expect(forged.status).toBe(401);
    }

    await joinChat5();
    const [join] = await portal.control.deliveries();
    expect(join).toMatchObject({ status: 200, payload: { "auth[application_token]": expect.stringMatching(/\S/) } });
  });

  it("with the application token pinned, the handler takes the portal's POST and refuses a forged one", async () => {
    await joinChat5();
    const payload = Object.fromEntries(lastForm);
    expect(payload["auth[application_token]"]).toMatch(/^[0-9a-f]{32}$/);
    const pinned = await serve(createWebhookHandler(connection, { applicationToken: payload["auth[application_token]"] }));
    try {
      const post = (form: Record<string, string>) =>
        fetch(urlOf(pinned), { method: "POST", body: new URLSearchParams(form) }).then((r) => r.status);
      expect(await post({ ...payload, "auth[application_token]": "0".repeat(32) })).toBe(401);
      expect(await post(payload)).toBe(200);
    } finally {
      await stop(pinned);
    }
  });
}

async function serve(listener: RequestListener): Promise<Server> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}

const urlOf = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const stop = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

describe("help bot, webhook mode, emulator in the test process", () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator({ port: 0 });
  });
  afterAll(() => emulator.close());

  webhookModeConversations(() => inProcessPortal(emulator));
});

describe("help bot, webhook mode, emulator as a separate process (node dist/cli.js)", () => {
  let emulator: EmulatorProcess;
  beforeAll(async () => {
    emulator = await EmulatorProcess.start();
  });
  afterAll(() => emulator?.stop());

  webhookModeConversations(() => emulator.createPortal());
});
