import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../src/index.js";
import { EmulatorProcess, inProcessPortal, type TestPortal } from "../support/emulator.js";
import { GREETING, HELP_TEXT, registerHelpBot, type HelpBot } from "./bot.js";

/**
 * The help bot in fetch mode: it polls imbot.v2.Event.get. Each test plays one conversation in the
 * fixture's group chat "chat5" (user 1, Anna, is a member) on a portal of its own.
 */
function fetchModeConversations(openPortal: () => Promise<TestPortal>) {
  let portal: TestPortal;
  let bot: HelpBot;

  beforeEach(async () => {
    portal = await openPortal();
    bot = await registerHelpBot({ webhookUrl: portal.webhookUrl, botToken: "help-bot-secret", eventMode: "fetch" });
  });

  /** Anna adds the bot to chat5; the first poll handles the JOINCHAT (and posts the greeting). */
  async function joinChat5() {
    await portal.control.addToChat("chat5", { userIds: [bot.botId], addedBy: 1 });
    expect((await bot.pollOnce()).map((e) => e.type)).toEqual(["ONIMBOTV2JOINCHAT"]);
  }

  /** Anna types `text` in chat5, the bot polls once, and the test returns the bot's reply. */
  async function say(text: string) {
    const { message } = await portal.control.userSays({ authorId: 1, dialogId: "chat5", text });
    expect((await bot.pollOnce()).map((e) => e.type)).toEqual(["ONIMBOTV2COMMANDADD"]);
    return portal.control.waitForMessage("chat5", { authorId: bot.botId, afterId: message.id as number, timeout: 2000 });
  }

  it("greets the chat it is added to", async () => {
    await joinChat5();
    const greeting = await portal.control.waitForMessage("chat5", { authorId: bot.botId, timeout: 2000 });
    expect(greeting).toMatchObject({ text: GREETING, isSystem: false });
  });

  it("answers /help with the command list and a button that runs /echo", async () => {
    await joinChat5();
    const answer = await say("/help");
    expect(answer).toMatchObject({ text: HELP_TEXT, isSystem: false });
    expect(answer?.params).toMatchObject({
      KEYBOARD: { BOT_ID: bot.botId, BUTTONS: [{ TEXT: "Try /echo", COMMAND: "echo", COMMAND_PARAMS: "Hello from a button" }] },
    });
    const history = await portal.control.messages("chat5");
    expect(history.slice(-3).map((m) => [m.authorId, m.text])).toEqual([
      [bot.botId, GREETING],
      [1, "/help"],
      [bot.botId, HELP_TEXT],
    ]);
  });

  it("echoes the text after /echo, and says so when there is none", async () => {
    await joinChat5();
    expect(await say("/echo Hello, emulator!")).toMatchObject({ text: "Hello, emulator!" });
    expect(await say("/echo")).toMatchObject({ text: "Nothing to echo: type /echo and some text." });
  });

  it("runs /echo when Anna presses the button under the help text", async () => {
    await joinChat5();
    const help = await say("/help");
    await portal.control.pressButton({ userId: 1, messageId: help?.id as number, command: "echo" });
    const [press] = await bot.pollOnce();
    expect(press?.data).toMatchObject({ command: { command: "/echo", params: "Hello from a button", context: "keyboard" } });
    const echoed = await portal.control.waitForMessage("chat5", { authorId: bot.botId, afterId: help?.id as number, timeout: 2000 });
    expect(echoed).toMatchObject({ text: "Hello from a button" });
  });

  it("confirms the events it handled with the next poll, so none comes twice", async () => {
    await joinChat5();
    await say("/help");
    // Handled but not yet confirmed: a crash now would deliver the command again.
    expect(await portal.control.events(bot.botId)).toHaveLength(1);
    expect(await bot.pollOnce()).toEqual([]);
    expect(await portal.control.events(bot.botId)).toEqual([]);
  });

  it("answers in a private dialog, which Anna opens by writing to the bot", async () => {
    const dialogId = String(bot.botId); // Anna's side of the dialog is named by the bot's id
    await portal.control.userSays({ authorId: 1, dialogId, text: "/echo just us" });
    const handled = await bot.pollOnce();
    // A message that calls a command raises COMMANDADD only, even in a 1:1 dialog.
    expect(handled.map((e) => e.type)).toEqual(["ONIMBOTV2JOINCHAT", "ONIMBOTV2COMMANDADD"]);
    expect(handled[1]?.data).toMatchObject({ chat: { dialogId: "1", type: "private" } });
    const history = await portal.control.messages(dialogId);
    expect(history.map((m) => [m.authorId, m.text])).toEqual([
      [1, "/echo just us"],
      [bot.botId, GREETING],
      [bot.botId, "just us"],
    ]);
  });

  it("gets the same bot back when it registers again after a restart", async () => {
    const again = await registerHelpBot({ webhookUrl: portal.webhookUrl, botToken: "help-bot-secret", eventMode: "fetch" });
    expect(again.botId).toBe(bot.botId);
  });
}

describe("help bot, fetch mode, emulator in the test process", () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator({ port: 0 });
  });
  afterAll(() => emulator.close());

  fetchModeConversations(() => inProcessPortal(emulator));
});

describe("help bot, fetch mode, emulator as a separate process (node dist/cli.js)", () => {
  let emulator: EmulatorProcess;
  beforeAll(async () => {
    emulator = await EmulatorProcess.start();
  });
  afterAll(() => emulator?.stop());

  fetchModeConversations(() => emulator.createPortal());
});
