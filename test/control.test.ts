import { beforeEach, describe, expect, it } from "vitest";
import { createEmulator, type EmulatorApp } from "../src/index.js";
import { defaultFixture } from "./support/fixtures.js";
import { restClient } from "./support/rest-client.js";

let app: EmulatorApp;
let client: ReturnType<typeof restClient>;

beforeEach(() => {
  app = createEmulator();
  client = restClient(app);
});

const answer = (messageId: number, message: string) => ({
  botId: 456,
  botToken: "my_bot_token",
  commandId: 42,
  messageId,
  dialogId: "chat5",
  fields: { message },
});

describe("playing the user through the control API", () => {
  it("a user types /help in chat5: the message is stored and the bot's command is invoked", async () => {
    const reply = await client.call("POST", "/_emulator/portals/default/messages", { authorId: 1, dialogId: "chat5", text: "/help me" });
    expect(reply.status).toBe(201);
    const message = reply.body.message as { id: number; text: string; authorId: number; chatId: number };
    expect(message).toMatchObject({ text: "/help me", authorId: 1, chatId: 5 });
    expect(reply.body.commands).toEqual([
      { botId: 456, commandId: 42, messageId: message.id, dialogId: "chat5", command: "/help", params: "me" },
    ]);
    expect(reply.body.events).toEqual([expect.objectContaining({ botId: 456, type: "ONIMBOTV2COMMANDADD", mode: "fetch" })]);
  });

  it("the invocation opens the answer window: Command.answer posts into chat5", async () => {
    const said = await client.call("POST", "/_emulator/portals/default/messages", { authorId: 1, dialogId: "chat5", text: "/help" });
    const messageId = (said.body.message as { id: number }).id;
    const answered = await client.post("/rest/1/emulator/imbot.v2.Command.answer", answer(messageId, "Here is help"));
    expect(answered.status).toBe(200);
    const history = await client.call("GET", "/_emulator/portals/default/chats/chat5/messages");
    const texts = (history.body.messages as { text: string; authorId: number }[]).map((m) => [m.authorId, m.text]);
    expect(texts.at(-1)).toEqual([456, "Here is help"]);
  });

  it("a plain bot in a group sees a message only when mentioned", async () => {
    const plain = await client.call("POST", "/_emulator/portals/default/messages", { authorId: 1, dialogId: "chat5", text: "hello all" });
    expect(plain.body.events).toEqual([]);
    const mention = await client.call("POST", "/_emulator/portals/default/messages", {
      authorId: 1,
      dialogId: "chat5",
      text: "[USER=456]Support Bot[/USER] are you there?",
    });
    expect(mention.body.events).toEqual([expect.objectContaining({ type: "ONIMBOTV2MESSAGEADD", botId: 456 })]);
  });

  it("a first message in the bot's 1:1 dialog opens it, sends JOINCHAT, then MESSAGEADD", async () => {
    const reply = await client.call("POST", "/_emulator/portals/default/messages", { authorId: 2, dialogId: "456", text: "hi bot" });
    expect(reply.status).toBe(201);
    expect((reply.body.events as { type: string }[]).map((e) => e.type)).toEqual(["ONIMBOTV2JOINCHAT", "ONIMBOTV2MESSAGEADD"]);
    const again = await client.call("POST", "/_emulator/portals/default/messages", { authorId: 2, dialogId: "456", text: "again" });
    expect((again.body.events as { type: string }[]).map((e) => e.type)).toEqual(["ONIMBOTV2MESSAGEADD"]);
    const events = app.portal().events(456);
    const join = events.find((e) => e.type === "ONIMBOTV2JOINCHAT")!;
    expect(join.data).toMatchObject({ dialogId: "2", chat: { type: "private", dialogId: "2" }, user: { id: 2 }, language: "en" });
  });

  it("refuses a user who is not in the chat, and unknown users, with documented errors", async () => {
    const outsider = await client.call("POST", "/_emulator/portals/default/messages", { authorId: 2, dialogId: "chat5", text: "x" });
    expect([outsider.status, outsider.body.error]).toEqual([400, "CONTROL_ARGUMENT"]);
    const ghost = await client.call("POST", "/_emulator/portals/default/messages", { authorId: 99, dialogId: "chat5", text: "x" });
    expect([ghost.status, ghost.body.error]).toEqual([404, "CONTROL_NOT_FOUND"]);
    const bad = await client.call("POST", "/_emulator/portals/default/messages", { authorId: "one", dialogId: "chat5" });
    expect([bad.status, bad.body.error]).toEqual([400, "CONTROL_ARGUMENT"]);
    expect(String(bad.body.error_description)).toContain("authorId");
    const noPortal = await client.call("POST", "/_emulator/portals/nope/messages", { authorId: 1, dialogId: "chat5", text: "x" });
    expect([noPortal.status, noPortal.body.error]).toEqual([404, "PORTAL_NOT_FOUND"]);
  });

  it("a malformed JSON body to the control API is a JSON 400", async () => {
    const reply = await client.raw("/_emulator/portals/default/messages", '{"authorId":', "application/json");
    expect([reply.status, reply.body.error]).toEqual([400, "INVALID_REQUEST_BODY"]);
  });
});

