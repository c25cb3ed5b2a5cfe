import { cpSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildApp, type EmulatorApp } from "../src/emulator.js";
import { openDefaultDurableStore } from "./support/durable-store.js";
import { nodeStorageIo, type StorageIo } from "../src/store/storage-io.js";
import { readWal } from "../src/store/wal.js";
import { restClient, type Reply } from "./support/rest-client.js";

/**
 * A disk that can fill up or break on demand: a full disk takes part of a line, then refuses
 * (ENOSPC); a broken one may refuse even to cut the torn part off.
 */
class FaultyDisk implements StorageIo {
  refuse: string | null = null;
  refuseTruncate = false;

  async openLog(path: string, fresh: boolean) {
    const file = await nodeStorageIo.openLog(path, fresh);
    return {
      ...file,
      append: async (buffer: Uint8Array) => {
        if (!this.refuse) return file.append(buffer);
        await file.append(buffer.subarray(0, Math.floor(buffer.length / 2)));
        throw Object.assign(new Error(`${this.refuse}: simulated, write`), { code: this.refuse });
      },
      truncate: async (length: number) => {
        if (this.refuseTruncate) throw Object.assign(new Error("EIO: simulated, ftruncate"), { code: "EIO" });
        return file.truncate(length);
      },
    };
  }
}

let dir: string;
let disk: FaultyDisk;
let app: EmulatorApp;
let client: ReturnType<typeof restClient>;
const errors: string[] = [];

