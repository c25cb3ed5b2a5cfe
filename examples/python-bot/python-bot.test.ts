import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type PortalHandle, type RunningEmulator } from "../../src/index.js";

/**
 * The Python help bot (help_bot.py, standard library only) run as its own process against an
 * emulator, in both event modes. The test plays the user through the control API and waits for the
 * bot's messages; it never sleeps.
 */
const BOT = fileURLToPath(new URL("./help_bot.py", import.meta.url));
const HELP_TEXT = "Help bot (Python) knows these commands:\n/help - this list\n/echo <text> - sends <text> back to you";
const GREETING = "Hello! I am Help bot (Python). Type /help to see what I can do.";

let emulator: RunningEmulator;
let running: ChildProcess | undefined;

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());
afterEach(() => {
  running?.kill();
  running = undefined;
});

/** Starts the bot and resolves with its id once it has registered itself and its commands. */
function startBot(portal: PortalHandle, mode: "fetch" | "webhook"): Promise<number> {
  const args = [BOT, "--webhook-url", portal.webhookUrl, "--bot-token", "python-bot-secret", "--mode", mode, "--poll-interval", "0.05"];
  const child = spawn("python3", args, { stdio: ["ignore", "pipe", "pipe"] });
  running = child;
  let output = "";
  return new Promise((resolve, reject) => {
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const id = /^ready bot=(\d+)/m.exec(output)?.[1];
      if (id) resolve(Number(id));
    };
    child.stdout.on("data", read);
    child.stderr.on("data", read);
    child.once("exit", (code) => reject(new Error(`help_bot.py exited with ${code}:\n${output}`)));
  });
}

describe.each(["fetch", "webhook"] as const)("the Python help bot in %s mode", (mode) => {
  it("greets chat5 when added, answers /help and /echo in it", async () => {
    const portal = await emulator.createPortal();
    const botId = await startBot(portal, mode);
    const chat = portal.control;

    await chat.addToChat("chat5", { userIds: [botId], addedBy: 1 });
    expect(await chat.waitForMessage("chat5", { authorId: botId, timeout: 10_000 })).toMatchObject({ text: GREETING });

    const help = await chat.userSays({ authorId: 1, dialogId: "chat5", text: "/help" });
    const helpReply = await chat.waitForMessage("chat5", { authorId: botId, afterId: help.message.id as number, timeout: 10_000 });
    expect(helpReply).toMatchObject({ text: HELP_TEXT, isSystem: false });

    const echo = await chat.userSays({ authorId: 1, dialogId: "chat5", text: "/echo hello from Anna" });
    const echoReply = await chat.waitForMessage("chat5", { authorId: botId, afterId: echo.message.id as number, timeout: 10_000 });
    expect(echoReply).toMatchObject({ text: "hello from Anna" });

    const answers = chat.journal().filter((call) => call.method === "imbot.v2.Command.answer");
    expect(answers.map((call) => call.status)).toEqual([200, 200]);
    // Fetch mode calls back through the incoming webhook with botToken; webhook mode uses the
    // OAuth token each event carries, and needs no botToken.
    expect(answers.map((call) => call.params.botToken)).toEqual(mode === "fetch" ? ["***", "***"] : [undefined, undefined]);
  });
});
