import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../src/index.js";
import type { Portal } from "../src/store/state.js";
import { decodeFileContent, maxBase64Length } from "../src/methods/imbot-v2/files/content.js";
import { DEFAULT_FIDELITY } from "../src/settings.js";
import { testFixture } from "./support/fixtures.js";
import { httpClient } from "./support/http-client.js";

/** imbot.v2.File.upload / File.download (spec v2-complete.md §2) over real HTTP. */

const HOOK = "/rest/1/emulator/";
const asBot = (params: Record<string, unknown>) => ({ botId: 456, botToken: "my_bot_token", ...params });

let emulator: RunningEmulator;
let client: ReturnType<typeof httpClient>;
let portal: Portal;

beforeAll(async () => {
  emulator = await startEmulator({ fixture: testFixture() });
  client = httpClient(emulator.httpUrl!);
  portal = emulator.app.store.state.portals.default!;
});
afterAll(async () => {
  await emulator.close();
});

const BYTES = Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0x10, 0x80, 0x7f, 0x0a, 0xc3, 0x28]);

async function call(method: string, params: Record<string, unknown>) {
  return client.call("POST", HOOK + method, asBot(params));
}
async function refused(method: string, params: Record<string, unknown>, code: string, status = 400) {
  const before = JSON.stringify(portal);
  const reply = await call(method, params);
  expect([reply.status, reply.body.error], JSON.stringify(reply.body)).toEqual([status, code]);
  expect(JSON.stringify(portal)).toBe(before);
  return reply;
}
async function upload(fields: Record<string, unknown>, dialogId = "chat5") {
  const reply = await call("imbot.v2.File.upload", { dialogId, fields });
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply.body.result as { file: { id: number }; messageId: number; chatId: number; dialogId: string };
}

describe("imbot.v2.File.upload", () => {
  it("answers the File entity, the message and the chat, and posts the bot's message with FILE_ID", async () => {
    const eventsBefore = portal.events.length;
    const result = await upload({ name: "report.PDF", content: BYTES.toString("base64"), message: "Monthly report" });
    expect(result).toEqual({
      file: {
        id: result.file.id,
        chatId: 5,
        date: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/),
        type: "file",
        name: "report.PDF",
        extension: "pdf",
        size: BYTES.length,
        image: false,
        authorId: 456,
        authorName: expect.any(String),
        isTranscribable: false,
        isVideoNote: false,
        isVoiceNote: false,
      },
      messageId: expect.any(Number),
      chatId: 5,
      dialogId: "chat5",
    });
    const message = portal.messages[result.messageId]!;
    expect(message).toMatchObject({ chatId: 5, authorId: 456, text: "Monthly report", isSystem: false, params: { FILE_ID: [result.file.id] } });
    expect(portal.chats[5]!.lastMessageId).toBe(result.messageId);
    expect(portal.events.length).toBe(eventsBefore);
  });

  it("posts an empty text without fields.message, classes images, and answers a 1:1 by the user's id", async () => {
    const result = await upload({ name: "photo.png", content: BYTES.toString("base64") }, "1");
    expect(portal.messages[result.messageId]!.text).toBe("");
    expect(result.dialogId).toBe("1");
    expect((result.file as unknown as { type: string }).type).toBe("image");
  });

  it("checks the chat, then FILE_EMPTY, FILE_TOO_LARGE, FILE_INVALID_CONTENT", async () => {
    const method = "imbot.v2.File.upload";
    const good = { name: "a.txt", content: "aGVsbG8=" };
    await refused(method, { dialogId: "chat999", fields: {} }, "CHAT_NOT_FOUND");
    await refused(method, { dialogId: "chat6", fields: {} }, "ACCESS_DENIED");
    await refused(method, { dialogId: "chat5", fields: { ...good, name: " " } }, "FILE_EMPTY");
    await refused(method, { dialogId: "chat5", fields: { ...good, content: "" } }, "FILE_EMPTY");
    await refused(method, { dialogId: "chat5", fields: { name: "", content: "!!" } }, "FILE_EMPTY");
    await refused(method, { dialogId: "chat5", fields: { ...good, content: "not base64!" } }, "FILE_INVALID_CONTENT");
    await refused(method, { dialogId: "chat5", fields: { ...good, content: "aGVsbG8=x" } }, "FILE_INVALID_CONTENT");
  });

  it("decodes a long base64 exactly, padded or not, across the slices it is decoded in", () => {
    // The base64 is decoded 4 Mi characters (3 MiB) at a time.
    for (const size of [3 * 1024 * 1024 - 1, 3 * 1024 * 1024, 3 * 1024 * 1024 + 1, 3 * 1024 * 1024 + 2]) {
      const bytes = Buffer.from(Array.from({ length: size }, (_, i) => (i * 31 + (i >> 10)) & 0xff));
      const padded = bytes.toString("base64");
      for (const content of [padded, padded.replace(/=+$/, "")]) {
        expect(decodeFileContent({ name: "a.bin", content }, 100 * 1024 * 1024).bytes.equals(bytes)).toBe(true);
      }
    }
  });

  it("takes at most 139,810,133 base64 characters by default, the base64 of 100 MiB", () => {
    // The check itself is exercised over HTTP with a lower maxFileBytes in user-files.test.ts.
    expect(DEFAULT_FIDELITY.maxFileBytes).toBe(100 * 1024 * 1024);
    expect(maxBase64Length(DEFAULT_FIDELITY.maxFileBytes)).toBe(139_810_133);
  });

  it("is refused inside batch", async () => {
    const reply = await client.call("POST", `${HOOK}batch`, {
      halt: 0,
      cmd: { up: `imbot.v2.File.upload?botId=456&botToken=my_bot_token&dialogId=chat5&fields[name]=a.txt&fields[content]=aGVsbG8=` },
    });
    expect(reply.status).toBe(200);
    const errors = (reply.body.result as { result_error: Record<string, { error: string }> }).result_error;
    expect(errors.up?.error).toBe("ERROR_BATCH_METHOD_NOT_ALLOWED");
    expect(Object.values(portal.files ?? {}).some((f) => f.name === "a.txt")).toBe(false);
  });
});

