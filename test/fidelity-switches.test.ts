import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../src/index.js";
import { freshPortal } from "./support/fresh-portal.js";

/**
 * The switches of spec v2-complete.md §4 b, e and OPEN-N1, through a listening emulator: the default
 * one, and one with every switch set the other way.
 */
let plain: RunningEmulator;
let switched: RunningEmulator;

beforeAll(async () => {
  [plain, switched] = await Promise.all([
    startEmulator(),
    startEmulator({ numericBinderCode: true, strictChatUpdate: true, attachErrorCodes: "docs" }),
  ]);
});
afterAll(async () => {
  await Promise.all([plain.close(), switched.close()]);
});

/** A fresh portal: `call` answers status and body of an imbot call as the seeded bot. */
async function portalOf(emulator: RunningEmulator) {
  const { rest } = await freshPortal(emulator);
  return { call: rest };
}

describe("numericBinderCode (spec v2-complete §4 b)", () => {
  it('the binder error is the text "100" by default', async () => {
    const { call } = await portalOf(plain);
    const reply = await call("imbot.v2.Chat.InputAction.notify", {});
    expect(reply).toEqual({ status: 400, body: { error: "100", error_description: "Could not find value for parameter {chat}" } });
  });

  it("is the JSON number 100 with the switch, other codes staying text", async () => {
    const { call } = await portalOf(switched);
    const missing = await call("imbot.v2.Chat.InputAction.notify", {});
    expect(missing).toEqual({ status: 400, body: { error: 100, error_description: "Could not find value for parameter {chat}" } });
    const wrongType = await call("imbot.v2.Chat.Message.get", { messageId: "abc" });
    expect([wrongType.status, wrongType.body.error]).toEqual([400, 100]);
    const unknownChat = await call("imbot.v2.Chat.InputAction.notify", { dialogId: "chat999" });
    expect([unknownChat.status, unknownChat.body.error]).toEqual([400, "CHAT_NOT_FOUND"]);
  });
});

describe("numericBinderCode inside batch", () => {
  const cmd = { typing: "imbot.v2.Chat.InputAction.notify?botId=456&botToken=my_bot_token" };

  it('a sub-call\'s binder error is "100" by default, and the number 100 with the switch', async () => {
    for (const [emulator, code] of [[plain, "100"], [switched, 100]] as const) {
      const { rest } = await freshPortal(emulator);
      const reply = await rest("batch", { cmd }, {});
      expect(reply.status).toBe(200);
      expect(reply.body.result.result_error).toEqual({ typing: { error: code, error_description: "Could not find value for parameter {chat}" } });
    }
  });
});

describe("strictChatUpdate (OPEN-N1)", () => {
  it("any member may update a group chat by default", async () => {
    const { call } = await portalOf(plain);
    const reply = await call("imbot.v2.Chat.update", { dialogId: "chat5", fields: { title: "Renamed" } });
    expect(reply).toMatchObject({ status: 200, body: { result: { result: true } } });
    expect((await call("imbot.v2.Chat.get", { dialogId: "chat5" })).body.result.chat.name).toBe("Renamed");
  });

  it("with the switch Chat.update is ACCESS_DENIED in a chat, even for its owner, and changes nothing", async () => {
    const { call } = await portalOf(switched);
    const denied = await call("imbot.v2.Chat.update", { dialogId: "chat5", fields: { title: "Renamed" } });
    expect([denied.status, denied.body.error]).toEqual([400, "ACCESS_DENIED"]);
    expect((await call("imbot.v2.Chat.get", { dialogId: "chat5" })).body.result.chat.name).toBe("Support");

    const own = await call("imbot.v2.Chat.add", { fields: { title: "Mine", userIds: [2] } });
    expect(own.status).toBe(200);
    const ownerDenied = await call("imbot.v2.Chat.update", { dialogId: own.body.result.chat.dialogId, fields: { title: "Still mine" } });
    expect([ownerDenied.status, ownerDenied.body.error]).toEqual([400, "ACCESS_DENIED"]);
    // The chat lookup still comes first.
    const unknown = await call("imbot.v2.Chat.update", { dialogId: "chat999", fields: { title: "x" } });
    expect([unknown.status, unknown.body.error]).toEqual([400, "CHAT_NOT_FOUND"]);
  });
});

describe("attachErrorCodes (spec v2-complete §4 e)", () => {
  const badAttach = { dialogId: "chat5", fields: { message: "x", attach: [{ NOPE: 1 }] } };
  const badKeyboard = { dialogId: "chat5", fields: { message: "x", keyboard: "{oops" } };

  it("Chat.Message.send answers the server's PARAM_ATTACH_ERROR and PARAM_KEYBOARD_ERROR by default, posting nothing", async () => {
    const { call } = await portalOf(plain);
    const attach = await call("imbot.v2.Chat.Message.send", badAttach);
    expect([attach.status, attach.body.error]).toEqual([400, "PARAM_ATTACH_ERROR"]);
    const keyboard = await call("imbot.v2.Chat.Message.send", badKeyboard);
    expect([keyboard.status, keyboard.body.error]).toEqual([400, "PARAM_KEYBOARD_ERROR"]);
    expect((await call("imbot.v2.Chat.get", { dialogId: "chat5" })).body.result.chat.lastMessageId).toBe(789);
  });

  it("answers the docs' ATTACH_ERROR and ERROR_ARGUMENT with attachErrorCodes docs", async () => {
    const { call } = await portalOf(switched);
    const attach = await call("imbot.v2.Chat.Message.send", badAttach);
    expect([attach.status, attach.body.error]).toEqual([400, "ATTACH_ERROR"]);
    const keyboard = await call("imbot.v2.Chat.Message.send", badKeyboard);
    expect([keyboard.status, keyboard.body.error]).toEqual([400, "ERROR_ARGUMENT"]);
  });
});
