import { beforeEach, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../src/index.js";
import { expectMatchesOpenApi } from "./support/openapi.js";
import { useListeningEmulator, v1Call, type ReceivedEvent } from "./support/v1-bot.js";

/**
 * The exact requests two third-party Python clients make, replayed against a listening emulator,
 * and the event fields they read, checked the way they read them (facts taken from their source,
 * no code of theirs):
 *
 * - bitrixogram (the chat-bot framework): form POSTs to `{webhook}{method}` with nested params
 *   flattened to `KEY[sub][0]` (dicts by key, lists by index, items of lists are dicts), `CLIENT_ID`
 *   added to every call; commands registered with COMMON=Y, HIDDEN=Y, EXTRANET_SUPPORT=N; replies
 *   without BOT_ID (imbot.message.add with `ATTACH=''`), answers by COMMAND name; its handler reads
 *   the flat form keys `data[PARAMS][MESSAGE]`, `[MESSAGE_ID]`, `[DIALOG_ID]` (cast to int),
 *   `data[USER][ID]`, and `data[COMMAND][<id>][<FIELD>]` (lower-cased), and answers `OK`.
 * - b24pysdk (the official SDK): JSON POSTs to `{webhook}{method}.json`, method names with a
 *   camelCase tail (`imbot.chat.sendTyping`), UPPER_CASE params, flags `Y`/`N`; its event parser
 *   needs `event`, an integer `event_handler_id` and `ts`, and `auth` with `member_id`,
 *   `client_endpoint`, `server_endpoint`, `domain` and `application_token` (token fields, when
 *   present, with integer `expires`/`expires_in`/`user_id` and a status letter).
 */
const listening = useListeningEmulator();
let emulator: RunningEmulator;
beforeEach(() => {
  emulator = listening.emulator();
});

const CLIENT_ID = "bitrix_bot_auth_token";

/** bitrixogram's flattening of nested params into form keys. */
function flatten(value: Record<string, unknown>, parent = ""): [string, string][] {
  const out: [string, string][] = [];
  for (const [key, child] of Object.entries(value)) {
    const name = parent ? `${parent}[${key}]` : key;
    if (Array.isArray(child)) child.forEach((item, i) => out.push(...flatten(item as Record<string, unknown>, `${name}[${i}]`)));
    else if (child !== null && typeof child === "object") out.push(...flatten(child as Record<string, unknown>, name));
    else out.push([name, String(child)]);
  }
  return out;
}

/** One bitrixogram REST call: CLIENT_ID added when absent, a form body, the JSON answer. */
async function bitrixogramCall(base: string, method: string, params: Record<string, unknown>) {
  const url = `${base}${method}`;
  const res = await fetch(url, { method: "POST", body: new URLSearchParams(flatten({ ...params, CLIENT_ID: params.CLIENT_ID ?? CLIENT_ID })) });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- wire JSON, read as the framework reads it
  const body = (await res.json()) as Record<string, any>;
  expectMatchesOpenApi({ method: "POST", url }, { status: res.status, body, contentType: res.headers.get("content-type") ?? "" });
  return { status: res.status, body };
}

/** bitrixogram's reading of `data[COMMAND][<id>][<FIELD>]` into lower-cased fields. */
function commandFields(form: Record<string, string>): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(form)) {
    if (!key.startsWith("data[COMMAND]")) continue;
    const part = key.split("[").slice(2)[1];
    if (part) fields[part.slice(0, -1).toLowerCase()] = value;
  }
  return fields;
}

