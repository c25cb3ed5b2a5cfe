import { expect, it } from "vitest";
import { startEmulator } from "b24-emulator";
import { registerHelpBot } from "../help-bot/bot.js"; // your bot goes here

it("answers /help in chat5", async () => {
  const emulator = await startEmulator();             // 127.0.0.1, free port, in-memory
  const portal = await emulator.createPortal();       // isolated: its own webhook code and tokens
  const bot = await registerHelpBot({ webhookUrl: portal.webhookUrl, botToken: "my-secret", eventMode: "fetch" });
  await portal.control.addToChat("chat5", { userIds: [bot.botId], addedBy: 1 });
  await bot.pollOnce();                               // Event.get: JOINCHAT, the bot greets chat5
  const { message } = await portal.control.userSays({ authorId: 1, dialogId: "chat5", text: "/help" });
  await bot.pollOnce();                               // Event.get: COMMANDADD, the bot calls Command.answer
  const reply = await portal.control.waitForMessage("chat5", { authorId: bot.botId, afterId: message.id });
  expect(reply?.text).toContain("commands");
  await emulator.close();
});
