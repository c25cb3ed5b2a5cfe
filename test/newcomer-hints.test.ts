import { beforeEach, describe, expect, it } from "vitest";
import { createEmulator, type EmulatorApp, type Logger } from "../src/index.js";
import { restClient } from "./support/rest-client.js";

let app: EmulatorApp;
let client: ReturnType<typeof restClient>;
let logged: string[];

beforeEach(() => {
  logged = [];
  const logger: Logger = { info() {}, warn: (m) => logged.push(m), error: (m) => logged.push(m) };
  app = createEmulator({ logger });
  client = restClient(app);
});

const REGISTER = "/rest/1/emulator/imbot.v2.Bot.register";
const registration = (fields: Record<string, unknown>) => ({
  fields: { code: "hook_bot", botToken: "hook-secret", properties: { name: "Hook" }, ...fields },
});
const lastCall = () => app.portal().journal().at(-1)!;

describe("hints for a webhook bot that gets no events", () => {
  it("a webhookUrl without eventMode registers a fetch-mode bot, as a portal does, and says why", async () => {
    const reply = await client.post(REGISTER, registration({ webhookUrl: "http://127.0.0.1:9/hook" }));
    expect(reply.status).toBe(200);
    expect((reply.body.result as { bot: { eventMode: string } }).bot.eventMode).toBe("fetch");
    const warning =
      'Bot.register: webhookUrl is ignored because eventMode is "fetch" (the default); the bot must poll imbot.v2.Event.get. Send eventMode: "webhook" to have events POSTed to http://127.0.0.1:9/hook';
    expect(lastCall().warnings).toEqual([warning]);
    expect(logged).toEqual([warning]);
    const journal = await client.call("GET", "/_emulator/portals/default/journal");
    expect((journal.body.calls as { warnings?: string[] }[]).at(-1)?.warnings).toEqual([warning]);
  });

  it("registering again with eventMode webhook answers the stored bot unchanged and names what was not applied", async () => {
    await client.post(REGISTER, registration({}));
    const again = await client.post(REGISTER, registration({ eventMode: "webhook", webhookUrl: "http://127.0.0.1:9/hook" }));
    expect(again.status).toBe(200);
    expect((again.body.result as { bot: { eventMode: string } }).bot.eventMode).toBe("fetch");
    expect(lastCall().warnings).toEqual([
      'Bot.register: bot "hook_bot" (457) is already registered, so it is returned unchanged, as a portal does: eventMode "webhook" (it stays "fetch"), webhookUrl "http://127.0.0.1:9/hook" (it stays null) not applied; imbot.v2.Bot.update changes it',
    ]);
  });

  it("registering again with the same fields warns about nothing", async () => {
    await client.post(REGISTER, registration({ eventMode: "webhook", webhookUrl: "http://127.0.0.1:9/hook" }));
    await client.post(REGISTER, registration({ eventMode: "webhook", webhookUrl: "http://127.0.0.1:9/hook" }));
    expect(lastCall().warnings).toBeUndefined();
    expect(logged).toEqual([]);
  });
});

describe("JSON sent as a form (curl -d without a Content-Type)", () => {
  const body = JSON.stringify({ botId: 456, botToken: "my_bot_token", commandId: 42, messageId: 789, dialogId: "chat5", fields: { message: "Hi" } });

  it("gets the portal's refusal with the emulator's hint after it, and a journal warning", async () => {
    const reply = await client.raw("/rest/1/emulator/imbot.v2.Command.answer", body, "application/x-www-form-urlencoded");
    const hint =
      'the body looks like JSON but its Content-Type is not application/json, so it was read as a form; send the header "Content-Type: application/json"';
    expect(reply.status).toBe(400);
    expect(reply.body).toEqual({ error: "BOT_TOKEN_NOT_SPECIFIED", error_description: `Bot token is not specified (b24-emulator: ${hint})` });
    expect(lastCall()).toMatchObject({ method: "imbot.v2.Command.answer", error: "BOT_TOKEN_NOT_SPECIFIED", warnings: [`imbot.v2.Command.answer: ${hint}`] });
  });

  it("the control API says it reads JSON instead of naming a missing field", async () => {
    const reply = await client.raw("/_emulator/portals/default/messages", JSON.stringify({ authorId: 1, dialogId: "chat5", text: "hi" }), "application/x-www-form-urlencoded");
    expect(reply.status).toBe(400);
    expect(reply.body).toEqual({
      error: "CONTROL_ARGUMENT",
      error_description: 'body: the control API reads JSON; send the header "Content-Type: application/json" (got "application/x-www-form-urlencoded")',
    });
    expect(app.portal().messages("chat5").map((m) => m.text)).toEqual(["/help"]);
  });
});

describe("error descriptions with the emulator's hint after the portal's text", () => {
  it("a misspelt method is named, with the nearest known one", async () => {
    const reply = await client.post("/rest/1/emulator/imbot.v2.Comand.answer", {});
    expect(reply.status).toBe(404);
    expect(reply.body).toEqual({
      error: "ERROR_METHOD_NOT_FOUND",
      error_description: 'Method not found! (b24-emulator: no method "imbot.v2.Comand.answer"; did you mean imbot.v2.Command.answer?)',
    });
  });

  it("a method far from any known one is named without a guess", async () => {
    const reply = await client.post("/rest/1/emulator/crm.deal.list", {});
    expect(reply.body.error_description).toBe('Method not found! (b24-emulator: no method "crm.deal.list")');
  });

  it("the control API tells 5 from chat5", async () => {
    const reply = await client.call("GET", "/_emulator/portals/default/chats/5/messages");
    expect(reply.status).toBe(404);
    expect(reply.body).toEqual({
      error: "CONTROL_NOT_FOUND",
      error_description: 'No chat 5 seen from user 1 ("5" names the 1:1 dialog with user 5; group chat 5 is "chat5")',
    });
    const said = await client.call("POST", "/_emulator/portals/default/messages", { authorId: 1, dialogId: "5", text: "/help" });
    expect(said.body.error_description).toBe('No user or bot 5 ("5" names the 1:1 dialog with user 5; group chat 5 is "chat5")');
  });
});
