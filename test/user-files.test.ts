import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type PortalHandle, type RunningEmulator } from "../src/index.js";
import { httpClient } from "./support/http-client.js";
import { listenForEvents, v1Call, type EventHandler } from "./support/v1-bot.js";

/**
 * A person sends a file (spec v2-complete.md §3, "ONIMBOTV2MESSAGEADD with file") through a listening
 * emulator, and what a bot then sees: the event in fetch and webhook mode, the v1 event, and the
 * exact bytes through imbot.v2.File.download. Each test has a fresh portal.
 */

let emulator: RunningEmulator;
let client: ReturnType<typeof httpClient>;
const handlers: EventHandler[] = [];

beforeAll(async () => {
  emulator = await startEmulator();
  client = httpClient(emulator.httpUrl!);
});
afterAll(async () => {
  for (const handler of handlers) await handler.close();
  await emulator.close();
});

/** A 3x2 PNG: the signature and an IHDR chunk are all a size reader needs. */
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
  Buffer.from("IHDR", "latin1"),
  Buffer.from([0, 0, 0, 3, 0, 0, 0, 2, 8, 6, 0, 0, 0, 0xde, 0xad, 0xbe, 0xef]),
]);
const BINARY = Buffer.from([0x00, 0xff, 0x10, 0x80, 0x7f, 0x0a, 0xc3, 0x28, 0x2b, 0x2f]);

function rest(portal: PortalHandle) {
  const base = new URL(portal.webhookUrl!).pathname;
  return (method: string, params: Record<string, unknown>) => client.call("POST", `${base}${method}`, params);
}

async function sendFile(portal: PortalHandle, body: Record<string, unknown>) {
  return client.call("POST", `/_emulator/portals/${portal.id}/files`, body);
}

type FileResult = { file: { id: number; type: string; image: unknown; size: number; name: string }; message: { id: number; text: string; params: { FILE_ID?: number[] } } };

async function sent(portal: PortalHandle, body: Record<string, unknown>): Promise<FileResult> {
  const reply = await sendFile(portal, body);
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return reply.body as unknown as FileResult;
}

