// The README's "HTTPS and the official JS SDK" example, verbatim: type-checked, not run by the suite
// (it needs NODE_EXTRA_CA_CERTS at process start; test/sdk-contract.test.ts does that).
import { B24Hook } from "@bitrix24/b24jssdk";
const b24 = B24Hook.fromWebhookUrl("https://127.0.0.1:3443/rest/1/emulator/");
const response = await b24.actions.v2.call.make({
  method: "imbot.v2.Command.answer",
  params: { botId: 456, botToken: "my_bot_token", commandId: 42, messageId: 789, dialogId: "chat5", fields: { message: "Hi" } },
});
console.log(response.getData()?.result); // { result: true }