async function openApp(folder: string, io: StorageIo = nodeStorageIo): Promise<EmulatorApp> {
  const store = await openDefaultDurableStore(folder, io);
  return buildApp(store, { logger: { info() {}, warn() {}, error: (m) => errors.push(m) } });
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "b24-storage-"));
  disk = new FaultyDisk();
  errors.length = 0;
  app = await openApp(dir, disk);
  client = restClient(app);
});
afterEach(async () => {
  await app.store.close().catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

const answer = (message: string) => ({ botId: 456, botToken: "my_bot_token", commandId: 42, messageId: 789, dialogId: "chat5", fields: { message } });
const texts = () => app.portal().messages("chat5").map((m) => m.text);
const snapshot = () => JSON.stringify(app.store.state);

function expectStorageUnavailable(reply: Reply, code: string): void {
  expect(reply.status).toBe(503);
  expect(reply.body.error).toBe("STORAGE_UNAVAILABLE");
  expect(reply.body.error_description).toMatch(new RegExp(`^Storage is unavailable, nothing was changed: Writing the log .*db\\.json\\.wal failed: ${code}`));
}

describe("a disk that refuses a write costs no acknowledged data", () => {
  it("REST: a full disk answers 503 STORAGE_UNAVAILABLE, the answer is not stored, and the log is cut back", async () => {
    expect((await client.post("/rest/1/emulator/imbot.v2.Command.answer", answer("before"))).status).toBe(200);
    const before = snapshot();
    const logBefore = await readFile(join(dir, "db.json.wal"), "utf8");

    disk.refuse = "ENOSPC";
    expectStorageUnavailable(await client.post("/rest/1/emulator/imbot.v2.Command.answer", answer("refused")), "ENOSPC");
    expect(snapshot()).toBe(before);
    expect(texts()).not.toContain("refused");
    expect(await readFile(join(dir, "db.json.wal"), "utf8")).toBe(logBefore);
    expect(errors).toEqual([expect.stringMatching(/ENOSPC.*the change was undone and answered 503 STORAGE_UNAVAILABLE/)]);

    disk.refuse = null;
    expect((await client.post("/rest/1/emulator/imbot.v2.Command.answer", answer("after"))).status).toBe(200);
    expect(texts()).toEqual(["/help", "before", "after"]);
  });

  it("batch: the whole batch is refused with 503, none of its calls is stored", async () => {
    const before = snapshot();
    disk.refuse = "EROFS";
    const reply = await client.post("/rest/1/emulator/batch", {
      cmd: {
        a: "imbot.v2.Command.answer?botId=456&botToken=my_bot_token&commandId=42&messageId=789&dialogId=chat5&fields[message]=one",
        b: "imbot.v2.Command.answer?botId=456&botToken=my_bot_token&commandId=42&messageId=789&dialogId=chat5&fields[message]=two",
      },
    });
    expectStorageUnavailable(reply, "EROFS");
    expect(snapshot()).toBe(before);
  });

  it("control API: userSays and createPortal answer 503 and change nothing; no event is queued or sent", async () => {
    const received: string[] = [];
    const handler: Server = createServer((req, res) => {
      req.on("data", (chunk: Buffer) => received.push(chunk.toString()));
      req.on("end", () => res.end("ok"));
    });
    await new Promise<void>((done) => handler.listen(0, "127.0.0.1", done));
    const hookUrl = `http://127.0.0.1:${(handler.address() as AddressInfo).port}/hook`;
    const registered = await client.post("/rest/1/emulator/imbot.v2.Bot.register", {
      fields: { code: "hooked", botToken: "hook-token", properties: { name: "Hooked" }, eventMode: "webhook", webhookUrl: hookUrl },
    });
    expect(registered.status).toBe(200);
    const botId = (registered.body.result as { bot: { id: number } }).bot.id;
    const command = { botId, botToken: "hook-token", fields: { command: "hook", title: { en: "Hook" } } };
    expect((await client.post("/rest/1/emulator/imbot.v2.Command.register", command)).status).toBe(200);
    expect((await client.call("POST", `/_emulator/portals/default/chats/chat5/members`, { userIds: [botId] })).status).toBe(200);
    await expect.poll(() => app.portal().deliveries().length).toBe(1); // JOINCHAT
    const before = snapshot();

    disk.refuse = "ENOSPC";
    expectStorageUnavailable(await client.call("POST", "/_emulator/portals/default/messages", { authorId: 1, dialogId: "chat5", text: "/hook" }), "ENOSPC");
    expectStorageUnavailable(await client.call("POST", "/_emulator/portals", { id: "refused" }), "ENOSPC");
    expectStorageUnavailable(await client.call("POST", "/_emulator/portals/default/reset"), "ENOSPC");
    expect(snapshot()).toBe(before);
    expect(app.portal().events()).toEqual([]);
    expect(app.portal().deliveries()).toHaveLength(1);
    expect((await client.call("GET", "/_emulator/portals/refused")).status).toBe(404);

    disk.refuse = null;
    const said = await client.call("POST", "/_emulator/portals/default/messages", { authorId: 1, dialogId: "chat5", text: "/hook" });
    expect(said.status).toBe(201);
    await expect.poll(() => app.portal().deliveries().length).toBe(2);
    expect(app.portal().deliveries().map((d) => d.event)).toEqual(["ONIMBOTV2JOINCHAT", "ONIMBOTV2COMMANDADD"]);
    expect(received.filter((body) => body.includes("ONIMBOTV2COMMANDADD"))).toHaveLength(1);
    await new Promise<void>((done) => handler.close(() => done()));
  });

  it("concurrent calls: every 200 is stored, every 503 is not, ids stay unique, and a crash copy loads the same", async () => {
    const post = (text: string) => client.post("/rest/1/emulator/imbot.v2.Command.answer", answer(text));
    const first = await Promise.all(Array.from({ length: 20 }, (_, i) => post(`first ${i}`)));
    disk.refuse = "ENOSPC";
    const refused = Array.from({ length: 20 }, (_, i) => post(`refused ${i}`));
    const refusedReplies = await Promise.all(refused);
    disk.refuse = null;
    const last = await Promise.all(Array.from({ length: 20 }, (_, i) => post(`last ${i}`)));
    expect([...first, ...last].every((r) => r.status === 200)).toBe(true);
    expect(refusedReplies.every((r) => r.status === 503)).toBe(true);

    const stored = texts();
    for (let i = 0; i < 20; i++) {
      expect(stored).toContain(`first ${i}`);
      expect(stored).toContain(`last ${i}`);
      expect(stored).not.toContain(`refused ${i}`);
    }
    const ids = app.portal().messages("chat5").map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);

    // As a crash would leave it, before any fold: the log replays to exactly what was acknowledged.
    cpSync(dir, `${dir}-crash`, { recursive: true });
    const { damaged } = await readWal(join(`${dir}-crash`, "db.json.wal"));
    expect(damaged).toBe(0);
    const recovered = await openApp(`${dir}-crash`);
    expect(JSON.stringify(recovered.store.state)).toBe(snapshot());
    await recovered.store.close();
    await rm(`${dir}-crash`, { recursive: true, force: true });
  });

  it("a disk that cannot even cut the torn line off keeps refusing until it can, and the log never holds a torn line in the middle", async () => {
    disk.refuse = "EIO";
    disk.refuseTruncate = true;
    expectStorageUnavailable(await client.post("/rest/1/emulator/imbot.v2.Command.answer", answer("one")), "EIO");
    disk.refuse = null;
    // The disk takes writes again, but the torn tail is still there: writing behind it would bury it.
    const blocked = await client.post("/rest/1/emulator/imbot.v2.Command.answer", answer("two"));
    expect(blocked.status).toBe(503);
    expect(blocked.body.error_description).toMatch(/EIO \(EIO: simulated, ftruncate\)/);
    disk.refuseTruncate = false;
    expect((await client.post("/rest/1/emulator/imbot.v2.Command.answer", answer("three"))).status).toBe(200);
    expect(texts()).toEqual(["/help", "three"]);
    const log = await readWal(join(dir, "db.json.wal"));
    expect(log.damaged).toBe(0);
    expect(log.records).toHaveLength(1);
  });
});