describe("bitrixogram, unmodified", () => {
  it("registers its commands on a bot made beforehand, and a user's message and command both get answered", async () => {
    const portal = await emulator.createPortal();
    const base = portal.webhookUrl!;
    // Its listener serves POST / and answers each event after the handlers ran; the handlers call back.
    const handler = await listening.handler();
    const rootUrl = handler.url;
    // bitrixogram expects the bot to exist (made in the portal's UI); here the portal makes it.
    const botId = (await v1Call(base, "imbot.register", { CODE: "barleybreak", EVENT_HANDLER: rootUrl, PROPERTIES: { NAME: "Barley" }, CLIENT_ID })).body.result as number;

    for (const command of [
      { COMMAND: "inc", TITLE: "+", PARAMS: "text" },
      { COMMAND: "dec", TITLE: "-", PARAMS: "text" },
    ]) {
      const registered = await bitrixogramCall(base, "imbot.command.register", {
        BOT_ID: botId,
        COMMAND: command.COMMAND,
        COMMON: "Y",
        HIDDEN: "Y",
        EXTRANET_SUPPORT: "N",
        CLIENT_ID,
        LANG: [{ LANGUAGE_ID: "en", TITLE: command.TITLE, PARAMS: command.PARAMS }],
        EVENT_COMMAND_ADD: rootUrl,
      });
      expect(registered.status).toBe(200);
    }

    // A user writes to the bot: ONIMBOTMESSAGEADD, its chat id cast to int, the reply without BOT_ID.
    const { message } = await portal.control.userSays({ authorId: 1, dialogId: String(botId), text: "test" });
    const added = await handler.next("ONIMBOTMESSAGEADD");
    expect(added.path.split("?")[0]).toBe("/");
    const chatId = Number.parseInt(added.form["data[PARAMS][DIALOG_ID]"] ?? "", 10);
    expect(chatId).toBe(1);
    expect(added.form["data[PARAMS][MESSAGE]"]).toBe("test");
    expect(Number.parseInt(added.form["data[PARAMS][MESSAGE_ID]"] ?? "", 10)).toBe(message.id);
    expect(Number.parseInt(added.form["data[USER][ID]"] ?? "", 10)).toBe(1);
    const sent = await bitrixogramCall(base, "imbot.message.add", {
      DIALOG_ID: chatId,
      MESSAGE: "any router test",
      ATTACH: "",
      KEYBOARD: [{ TEXT: "-", COMMAND: "dec", BG_COLOR: "#29619b", TEXT_COLOR: "#fff", DISPLAY: "LINE", BLOCK: "Y", WIDTH: 200, DISABLED: "N" }, { TYPE: "NEWLINE" }, { TEXT: "+", COMMAND: "inc", BLOCK: "Y", WIDTH: 200 }],
    });
    expect(sent.status).toBe(200);

    // A button press: ONIMCOMMANDADD, answered by name with the event's PARAMS MESSAGE_ID.
    await portal.control.pressButton({ userId: 1, messageId: sent.body.result as number, command: "inc" });
    const pressed = await handler.next("ONIMCOMMANDADD");
    const command = commandFields(pressed.form);
    expect(command).toMatchObject({ command: "inc", command_context: "KEYBOARD", bot_id: String(botId) });
    const messageId = Number.parseInt(pressed.form["data[PARAMS][MESSAGE_ID]"] ?? "", 10);
    const answer = await bitrixogramCall(base, "imbot.command.answer", { BOT_ID: botId, COMMAND: command.command, MESSAGE_ID: messageId, MESSAGE: "This is command - inc" });
    expect(answer.status).toBe(200);

    // A typed command: also ONIMCOMMANDADD; the answer carries an attach and a keyboard.
    const typed = await portal.control.userSays({ authorId: 1, dialogId: String(botId), text: "/dec" });
    const commandEvent = await handler.next("ONIMCOMMANDADD", handler.received.indexOf(pressed) + 1);
    expect(commandFields(commandEvent.form).command).toBe("dec");
    expect(Number.parseInt(commandEvent.form["data[PARAMS][MESSAGE_ID]"] ?? "", 10)).toBe(typed.message.id);
    const answered = await bitrixogramCall(base, "imbot.command.answer", {
      BOT_ID: botId,
      COMMAND: "dec",
      MESSAGE_ID: typed.message.id,
      MESSAGE: "decremented",
      ATTACH: [{ MESSAGE: "API version [B]im 1.1.0[/B]" }, { DELIMITER: { SIZE: 200, COLOR: "#c6c6c6" } }],
      KEYBOARD: [{ TEXT: "+", COMMAND: "inc" }],
    });
    expect(answered.status).toBe(200);

    // It edits its message (DIALOG_ID and empty ATTACH/KEYBOARD included) and deletes it.
    const updated = await bitrixogramCall(base, "imbot.message.update", { DIALOG_ID: chatId, MESSAGE: "edited", BOT_ID: botId, MESSAGE_ID: sent.body.result, ATTACH: "", KEYBOARD: "" });
    expect(updated.body.result).toBe(true);
    const deleted = await bitrixogramCall(base, "imbot.message.delete", { BOT_ID: botId, MESSAGE_ID: answered.body.result, COMPLETE: "Y" });
    expect(deleted.body.result).toBe(true);

    const dialog = await portal.control.messages(String(botId));
    expect(dialog.filter((m) => m.authorId === botId).map((m) => m.text)).toEqual(["edited", "This is command - inc"]);
    expect(dialog.find((m) => m.text === "edited")?.params).toEqual({});
  });

  it("the attach its ReplyAttachBuilder makes (grid DISPLAY COLUMN, one FILE as an object) is taken, and stored in the documented form", async () => {
    const portal = await emulator.createPortal();
    const base = portal.webhookUrl!;
    const handler = await listening.handler();
    const botId = (await v1Call(base, "imbot.register", { CODE: "attachbot", EVENT_HANDLER: handler.url, PROPERTIES: { NAME: "Attach" }, CLIENT_ID })).body.result as number;
    await bitrixogramCall(base, "imbot.command.register", { BOT_ID: botId, COMMAND: "inc", COMMON: "Y", HIDDEN: "Y", EXTRANET_SUPPORT: "N", LANG: [{ LANGUAGE_ID: "en", TITLE: "+", PARAMS: "text" }], EVENT_COMMAND_ADD: handler.url });
    const typed = await portal.control.userSays({ authorId: 1, dialogId: String(botId), text: "/inc 5" });
    const grid = (display: string) => [{ NAME: "Priority", VALUE: "High", DISPLAY: display, WIDTH: 250 }, { NAME: "Category", VALUE: "Task", DISPLAY: display }];
    const answered = await bitrixogramCall(base, "imbot.command.answer", {
      BOT_ID: botId,
      COMMAND: "inc",
      MESSAGE_ID: typed.message.id,
      MESSAGE: "This is command - inc",
      ATTACH: [
        { USER: { NAME: "John Smith", AVATAR: "https://example.com/a.png", LINK: "https://example.com/" } },
        { LINK: { NAME: "Issue #12345", LINK: "https://example.com/", DESC: "release notes", PREVIEW: "https://example.com/p.png", WIDTH: 1000, HEIGHT: 638 } },
        { MESSAGE: "API version [B]im 1.1.0[/B]" },
        { DELIMITER: { SIZE: 200, COLOR: "#c6c6c6" } },
        { GRID: grid("COLUMN") },
        { GRID: grid("BLOCK") },
        { GRID: grid("LINE") },
        { IMAGE: { LINK: "https://example.com/i.png", NAME: "img name", PREVIEW: "https://example.com/ip.png", WIDTH: 1000, HEIGHT: 638 } },
        { FILE: { LINK: "https://example.com/image.jpg", NAME: "image.jpg", SIZE: 1500000 } },
      ],
      KEYBOARD: [{ TEXT: "+", COMMAND: "inc", BG_COLOR_TOKEN: "alarm" }],
    });
    expect([answered.status, answered.body.result]).toEqual([200, expect.any(Number)]);

    const stored = (await portal.control.messages(String(botId))).find((m) => m.id === answered.body.result);
    const blocks = (stored?.params.ATTACH as { BLOCKS: Record<string, unknown>[] }[] | undefined)?.[0]?.BLOCKS ?? [];
    expect(blocks.map((b) => Object.keys(b)[0])).toEqual(["USER", "LINK", "MESSAGE", "DELIMITER", "GRID", "GRID", "GRID", "IMAGE", "FILE"]);
    const displays = blocks.filter((b) => "GRID" in b).map((b) => (b.GRID as { DISPLAY: string }[]).map((i) => i.DISPLAY));
    expect(displays).toEqual([["BLOCK", "BLOCK"], ["BLOCK", "BLOCK"], ["LINE", "LINE"]]);
    expect(blocks.at(-1)).toEqual({ FILE: [{ LINK: "https://example.com/image.jpg", NAME: "image.jpg", SIZE: "1500000" }] });
  });

  it("its own set_webhook (a JSON imbot.register with only EVENT_HANDLER) is refused as a portal refuses it", async () => {
    const portal = await emulator.createPortal();
    const res = await fetch(`${portal.webhookUrl}imbot.register`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ EVENT_HANDLER: "http://127.0.0.1:9/" }) });
    expect([res.status, ((await res.json()) as { error: string }).error]).toEqual([403, "ACCESS_DENIED"]);
  });
});

