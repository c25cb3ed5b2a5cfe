import { describe, expect, it } from "vitest";
import type { PortalHandle } from "../src/index.js";
import { httpClient } from "./support/http-client.js";
import { useListeningEmulator, v1Call, type ReceivedEvent } from "./support/v1-bot.js";

/**
 * A v1 bot's ONIMBOTMESSAGEADD / ONIMCOMMANDADD carry the message's own params under
 * `data[PARAMS][PARAMS]` (FILE_ID, ATTACH, KEYBOARD, MENU, REPLY_ID), form-encoded as a portal sends
 * them, and nothing there when the message has none. One listening emulator, a fresh portal per test.
 */

const listening = useListeningEmulator();
const client = () => httpClient(listening.emulator().httpUrl!);
const OWNER = { CLIENT_ID: "v1-params-owner" };

/** A person types into the bot's dialog through the control API, which opens the dialog. */
async function userSays(portal: PortalHandle, dialogId: string, text: string): Promise<number> {
  const reply = await client().call("POST", `/_emulator/portals/${portal.id}/messages`, { authorId: 1, dialogId, text });
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return (reply.body.message as { id: number }).id;
}

async function v1Bot(portal: PortalHandle, handlerUrl: string, code: string): Promise<number> {
  const reply = await v1Call(portal.webhookUrl!, "imbot.register", { CODE: code, TYPE: "B", EVENT_HANDLER: handlerUrl, PROPERTIES: { NAME: "Params reader" }, ...OWNER });
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply.body.result as number;
}

/** The keys under `data[PARAMS][PARAMS]`, with their values, as the handler received them. */
function ownParams(event: ReceivedEvent): Record<string, string> {
  const prefix = "data[PARAMS][PARAMS]";
  return Object.fromEntries(Object.entries(event.form).filter(([key]) => key.startsWith(prefix)).map(([key, value]) => [key.slice(prefix.length), value]));
}

describe("v1 message events carry the message's own params", () => {
  it("a file a person shares: data[PARAMS][PARAMS][FILE_ID][0] is its id, beside data[PARAMS][FILES]", async () => {
    const portal = await listening.emulator().createPortal();
    const handler = await listening.handler();
    const botId = await v1Bot(portal, handler.url, "v1filesparams");
    const sent = await client().call("POST", `/_emulator/portals/${portal.id}/files`, {
      userId: 1,
      dialogId: String(botId),
      name: "notes.txt",
      contentBase64: Buffer.from("hello").toString("base64"),
    });
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    const fileId = (sent.body.file as { id: number }).id;

    const event = await handler.next("ONIMBOTMESSAGEADD");
    expect(ownParams(event)).toEqual({ "[FILE_ID][0]": String(fileId) });
    expect(event.form[`data[PARAMS][FILES][${fileId}][id]`]).toBe(String(fileId));
  });

  it("im.message.add by a person with ATTACH, KEYBOARD and REPLY_ID: all three reach the bot, as im.dialog.messages.get shows them", async () => {
    const portal = await listening.emulator().createPortal();
    const handler = await listening.handler();
    const botId = await v1Bot(portal, handler.url, "v1richparams");
    const first = await userSays(portal, String(botId), "plain words");
    const plain = await handler.next("ONIMBOTMESSAGEADD");
    expect(ownParams(plain)).toEqual({});

    const rich = await v1Call(portal.webhookUrl!, "im.message.add", {
      DIALOG_ID: String(botId),
      MESSAGE: "see the card",
      ATTACH: [{ MESSAGE: "card text" }],
      KEYBOARD: [{ TEXT: "Open", LINK: "https://example.com/a" }],
      REPLY_ID: first,
    });
    expect(rich.status, JSON.stringify(rich.body)).toBe(200);
    const messageId = rich.body.result as number;
    const event = await handler.next("ONIMBOTMESSAGEADD", handler.received.indexOf(plain) + 1);
    expect(event.form["data[PARAMS][MESSAGE_ID]"]).toBe(String(messageId));
    const params = ownParams(event);
    expect(params).toMatchObject({
      "[ATTACH][0][BLOCKS][0][MESSAGE]": "card text",
      "[KEYBOARD][BUTTONS][0][TEXT]": "Open",
      "[KEYBOARD][BUTTONS][0][LINK]": "https://example.com/a",
      "[REPLY_ID]": String(first),
    });
    expect(new Set(Object.keys(params).map((key) => key.slice(1, key.indexOf("]"))))).toEqual(new Set(["ATTACH", "KEYBOARD", "REPLY_ID"]));

    const history = await v1Call(portal.webhookUrl!, "im.dialog.messages.get", { DIALOG_ID: String(botId) });
    const read = (history.body.result.messages as { id: number; params: Record<string, unknown> }[]).find((m) => m.id === messageId)!;
    expect(Object.keys(read.params).sort()).toEqual(["ATTACH", "KEYBOARD", "REPLY_ID"]);
    expect(read.params.ATTACH).toMatchObject([{ BLOCKS: [{ MESSAGE: "card text" }] }]);
  });

  it("ONIMCOMMANDADD for a typed command with an attach carries it too", async () => {
    const portal = await listening.emulator().createPortal();
    const handler = await listening.handler();
    const botId = await v1Bot(portal, handler.url, "v1commandparams");
    const command = await v1Call(portal.webhookUrl!, "imbot.command.register", {
      BOT_ID: botId,
      ...OWNER,
      COMMAND: "card",
      EVENT_COMMAND_ADD: handler.url,
      LANG: [{ LANGUAGE_ID: "en", TITLE: "Card" }],
    });
    expect(command.status, JSON.stringify(command.body)).toBe(200);
    await userSays(portal, String(botId), "hello");
    const typed = await v1Call(portal.webhookUrl!, "im.message.add", { DIALOG_ID: String(botId), MESSAGE: "/card now", ATTACH: [{ MESSAGE: "context" }] });
    expect(typed.status, JSON.stringify(typed.body)).toBe(200);

    const event = await handler.next("ONIMCOMMANDADD");
    expect(event.form).toMatchObject({ "data[PARAMS][MESSAGE_ID]": String(typed.body.result), [`data[COMMAND][${String(command.body.result)}][COMMAND_PARAMS]`]: "now" });
    expect(ownParams(event)).toMatchObject({ "[ATTACH][0][BLOCKS][0][MESSAGE]": "context" });
  });
});