/** What File.download hands the bot, fetched from the link: the bytes as they arrive. */
async function download(portal: PortalHandle, fileId: number, owner: Record<string, unknown>): Promise<Buffer> {
  const reply = await rest(portal)("imbot.v2.File.download", { ...owner, fileId });
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  const res = await fetch((reply.body.result as { downloadUrl: string }).downloadUrl);
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

const BOT_456 = { botId: 456, botToken: "my_bot_token" };

describe("a person sends a file", () => {
  it("a fetch-mode bot gets MESSAGEADD with params.FILE_ID and empty text, then downloads the exact bytes", async () => {
    const portal = await emulator.createPortal();
    const result = await sent(portal, { userId: 1, dialogId: "456", name: "pixel.png", contentBase64: PNG.toString("base64") });
    expect(result.file).toMatchObject({ name: "pixel.png", size: PNG.length, type: "image", image: { width: 3, height: 2 }, authorId: 1 });
    expect(result.message).toMatchObject({ text: "", params: { FILE_ID: [result.file.id] } });

    const page = await rest(portal)("imbot.v2.Event.get", BOT_456);
    const events = (page.body.result as { events: { type: string; data: Record<string, unknown> }[] }).events;
    expect(events.map((e) => e.type)).toEqual(["ONIMBOTV2JOINCHAT", "ONIMBOTV2MESSAGEADD"]);
    expect(events[1]!.data).toMatchObject({
      message: { id: result.message.id, text: "", authorId: 1, params: { FILE_ID: [result.file.id] } },
      chat: { dialogId: "1" },
      user: { id: 1 },
    });
    expect((await download(portal, result.file.id, BOT_456)).equals(PNG)).toBe(true);
  });

  it("a webhook bot gets the same MESSAGEADD form-encoded, with the text sent beside the file", async () => {
    const portal = await emulator.createPortal();
    const handler = await listenForEvents();
    handlers.push(handler);
    const registered = await rest(portal)("imbot.v2.Bot.register", {
      botToken: "hook-owner",
      fields: { code: "file_reader", eventMode: "webhook", webhookUrl: handler.url, properties: { name: "Reader" } },
    });
    expect(registered.status, JSON.stringify(registered.body)).toBe(200);
    const botId = (registered.body.result as { bot: { id: number } }).bot.id;
    const result = await sent(portal, { userId: 2, dialogId: String(botId), name: "data.bin", contentBase64: BINARY.toString("base64"), text: "the data" });

    const event = await handler.next("ONIMBOTV2MESSAGEADD");
    expect(event.form).toMatchObject({
      "data[message][id]": String(result.message.id),
      "data[message][text]": "the data",
      "data[message][params][FILE_ID][0]": String(result.file.id),
      "data[user][id]": "2",
    });
    expect((await download(portal, result.file.id, { botId, botToken: "hook-owner" })).equals(BINARY)).toBe(true);
  });

  it("a v1 bot gets ONIMBOTMESSAGEADD with data[PARAMS][FILES][id] and downloads the bytes as its CLIENT_ID", async () => {
    const portal = await emulator.createPortal();
    const handler = await listenForEvents();
    handlers.push(handler);
    const registered = await v1Call(portal.webhookUrl!, "imbot.register", {
      CODE: "v1reader",
      TYPE: "B",
      EVENT_HANDLER: handler.url,
      PROPERTIES: { NAME: "Old reader" },
      CLIENT_ID: "v1-owner",
    });
    const botId = registered.body.result as number;
    const result = await sent(portal, { userId: 1, dialogId: String(botId), name: "notes.txt", contentBase64: Buffer.from("hello").toString("base64") });

    const event = await handler.next("ONIMBOTMESSAGEADD");
    const file = `data[PARAMS][FILES][${result.file.id}]`;
    expect(event.form).toMatchObject({
      "data[PARAMS][MESSAGE]": "",
      "data[PARAMS][MESSAGE_ID]": String(result.message.id),
      [`${file}[id]`]: String(result.file.id),
      [`${file}[name]`]: "notes.txt",
      [`${file}[size]`]: "5",
      [`${file}[type]`]: "file",
      [`${file}[image]`]: "0",
      [`${file}[authorId]`]: "1",
    });
    expect((await download(portal, result.file.id, { botId, botToken: "v1-owner" })).toString()).toBe("hello");
  });

  it("a /command in the text calls the command instead of MESSAGEADD, as typing it does", async () => {
    const portal = await emulator.createPortal();
    const result = await sent(portal, { userId: 1, dialogId: "chat5", name: "a.txt", contentBase64: "aGk=", text: "/help" });
    expect(result).toMatchObject({ commands: [{ botId: 456, commandId: 42, messageId: result.message.id, dialogId: "chat5" }] });
    const page = await rest(portal)("imbot.v2.Event.get", BOT_456);
    const events = (page.body.result as { events: { type: string; data: { message: { params: unknown } } }[] }).events;
    expect(events.map((e) => e.type)).toEqual(["ONIMBOTV2COMMANDADD"]);
    expect(events[0]!.data.message.params).toEqual({ FILE_ID: [result.file.id] });
  });

  it("File.download answers FILE_ACCESS_ERROR for a file shared where the bot is not", async () => {
    const portal = await emulator.createPortal();
    const chat = await portal.control.createChat({ ownerId: 1, members: [2], title: "people only" });
    const result = await sent(portal, { userId: 2, dialogId: `chat${chat.id as number}`, name: "secret.txt", contentBase64: "c2VjcmV0" });
    const reply = await rest(portal)("imbot.v2.File.download", { ...BOT_456, fileId: result.file.id });
    expect([reply.status, reply.body.error]).toEqual([400, "FILE_ACCESS_ERROR"]);
  });

  it("refuses as File.upload does, and as typing does while the text field is off; nothing is stored", async () => {
    const portal = await emulator.createPortal();
    const stored = () => JSON.stringify(emulator.app.store.state.portals[portal.id]);
    const before = stored();
    const refusals: [Record<string, unknown>, number, string][] = [
      [{ name: " ", contentBase64: "aGk=" }, 400, "FILE_EMPTY"],
      [{ name: "a.txt", contentBase64: "" }, 400, "FILE_EMPTY"],
      [{ name: "a.txt", contentBase64: "not base64!" }, 400, "FILE_INVALID_CONTENT"],
      [{ name: "a.txt", contentBase64: "aGk=", dialogId: "chat999" }, 404, "CONTROL_NOT_FOUND"],
      [{ name: "a.txt", contentBase64: "aGk=", userId: 2 }, 400, "CONTROL_ARGUMENT"],
      [{ name: "a.txt" }, 400, "CONTROL_ARGUMENT"],
    ];
    for (const [body, status, code] of refusals) {
      const reply = await sendFile(portal, { userId: 1, dialogId: "chat5", ...body });
      expect([reply.status, reply.body.error], JSON.stringify(body)).toEqual([status, code]);
    }
    expect(stored()).toBe(before);

    const off = await rest(portal)("imbot.v2.Chat.TextField.enabled", { ...BOT_456, dialogId: "chat5", enabled: false });
    expect(off.status).toBe(200);
    const disabled = stored();
    const reply = await sendFile(portal, { userId: 1, dialogId: "chat5", name: "a.txt", contentBase64: "aGk=" });
    expect([reply.status, reply.body.error]).toEqual([400, "TEXT_FIELD_DISABLED"]);
    expect(stored()).toBe(disabled);
  });

  it("the control API lists the file on its message and serves its bytes; an unknown file is CONTROL_NOT_FOUND", async () => {
    const portal = await emulator.createPortal();
    const result = await sent(portal, { userId: 1, dialogId: "chat5", name: "data.bin", contentBase64: BINARY.toString("base64"), text: "see file" });
    const history = await client.get(`/_emulator/portals/${portal.id}/chats/chat5/messages`);
    const listed = (history.body.messages as { id: number; files?: { id: number; name: string; url: string }[] }[]).find((m) => m.id === result.message.id);
    expect(listed?.files).toEqual([expect.objectContaining({ id: result.file.id, name: "data.bin", size: BINARY.length, url: `/_emulator/portals/${portal.id}/files/${result.file.id}` })]);
    const served = await fetch(`${emulator.httpUrl}${listed!.files![0]!.url}`);
    expect(served.status).toBe(200);
    expect(served.headers.get("content-disposition")).toBe("attachment; filename*=UTF-8''data.bin");
    expect(Buffer.from(await served.arrayBuffer()).equals(BINARY)).toBe(true);
    const unknown = await client.get(`/_emulator/portals/${portal.id}/files/999`);
    expect([unknown.status, unknown.body.error]).toEqual([404, "CONTROL_NOT_FOUND"]);
  });

  it("the programmatic API sends the same file message", async () => {
    const portal = await emulator.createPortal();
    const { file, message, events } = await portal.control.userSendsFile({ userId: 1, dialogId: "456", name: "r.pdf", contentBase64: BINARY.toString("base64") });
    expect(message.params.FILE_ID).toEqual([file.id]);
    expect(events.map((e) => e.type)).toEqual(["ONIMBOTV2JOINCHAT", "ONIMBOTV2MESSAGEADD"]);
    expect((await download(portal, file.id as number, BOT_456)).equals(BINARY)).toBe(true);
  });
});

describe("upload bodies", () => {
  it("File.upload and the control route take bodies over the 1 MiB body limit; other methods do not", async () => {
    const portal = await emulator.createPortal();
    const big = Buffer.alloc(3 * 1024 * 1024, 7);
    const upload = await rest(portal)("imbot.v2.File.upload", { ...BOT_456, dialogId: "chat5", fields: { name: "big.bin", content: big.toString("base64") } });
    expect(upload.status, JSON.stringify(upload.body).slice(0, 300)).toBe(200);
    const fileId = (upload.body.result as { file: { id: number } }).file.id;
    expect((await download(portal, fileId, BOT_456)).equals(big)).toBe(true);

    const person = await sent(portal, { userId: 1, dialogId: "chat5", name: "big.bin", contentBase64: big.toString("base64") });
    expect(person.file.size).toBe(big.length);

    const other = await rest(portal)("imbot.v2.Chat.Message.send", { ...BOT_456, dialogId: "chat5", fields: { message: "x".repeat(2 * 1024 * 1024) } });
    expect([other.status, other.body.error]).toEqual([413, "REQUEST_TOO_LARGE"]);
    const control = await client.call("POST", `/_emulator/portals/${portal.id}/messages`, { authorId: 1, dialogId: "chat5", text: "x".repeat(2 * 1024 * 1024) });
    expect([control.status, control.body.error]).toEqual([413, "REQUEST_TOO_LARGE"]);
  });

  it("a large File.upload body is read alike as JSON, as a form and as multipart: the same bytes are stored", async () => {
    const portal = await emulator.createPortal();
    const base = new URL(portal.webhookUrl!).pathname;
    // Random-looking bytes, so the base64 holds "+" and "/" (%2B, %2F in a form).
    const big = Buffer.from(Array.from({ length: 600 * 1024 }, (_, i) => (i * 7919 + (i >> 8)) & 0xff));
    const content = big.toString("base64");
    expect(content).toMatch(/\+/);
    const fields = { botId: "456", botToken: "my_bot_token", dialogId: "chat5", "fields[name]": "big.bin", "fields[content]": content };
    const form = await client.form(`${base}imbot.v2.File.upload`, fields);
    const multipartBody = new FormData();
    for (const [name, value] of Object.entries(fields)) multipartBody.append(name, value);
    const res = await fetch(`${emulator.httpUrl}${base}imbot.v2.File.upload`, { method: "POST", body: multipartBody });
    const multipart = { status: res.status, body: (await res.json()) as Record<string, unknown> };
    const json = await rest(portal)("imbot.v2.File.upload", { ...BOT_456, dialogId: "chat5", fields: { name: "big.bin", content } });
    for (const reply of [form, multipart, json]) {
      expect(reply.status, JSON.stringify(reply.body).slice(0, 300)).toBe(200);
      const fileId = (reply.body.result as { file: { id: number } }).file.id;
      expect((await download(portal, fileId, BOT_456)).equals(big)).toBe(true);
    }
  });

  it("the journal keeps an upload cut, marked truncated, with its secrets masked", async () => {
    const portal = await emulator.createPortal();
    const content = Buffer.alloc(100 * 1024, 3).toString("base64");
    // A secret inside a long text is masked in the part the journal keeps.
    const message = `see auth=leaked-secret ${"z".repeat(30_000)}`;
    const reply = await rest(portal)("imbot.v2.File.upload", { ...BOT_456, dialogId: "chat5", fields: { name: "a.bin", content, message } });
    expect(reply.status).toBe(200);
    const journal = await client.get(`/_emulator/portals/${portal.id}/journal`);
    const entry = (journal.body.calls as { method: string; truncated?: boolean; params: { botToken: string; fields: { content: string; message: string } } }[]).at(-1)!;
    expect(entry.method).toBe("imbot.v2.File.upload");
    expect(entry.truncated).toBe(true);
    expect(entry.params.botToken).toBe("***");
    expect(entry.params.fields.content).toBe(`${content.slice(0, 512)}… (${content.length} characters, truncated)`);
    expect(entry.params.fields.message).toMatch(/^see auth=\*\*\* z+… \(30023 characters, truncated\)$/);
  });

  it("a body over --upload-limit is refused with 413 before it is read whole", async () => {
    const small = await startEmulator({ uploadLimit: 64 * 1024 });
    try {
      const portal = await small.createPortal();
      const smallClient = httpClient(small.httpUrl!);
      const content = Buffer.alloc(100 * 1024, 1).toString("base64");
      const base = new URL(portal.webhookUrl!).pathname;
      const reply = await smallClient.call("POST", `${base}imbot.v2.file.upload.json`, { ...BOT_456, dialogId: "chat5", fields: { name: "a.bin", content } });
      expect([reply.status, reply.body.error]).toEqual([413, "REQUEST_TOO_LARGE"]);
      expect(reply.body.error_description).toContain(String(64 * 1024));
      const person = await smallClient.call("POST", `/_emulator/portals/${portal.id}/files`, { userId: 1, dialogId: "chat5", name: "a.bin", contentBase64: content });
      expect([person.status, person.body.error]).toEqual([413, "REQUEST_TOO_LARGE"]);
    } finally {
      await small.close();
    }
  });

  it("FILE_TOO_LARGE is checked on the base64 length against maxFileBytes, before decoding", async () => {
    const small = await startEmulator({ maxFileBytes: 3000 });
    try {
      const portal = await small.createPortal();
      const smallClient = httpClient(small.httpUrl!);
      const base = new URL(portal.webhookUrl!).pathname;
      // 4000 base64 characters decode to exactly 3000 bytes: the largest file taken.
      const fits = await smallClient.call("POST", `${base}imbot.v2.File.upload`, { ...BOT_456, dialogId: "chat5", fields: { name: "a.bin", content: "A".repeat(4000) } });
      expect(fits.status).toBe(200);
      // One character more is refused though it is not base64 at all: the length comes first.
      const over = await smallClient.call("POST", `${base}imbot.v2.File.upload`, { ...BOT_456, dialogId: "chat5", fields: { name: "a.bin", content: "!".repeat(4001) } });
      expect([over.status, over.body.error]).toEqual([400, "FILE_TOO_LARGE"]);
      expect(over.body.error_description).toBe("fields.content is 4001 base64 characters; at most 4000 (3000 bytes decoded)");
      const person = await smallClient.call("POST", `/_emulator/portals/${portal.id}/files`, { userId: 1, dialogId: "chat5", name: "a.bin", contentBase64: "!".repeat(4001) });
      expect([person.status, person.body.error]).toEqual([400, "FILE_TOO_LARGE"]);
    } finally {
      await small.close();
    }
  });
});