/** b24pysdk's flattened-key parser, then the fields its event model requires. */
function pysdkEvent(form: Record<string, string>) {
  const nested: Record<string, unknown> = {};
  for (const [raw, value] of Object.entries(form)) {
    const parts = raw.match(/[^[\]]+/g) ?? [];
    let level = nested;
    for (const part of parts.slice(0, -1)) level = (level[part] ??= {}) as Record<string, unknown>;
    level[parts.at(-1) as string] = value;
  }
  const auth = nested.auth as Record<string, string>;
  const int = (v: unknown) => {
    const n = Number.parseInt(String(v), 10);
    if (!Number.isInteger(n) || String(n) !== String(v).trim()) throw new Error(`not an int: ${String(v)}`);
    return n;
  };
  for (const key of ["member_id", "client_endpoint", "server_endpoint", "domain", "application_token"]) {
    if (typeof auth?.[key] !== "string") throw new Error(`auth.${key} missing`);
  }
  if (auth.access_token) {
    int(auth.expires);
    int(auth.expires_in);
    int(auth.user_id);
    if (!["F", "D", "T", "P", "L", "S"].includes(auth.status ?? "")) throw new Error(`status ${auth.status}`);
  }
  return { event: nested.event as string, eventHandlerId: int(nested.event_handler_id), ts: int(nested.ts), auth, data: nested.data as Record<string, unknown> };
}

