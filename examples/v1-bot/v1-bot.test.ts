import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../src/index.js";
import { EmulatorProcess, inProcessPortal, type TestPortal } from "../support/emulator.js";

/**
 * A bot written for imbot v1, in Python (standard library only), through the whole loop in webhook
 * mode: it registers itself and its commands over the portal's incoming webhook, the test plays the
 * user through the control API, the emulator POSTs the v1 events to the bot's handler, and the bot's
 * answers land in the chat. The test never sleeps: it waits for the bot's messages.
 */
const BOT = fileURLToPath(new URL("./bot.py", import.meta.url));
const PYTHON = spawnSync("python3", ["--version"]).status === 0;
const CLIENT_ID = "v1-example-client";
const GREETING = "Hello! I am a v1 bot. Try /help.";

interface RunningBot {
  botId: number;
  handlerUrl: string;
  stop(): Promise<void>;
}

/** `python3 bot.py <webhook> <CLIENT_ID>`, once it prints READY. */
async function startBot(webhookUrl: string): Promise<RunningBot> {
  const child: ChildProcess = spawn("python3", [BOT, webhookUrl, CLIENT_ID], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const ready = await new Promise<string[]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the bot did not get ready:\n${output}`)), 15_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const line = /READY (\d+) (\S+)/.exec(output);
      if (line) {
        clearTimeout(timer);
        resolve([line[1] as string, line[2] as string]);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`the bot exited (${code}):\n${output}`)));
  });
  return {
    botId: Number(ready[0]),
    handlerUrl: ready[1] as string,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill();
      }),
  };
}

function conversations(openPortal: () => Promise<TestPortal>) {
  let portal: TestPortal;
  let bot: RunningBot;
  beforeEach(async () => {
    portal = await openPortal();
    bot = await startBot(portal.webhookUrl);
  });
  afterEach(() => bot.stop());

  const reply = (dialogId: string, afterId: number) => portal.control.waitForMessage(dialogId, { authorId: bot.botId, afterId, timeout: 10_000 });

  it("greets a user who opens its dialog, and answers what they write", async () => {
    const first = await portal.control.userSays({ authorId: 1, dialogId: String(bot.botId), text: "hello" });
    const greeting = await portal.control.waitForMessage(String(bot.botId), { authorId: bot.botId, textContains: "Hello!", timeout: 10_000 });
    expect(greeting?.text).toBe(GREETING);
    const answer = await portal.control.waitForMessage(String(bot.botId), { authorId: bot.botId, textContains: "You said", timeout: 10_000 });
    expect(answer?.text).toBe("You said: hello");
    expect(answer!.id).toBeGreaterThan(first.message.id);
  });

  it("answers /echo and /help with imbot.command.answer, and a press of its button", async () => {
    await portal.control.addToChat("chat5", { userIds: [bot.botId], addedBy: 1 });
    expect((await reply("chat5", 0))?.text).toBe(GREETING);

    const echo = await portal.control.userSays({ authorId: 1, dialogId: "chat5", text: "/echo ping" });
    expect((await reply("chat5", echo.message.id))?.text).toBe("ping");

    const help = await portal.control.userSays({ authorId: 1, dialogId: "chat5", text: "/help" });
    const helpReply = await reply("chat5", help.message.id);
    expect(helpReply).toMatchObject({ text: expect.stringContaining("Commands:"), params: { KEYBOARD: { BUTTONS: [{ COMMAND: "echo", COMMAND_PARAMS: "hi" }] } } });

    await portal.control.pressButton({ userId: 1, messageId: helpReply!.id, command: "echo" });
    expect((await reply("chat5", helpReply!.id))?.text).toBe("hi");

    // The handler answers each POST after posting its reply: the last delivery is logged just after.
    // The log masks secrets, the CLIENT_ID in the handler URL among them.
    const logged = await portal.control.deliveries();
    if (logged.length < 4) await portal.control.waitFor({ for: "delivery", afterId: logged.at(-1)?.id ?? 0, timeout: 10_000 });
    const deliveries = await portal.control.deliveries();
    expect(deliveries.map((d) => [d.event, d.status])).toEqual([
      ["ONIMBOTJOINCHAT", 200],
      ["ONIMCOMMANDADD", 200],
      ["ONIMCOMMANDADD", 200],
      ["ONIMCOMMANDADD", 200],
    ]);
    expect(new Set(deliveries.map((d) => d.url))).toEqual(new Set([`${bot.handlerUrl}?CLIENT_ID=***`]));
  });
}

describe.skipIf(!PYTHON)("a v1 bot in Python, emulator in the test process", () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator({ port: 0 });
  });
  afterAll(() => emulator.close());

  conversations(() => inProcessPortal(emulator));
});

describe.skipIf(!PYTHON)("a v1 bot in Python, emulator as a separate process (node dist/cli.js)", () => {
  let emulator: EmulatorProcess;
  beforeAll(async () => {
    emulator = await EmulatorProcess.start();
  });
  afterAll(() => emulator.stop());

  conversations(() => emulator.createPortal());
});