describe("keyboards", () => {
  it("pressing a COMMAND button sends COMMANDADD with context keyboard and the button's params", async () => {
    await client.post("/rest/1/emulator/imbot.v2.Command.answer", {
      ...answer(789, "Pick one"),
      fields: { message: "Pick one", keyboard: [{ TEXT: "More help", COMMAND: "help", COMMAND_PARAMS: "more" }] },
    });
    const botMessage = app.portal().messages("chat5").at(-1) as { id: number };
    const pressed = await client.call("POST", "/_emulator/portals/default/buttons", { userId: 1, messageId: botMessage.id, buttonIndex: 0 });
    expect(pressed.status).toBe(200);
    expect(pressed.body.commands).toEqual([
      { botId: 456, commandId: 42, messageId: botMessage.id, dialogId: "chat5", command: "/help", params: "more" },
    ]);
    const event = app.portal().events(456).at(-1)!;
    expect(event.type).toBe("ONIMBOTV2COMMANDADD");
    expect(event.data.command).toEqual({ id: 42, command: "/help", params: "more", context: "keyboard" });
    const reply = await client.post("/rest/1/emulator/imbot.v2.Command.answer", answer(botMessage.id, "More help here"));
    expect(reply.status).toBe(200);
    expect((app.portal().messages("chat5").at(-1) as { text: string }).text).toBe("More help here");
  });

  it("a BLOCK=Y button refuses a second press by the same person until the bot replaces the keyboard; force overrides (OPEN-N7)", async () => {
    await client.post("/rest/1/emulator/imbot.v2.Command.answer", {
      ...answer(789, "Vote"),
      fields: { message: "Vote", keyboard: [{ TEXT: "Yes", COMMAND: "help", COMMAND_PARAMS: "yes", BLOCK: "Y" }, { TEXT: "Again", COMMAND: "help" }] },
    });
    const botMessage = app.portal().messages("chat5").at(-1) as { id: number };
    const press = (body: Record<string, unknown>) => client.call("POST", "/_emulator/portals/default/buttons", { messageId: botMessage.id, ...body });
    const commandAdds = () => app.portal().events(456).filter((e) => e.type === "ONIMBOTV2COMMANDADD").length;
    const before = commandAdds();

    expect((await press({ userId: 1, buttonIndex: 0 })).status).toBe(200);
    const again = await press({ userId: 1, command: "help" });
    expect([again.status, again.body.error]).toEqual([400, "CONTROL_ARGUMENT"]);
    expect(String(again.body.error_description)).toContain("BLOCK=Y");
    expect(commandAdds()).toBe(before + 1);

    // Another person, and a button without BLOCK, are not blocked.
    await client.post("/rest/1/emulator/imbot.v2.Chat.User.add", { botId: 456, botToken: "my_bot_token", dialogId: "chat5", userIds: [2] });
    expect((await press({ userId: 2, buttonIndex: 0 })).status).toBe(200);
    expect((await press({ userId: 1, buttonIndex: 1 })).status).toBe(200);
    expect((await press({ userId: 1, buttonIndex: 1 })).status).toBe(200);
    expect((await press({ userId: 1, buttonIndex: 0, force: true })).status).toBe(200);
    expect(commandAdds()).toBe(before + 5);
    expect((await press({ userId: 1, buttonIndex: 0 })).status).toBe(400);

    const updated = await client.post("/rest/1/emulator/imbot.v2.Chat.Message.update", {
      botId: 456,
      botToken: "my_bot_token",
      messageId: botMessage.id,
      fields: { message: "Vote again", keyboard: [{ TEXT: "Yes", COMMAND: "help", BLOCK: "Y" }] },
    });
    expect(updated.status).toBe(200);
    expect((await press({ userId: 1, buttonIndex: 0 })).status).toBe(200);
    expect(commandAdds()).toBe(before + 6);
  });

  it("a button that is not there is CONTROL_NOT_FOUND", async () => {
    const reply = await client.call("POST", "/_emulator/portals/default/buttons", { userId: 1, messageId: 789, buttonIndex: 3 });
    expect([reply.status, reply.body.error]).toEqual([404, "CONTROL_NOT_FOUND"]);
  });
});