describe("imbot.v2.File.download in batch", () => {
  it("is refused like File.upload, and makes no link", async () => {
    const { file } = await upload({ name: "batch.bin", content: BYTES.toString("base64") });
    const linksBefore = JSON.stringify(portal.fileLinks ?? null);
    const reply = await client.call("POST", `${HOOK}batch`, {
      halt: 0,
      cmd: { down: `imbot.v2.File.download?botId=456&botToken=my_bot_token&fileId=${file.id}`, who: "user.current" },
    });
    expect(reply.status).toBe(200);
    const result = reply.body.result as { result: Record<string, unknown>; result_error: Record<string, { error: string }> };
    expect(result.result_error.down?.error).toBe("ERROR_BATCH_METHOD_NOT_ALLOWED");
    expect(result.result.who).toBeDefined();
    expect(JSON.stringify(portal.fileLinks ?? null)).toBe(linksBefore);
  });
});

describe("imbot.v2.File.download", () => {
  it("links to the bytes, byte-identical, reusable, for webhook callers on their own path", async () => {
    const { file } = await upload({ name: "data.bin", content: BYTES.toString("base64") });
    const reply = await call("imbot.v2.File.download", { fileId: file.id });
    expect(reply.status).toBe(200);
    const url = (reply.body.result as { downloadUrl: string }).downloadUrl;
    expect(url).toMatch(new RegExp(`^${emulator.httpUrl}/rest/1/emulator/download/\\?token=`));
    for (let i = 0; i < 2; i++) {
      const res = await fetch(url);
      expect(res.status).toBe(200);
      expect(Buffer.from(await res.arrayBuffer()).equals(BYTES)).toBe(true);
    }
  });

  it("gives OAuth callers /rest/download.json", async () => {
    const { file } = await upload({ name: "o.txt", content: "aGVsbG8=" });
    const reply = await client.call("POST", "/rest/imbot.v2.File.download", { auth: "emulator-token", botId: 456, fileId: file.id });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    const url = (reply.body.result as { downloadUrl: string }).downloadUrl;
    expect(url).toMatch(new RegExp(`^${emulator.httpUrl}/rest/download\\.json\\?token=`));
    const res = await fetch(url);
    expect(await res.text()).toBe("hello");
  });

  it("FILE_NOT_FOUND, FILE_ACCESS_ERROR, and an unknown link is a JSON FILE_NOT_FOUND", async () => {
    const { file } = await upload({ name: "x.txt", content: "aGVsbG8=" });
    await refused("imbot.v2.File.download", { fileId: 999_999 }, "FILE_NOT_FOUND");
    portal.chats[5]!.members = portal.chats[5]!.members.filter((id) => id !== 456);
    try {
      await refused("imbot.v2.File.download", { fileId: file.id }, "FILE_ACCESS_ERROR");
    } finally {
      portal.chats[5]!.members.push(456);
    }
    const missing = await client.get("/rest/download.json?token=nope");
    expect([missing.status, missing.body.error]).toEqual([400, "FILE_NOT_FOUND"]);
  });
});