describe("b24pysdk client.imbot.*, unmodified", () => {
  /** One SDK call: JSON to `{webhook}{method}.json`. */
  async function sdk(base: string, method: string, params: Record<string, unknown>) {
    return v1Call(base, `${method}.json`, params, "json");
  }

  it("the typed helpers' requests succeed, and its event parser accepts what the handler gets", async () => {
    const portal = await emulator.createPortal();
    const base = portal.webhookUrl!;
    const handler = await listening.handler();
    const call = (method: string, params: Record<string, unknown>) => sdk(base, method, params);

    const botId = (await call("imbot.register", { CODE: "pybot", PROPERTIES: { NAME: "Py" }, EVENT_HANDLER: handler.url, TYPE: "B", OPENLINE: "N", CLIENT_ID })).body.result as number;
    expect((await call("imbot.update", { BOT_ID: botId, FIELDS: { PROPERTIES: { NAME: "Py Bot" } }, CLIENT_ID })).body.result).toBe(true);
    expect((await call("imbot.bot.list", {})).body.result[String(botId)]).toMatchObject({ NAME: "Py Bot" });
    const commandId = (await call("imbot.command.register", { BOT_ID: botId, COMMAND: "echo", LANG: [{ LANGUAGE_ID: "en", TITLE: "Echo", PARAMS: "text" }], COMMON: "N", HIDDEN: "N", EXTRANET_SUPPORT: "N", CLIENT_ID, EVENT_COMMAND_ADD: handler.url })).body.result as number;

    const { message } = await portal.control.userSays({ authorId: 1, dialogId: String(botId), text: "/echo hi" });
    const event = pysdkEvent((await handler.next("ONIMCOMMANDADD")).form);
    expect(event).toMatchObject({ event: "ONIMCOMMANDADD", auth: { application_token: CLIENT_ID, domain: "emulator.bitrix24.com" } });
    expect(event.eventHandlerId).toBeGreaterThan(0);
    expect(event.data).toMatchObject({ COMMAND: { [String(commandId)]: { COMMAND: "echo", COMMAND_PARAMS: "hi", MESSAGE_ID: String(message.id) } }, USER: { ID: "1" } });
    pysdkEvent((await handler.next("ONIMBOTJOINCHAT")).form);

    const answered = await call("imbot.command.answer", { MESSAGE_ID: message.id, MESSAGE: "hi", COMMAND_ID: commandId, CLIENT_ID });
    expect(answered.status).toBe(200);
    const added = await call("imbot.message.add", { MESSAGE: "hello", DIALOG_ID: "1", BOT_ID: botId, SYSTEM: "N", URL_PREVIEW: "Y", CLIENT_ID });
    expect((await call("imbot.message.update", { MESSAGE_ID: added.body.result, BOT_ID: botId, MESSAGE: "hello again", URL_PREVIEW: "N", CLIENT_ID })).body.result).toBe(true);
    expect((await call("imbot.message.like", { MESSAGE_ID: message.id, BOT_ID: botId, ACTION: "plus", CLIENT_ID })).body.result).toBe(true);
    expect((await call("imbot.chat.sendTyping", { DIALOG_ID: "1", BOT_ID: botId, CLIENT_ID })).body.result).toBe(true);
    expect((await call("imbot.message.delete", { MESSAGE_ID: added.body.result, BOT_ID: botId, COMPLETE: "Y", CLIENT_ID })).body.result).toBe(true);
    expect((await call("imbot.dialog.get", { DIALOG_ID: String(botId) })).body.result).toMatchObject({ type: "private", dialog_id: String(botId) });

    const chatId = (await call("imbot.chat.add", { USERS: [1], TYPE: "CHAT", TITLE: "Py room", DESCRIPTION: "", COLOR: "MINT", MESSAGE: "Welcome", ENTITY_TYPE: "PY", ENTITY_ID: 7, OWNER_ID: 1, BOT_ID: botId, CLIENT_ID })).body.result as number;
    expect((await call("imbot.chat.get", { ENTITY_TYPE: "PY", ENTITY_ID: 7, BOT_ID: botId })).body.result).toEqual({ ID: chatId });
    expect((await call("imbot.chat.user.add", { CHAT_ID: chatId, USERS: [2], HIDE_HISTORY: "N", BOT_ID: botId, CLIENT_ID })).body.result).toBe(true);
    expect((await call("imbot.chat.user.list", { CHAT_ID: chatId, BOT_ID: botId, CLIENT_ID })).body.result).toEqual([botId, 1, 2]);
    expect((await call("imbot.chat.user.delete", { CHAT_ID: chatId, USER_ID: 2, BOT_ID: botId, CLIENT_ID })).body.result).toBe(true);
    expect((await call("imbot.chat.updateTitle", { CHAT_ID: chatId, TITLE: "Renamed", BOT_ID: botId, CLIENT_ID })).body.result).toBe(true);
    expect((await call("imbot.chat.updateColor", { CHAT_ID: chatId, COLOR: "RED", BOT_ID: botId, CLIENT_ID })).body.result).toBe(true);
    expect((await call("imbot.chat.setManager", { CHAT_ID: chatId, USER_ID: 1, IS_MANAGER: "Y", BOT_ID: botId, CLIENT_ID })).body.result).toBe(true);
    expect((await call("imbot.chat.setOwner", { CHAT_ID: chatId, USER_ID: 1, BOT_ID: botId, CLIENT_ID })).body.result).toBe(true);
    expect((await call("imbot.chat.leave", { CHAT_ID: chatId, BOT_ID: botId, CLIENT_ID })).body.result).toBe(true);

    expect((await call("imbot.command.update", { COMMAND_ID: commandId, FIELDS: { HIDDEN: "Y" }, CLIENT_ID })).body.result).toBe(true);
    expect((await call("imbot.command.unregister", { COMMAND_ID: commandId, CLIENT_ID })).body.result).toBe(true);
    expect((await call("imbot.unregister", { BOT_ID: botId, CLIENT_ID })).body.result).toBe(true);
    const bye = (await handler.next("ONIMBOTDELETE")) as ReceivedEvent;
    expect(pysdkEvent(bye.form).data).toEqual({ BOT_ID: String(botId), BOT_CODE: "pybot" });
  });

  it("the helpers that send no CLIENT_ID (command.update, message.update, chat.add) are refused through a webhook, as on a portal", async () => {
    const portal = await emulator.createPortal();
    const reply = await sdk(portal.webhookUrl!, "imbot.message.update", { MESSAGE_ID: 789, MESSAGE: "x" });
    expect([reply.status, reply.body.error]).toEqual([403, "ACCESS_DENIED"]);
  });

  /** An OAuth application registers a v1 bot, a person writes to it; the event as the SDK parses it. */
  async function oauthBotHeard(code: string) {
    const portal = await emulator.createPortal();
    const handler = await listening.handler();
    const registered = await v1Call(emulator.restUrl, "imbot.register.json", { auth: portal.accessToken, CODE: code, PROPERTIES: { NAME: code }, EVENT_HANDLER: handler.url }, "json");
    const botId = registered.body.result as number;
    await portal.control.userSays({ authorId: 1, dialogId: String(botId), text: "hi" });
    return { portal, botId, event: pysdkEvent((await handler.next("ONIMBOTMESSAGEADD")).form) };
  }

  it("an OAuth application's bot: the parser reads user and bot tokens from the event", async () => {
    const { portal, botId, event } = await oauthBotHeard("pyapp");
    expect(event.auth).toMatchObject({ user_id: "1", status: "L", refresh_token: expect.any(String) });
    const bot = (event.data.BOT as Record<string, Record<string, string>>)[String(botId)]!;
    expect(bot).toMatchObject({ BOT_ID: String(botId), user_id: String(botId), client_id: portal.clientId });
    const asBot = await v1Call(emulator.restUrl, "im.message.add.json", { auth: bot.access_token, DIALOG_ID: "1", MESSAGE: "from the bot token" }, "json");
    expect(asBot.status).toBe(200);
  });

  it("event_required(bitrix_app=...) accepts the event: app.info, asked with the event's token, names the host of its client_endpoint and its member_id", async () => {
    const { portal, event } = await oauthBotHeard("validated");
    // The SDK's OAuth requester: GET {oauth host}/rest/app.info/?auth=<the event's access token>.
    const res = await fetch(`${emulator.httpUrl}/oauth-server/rest/app.info/?auth=${event.auth.access_token}`);
    const info = ((await res.json()) as { result: { client_id: string; install: { domain: string; member_id: string } } }).result;
    expect(res.status).toBe(200);
    expect(info.client_id).toBe(portal.clientId);
    // Its check: install.domain == urlparse(auth[client_endpoint]).hostname and install.member_id == auth[member_id].
    expect([info.install.domain, info.install.member_id]).toEqual([new URL(event.auth.client_endpoint!).hostname, event.auth.member_id]);
  });
});