describe("portals keep tests apart", () => {
  it("a created portal has its own credentials; the default's do not reach it", async () => {
    const created = await client.call("POST", "/_emulator/portals", {});
    expect(created.status).toBe(201);
    const info = created.body as { id: string; webhookUrl: string; accessToken: string };
    expect(info.webhookUrl).not.toContain("/emulator/");
    const path = new URL(info.webhookUrl, "http://x").pathname;
    const own = await client.post(`${path}imbot.v2.Command.answer`, answer(789, "in the new portal"));
    expect(own.status).toBe(200);
    expect(app.portal(info.id).messages("chat5").at(-1)).toMatchObject({ text: "in the new portal" });
    expect(app.portal().messages("chat5").some((m) => m.text === "in the new portal")).toBe(false);

    const oauth = await client.post("/rest/imbot.v2.Command.answer", { ...answer(789, "oauth"), botToken: undefined, auth: info.accessToken });
    expect(oauth.status).toBe(200);
    expect(app.portal(info.id).messages("chat5").at(-1)).toMatchObject({ text: "oauth" });
  });

  it("journals stay per portal, with secrets masked", async () => {
    const info = (await client.call("POST", "/_emulator/portals", {})).body as { id: string; webhookUrl: string };
    await client.post(`${new URL(info.webhookUrl, "http://x").pathname}imbot.v2.Command.answer`, answer(789, "x"));
    await client.post("/rest/1/emulator/imbot.v2.Command.answer", { ...answer(789, "y"), botToken: "wrong" });
    const mine = (await client.call("GET", `/_emulator/portals/${info.id}/journal`)).body.calls as Record<string, unknown>[];
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ method: "imbot.v2.Command.answer", status: 200, error: null, params: { botToken: "***" } });
    const theirs = (await client.call("GET", "/_emulator/portals/default/journal")).body.calls as Record<string, unknown>[];
    expect(theirs).toEqual([expect.objectContaining({ status: 400, error: "BOT_OWNERSHIP_ERROR" })]);
  });

  it("creates a portal from a fixture, refuses a bad one, resets and deletes", async () => {
    const fixture = { ...defaultFixture(), portal: { id: "ignored", language: "de" } };
    const created = await client.call("POST", "/_emulator/portals", { id: "german", fixture });
    expect([created.status, created.body.id]).toEqual([201, "german"]);
    const dup = await client.call("POST", "/_emulator/portals", { id: "german" });
    expect([dup.status, dup.body.error]).toEqual([409, "PORTAL_ALREADY_EXISTS"]);
    const bad = await client.call("POST", "/_emulator/portals", { fixture: { bots: [{ id: "x" }] } });
    expect([bad.status, bad.body.error]).toEqual([400, "INVALID_FIXTURE"]);
    expect(String(bad.body.error_description)).toContain("$.bots[0].id");

    await app.portal("german").userSays({ authorId: 1, dialogId: "chat5", text: "before reset" });
    const reset = await client.call("POST", "/_emulator/portals/german/reset");
    expect(reset.body.webhookUrl).toBe(created.body.webhookUrl);
    expect(app.portal("german").messages("chat5").map((m) => m.text)).toEqual(["/help"]);

    expect((await client.call("DELETE", "/_emulator/portals/german")).status).toBe(200);
    const gone = await client.call("GET", "/_emulator/portals/german");
    expect([gone.status, gone.body.error]).toEqual([404, "PORTAL_NOT_FOUND"]);
    const path = new URL(created.body.webhookUrl as string, "http://x").pathname;
    const call = await client.post(`${path}imbot.v2.Command.answer`, answer(789, "x"));
    expect([call.status, call.body.error]).toEqual([401, "NO_AUTH_FOUND"]);
  });
});

describe("waiting instead of sleeping", () => {
  it("resolves as soon as the bot's answer lands", async () => {
    const said = await app.portal().userSays({ authorId: 1, dialogId: "chat5", text: "/help" });
    const waiting = client.call("GET", `/_emulator/portals/default/wait?for=message&dialogId=chat5&authorId=456&afterId=${(said.message as { id: number }).id}&timeout=5000`);
    setTimeout(() => void client.post("/rest/1/emulator/imbot.v2.Command.answer", answer((said.message as { id: number }).id, "late answer")), 50);
    const found = await waiting;
    expect(found.status).toBe(200);
    expect(found.body.match).toMatchObject({ authorId: 456, text: "late answer" });
  });

  it("answers 408 WAIT_TIMEOUT when nothing matches in time", async () => {
    const reply = await client.call("GET", "/_emulator/portals/default/wait?for=call&method=imbot.v2.Bot.register&timeout=50");
    expect([reply.status, reply.body.error]).toEqual([408, "WAIT_TIMEOUT"]);
  });

  it("waits for a REST call in the journal", async () => {
    setTimeout(() => void client.post("/rest/1/emulator/imbot.v2.Command.answer", answer(789, "z")), 20);
    const reply = await client.call("GET", "/_emulator/portals/default/wait?for=call&method=imbot.v2.command.answer&timeout=2000");
    expect(reply.body.match).toMatchObject({ method: "imbot.v2.Command.answer", status: 200 });
  });
});

describe("the clock", () => {
  it("moving the clock closes answer windows: the answer then succeeds silently", async () => {
    const chat = await app.portal().createChat({ title: "Windowed", ownerId: 1, members: [1, 456] });
    const dialogId = `chat${chat.id as number}`;
    const said = await app.portal().userSays({ authorId: 1, dialogId, text: "/help" });
    const id = (said.message as { id: number }).id;
    const moved = await client.call("POST", "/_emulator/clock", { advanceSeconds: 601 });
    expect(moved.body.offsetSeconds).toBe(601);
    const before = app.portal().messages(dialogId).length;
    expect((await client.post("/rest/1/emulator/imbot.v2.Command.answer", { ...answer(id, "too late"), dialogId })).status).toBe(200);
    expect(app.portal().messages(dialogId)).toHaveLength(before);
  });
});

describe("an admin key guards the control API", () => {
  it("refuses calls without the key with 401 CONTROL_UNAUTHORIZED, and serves them with it", async () => {
    const guarded = restClient(createEmulator({ adminKey: "s3cret" }));
    const refused = await guarded.call("GET", "/_emulator/portals");
    expect([refused.status, refused.body.error]).toEqual([401, "CONTROL_UNAUTHORIZED"]);
    const wrong = await guarded.call("GET", "/_emulator/portals", undefined, { "X-Emulator-Key": "guess" });
    expect([wrong.status, wrong.body.error]).toEqual([401, "CONTROL_UNAUTHORIZED"]);
    const allowed = await guarded.call("GET", "/_emulator/portals", undefined, { "X-Emulator-Key": "s3cret" });
    expect(allowed.status).toBe(200);
    const bearer = await guarded.call("GET", "/_emulator/portals", undefined, { Authorization: "Bearer s3cret" });
    expect(bearer.status).toBe(200);
  });
});

describe("the journal keeps refused calls too", () => {
  it("a misspelt method and a broken body are journaled in the caller's portal", async () => {
    await client.post("/rest/1/emulator/imbot.v2.Command.answr", {});
    await client.raw("/rest/1/emulator/imbot.v2.Command.answer", "{broken", "application/json");
    await client.post("/rest/imbot.v2.Nope.nope?auth=emulator-token", {});
    const calls = (await client.call("GET", "/_emulator/portals/default/journal")).body.calls as { method: string; status: number; error: string }[];
    expect(calls.map((c) => [c.method, c.status, c.error])).toEqual([
      ["imbot.v2.Command.answr", 404, "ERROR_METHOD_NOT_FOUND"],
      ["imbot.v2.Command.answer", 400, "INVALID_REQUEST_BODY"],
      ["imbot.v2.Nope.nope", 404, "ERROR_METHOD_NOT_FOUND"],
    ]);
    const waited = await client.call("GET", "/_emulator/portals/default/wait?for=call&error=ERROR_METHOD_NOT_FOUND&timeout=100");
    expect(waited.status).toBe(200);
  });

  it("a call with wrong credentials is journaled nowhere", async () => {
    await client.post("/rest/1/wrong/imbot.v2.Nope.nope", {});
    expect((await client.call("GET", "/_emulator/portals/default/journal")).body.calls).toEqual([]);
  });
});

describe("control API input checks", () => {
  it("refuses ids that are not positive integers with CONTROL_ARGUMENT", async () => {
    for (const url of ["/_emulator/portals/default/events?botId=abc", "/_emulator/portals/default/chats/chat5/messages?viewerId=-1"]) {
      const reply = await client.call("GET", url);
      expect([reply.status, reply.body.error]).toEqual([400, "CONTROL_ARGUMENT"]);
    }
    const removal = await client.call("DELETE", "/_emulator/portals/default/chats/chat5/members/abc");
    expect([removal.status, removal.body.error]).toEqual([400, "CONTROL_ARGUMENT"]);
  });

  it("a user outside the chat cannot press a button in it", async () => {
    await client.post("/rest/1/emulator/imbot.v2.Command.answer", {
      ...answer(789, "Pick"),
      fields: { message: "Pick", keyboard: [{ TEXT: "Help", COMMAND: "help" }] },
    });
    const botMessage = app.portal().messages("chat5").at(-1)!;
    const before = JSON.stringify(app.store.state);
    const pressed = await client.call("POST", "/_emulator/portals/default/buttons", { userId: 2, messageId: botMessage.id, buttonIndex: 0 });
    expect([pressed.status, pressed.body.error]).toEqual([400, "CONTROL_ARGUMENT"]);
    expect(JSON.stringify(app.store.state)).toBe(before);
  });
});
