import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildApp } from "../src/emulator.js";
import { startEmulator, type PortalHandle, type RunningEmulator } from "../src/index.js";
import { openDefaultDurableStore } from "./support/durable-store.js";
import { nodeStorageIo, type StorageIo } from "../src/store/storage-io.js";
import { httpClient } from "./support/http-client.js";
import { restClient } from "./support/rest-client.js";

/**
 * Shared files in the file store: their bytes are files under `<data file>.files/<portal>/`, never
 * in the JSON document or its log; they survive a restart, go with their portal, and a change the
 * disk refuses leaves none behind.
 */

let dir: string;
let emulator: RunningEmulator | undefined;
const warnings: string[] = [];
const logger = { info() {}, warn: (m: string) => warnings.push(m), error() {} };

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "b24-files-"));
  warnings.length = 0;
});
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
  await rm(dir, { recursive: true, force: true });
});

const start = async () => (emulator = await startEmulator({ store: "file", dataDir: dir, logger }));
const filesRoot = () => join(dir, "db.json.files");
const BOT = { botId: 456, botToken: "my_bot_token" };
const BYTES = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 37) % 256));

async function personSends(target: RunningEmulator, portal: PortalHandle, bytes = BYTES) {
  const reply = await httpClient(target.httpUrl!).call("POST", `/_emulator/portals/${portal.id}/files`, { userId: 1, dialogId: "chat5", name: "data.bin", contentBase64: bytes.toString("base64") });
  return reply;
}

async function downloaded(target: RunningEmulator, portal: PortalHandle, fileId: number): Promise<Buffer | string> {
  const base = new URL(portal.webhookUrl!).pathname;
  const reply = await httpClient(target.httpUrl!).call("POST", `${base}imbot.v2.File.download`, { ...BOT, fileId });
  if (reply.status !== 200) return String(reply.body.error);
  const res = await fetch((reply.body.result as { downloadUrl: string }).downloadUrl);
  return Buffer.from(await res.arrayBuffer());
}

const storedFile = (target: RunningEmulator, portalId: string, fileId: number) => target.app.store.state.portals[portalId]?.files?.[fileId];

describe("shared files in the file store", () => {
  it("are files beside the data file, not base64 in it, and are served byte for byte after a restart", async () => {
    const first = await start();
    const portal = await first.createPortal();
    const reply = await personSends(first, portal);
    expect(reply.status).toBe(201);
    const fileId = (reply.body.file as { id: number }).id;
    const key = storedFile(first, portal.id, fileId)!.key;
    expect(await readFile(join(filesRoot(), portal.id, key))).toEqual(BYTES);
    const base64 = BYTES.toString("base64");
    expect(await readFile(join(dir, "db.json.wal"), "utf8")).not.toContain(base64.slice(0, 200));

    await first.close();
    emulator = undefined;
    const second = await start();
    expect(await readFile(join(dir, "db.json"), "utf8")).not.toContain(base64.slice(0, 200));
    expect(await downloaded(second, portal, fileId)).toEqual(BYTES);
    expect(warnings).toEqual([]);
  });

  it("go with their portal: deleted with it, and dropped by a reset", async () => {
    const running = await start();
    const deleted = await running.createPortal();
    await personSends(running, deleted);
    const reset = await running.createPortal();
    const upload = await httpClient(running.httpUrl!).call("POST", `${new URL(reset.webhookUrl!).pathname}imbot.v2.File.upload`, {
      ...BOT,
      dialogId: "chat5",
      fields: { name: "bot.bin", content: BYTES.toString("base64") },
    });
    expect(upload.status).toBe(200);
    expect(await readdir(join(filesRoot(), deleted.id))).toHaveLength(1);
    expect(await readdir(join(filesRoot(), reset.id))).toHaveLength(1);

    const client = httpClient(running.httpUrl!);
    expect((await client.call("DELETE", `/_emulator/portals/${deleted.id}`)).status).toBe(200);
    expect((await client.call("POST", `/_emulator/portals/${reset.id}/reset`)).status).toBe(200);
    expect(existsSync(join(filesRoot(), deleted.id))).toBe(false);
    expect(existsSync(join(filesRoot(), reset.id))).toBe(false);
    expect(running.app.store.state.portals[reset.id]?.files ?? {}).toEqual({});
  });

  it("a folder that refuses the bytes answers 503 STORAGE_UNAVAILABLE and stores nothing; later writes succeed", async () => {
    const running = await start();
    const portal = await running.createPortal();
    // A plain file where the portal's folder belongs: the bytes cannot be written.
    await mkdir(filesRoot(), { recursive: true });
    await writeFile(join(filesRoot(), portal.id), "in the way");
    const before = JSON.stringify(running.app.store.state.portals[portal.id]);
    const refused = await personSends(running, portal);
    expect([refused.status, refused.body.error]).toEqual([503, "STORAGE_UNAVAILABLE"]);
    expect(refused.body.error_description).toMatch(/^Storage is unavailable, nothing was changed: Writing a shared file under /);
    expect(JSON.stringify(running.app.store.state.portals[portal.id])).toBe(before);

    await rm(join(filesRoot(), portal.id));
    const accepted = await personSends(running, portal);
    expect(accepted.status).toBe(201);
    expect(await downloaded(running, portal, (accepted.body.file as { id: number }).id)).toEqual(BYTES);
  });

  it("bytes that no stored change names (a crash between the bytes and the log) are removed at start", async () => {
    const first = await start();
    const portal = await first.createPortal();
    const kept = await personSends(first, portal);
    await first.close();
    emulator = undefined;
    await writeFile(join(filesRoot(), portal.id, "99-0123456789abcdef"), "orphan");
    await writeFile(join(filesRoot(), portal.id, ".98-feed.tmp"), "half");
    await mkdir(join(filesRoot(), "gone-portal"));
    await writeFile(join(filesRoot(), "gone-portal", "1-00"), "orphan");

    const second = await start();
    expect(await readdir(join(filesRoot(), portal.id))).toEqual([storedFile(second, portal.id, (kept.body.file as { id: number }).id)!.key]);
    expect(existsSync(join(filesRoot(), "gone-portal"))).toBe(false);
    expect(warnings).toEqual([expect.stringMatching(/^removed 3 shared file\(s\) under .*db\.json\.files that no stored change names/)]);
  });

  it("--reset keeps the old files beside the old data file", async () => {
    const first = await start();
    const portal = await first.createPortal();
    await personSends(first, portal);
    await first.close();
    emulator = undefined;
    emulator = await startEmulator({ store: "file", dataDir: dir, reset: true, logger });
    const aside = (await readdir(dir)).filter((name) => /^db\.json\.\d+\.bak\.files$/.test(name));
    expect(aside).toHaveLength(1);
    expect(await readdir(join(dir, aside[0]!, portal.id))).toHaveLength(1);
    expect(existsSync(join(filesRoot(), portal.id))).toBe(false);
  });
});

describe("a log write the disk refuses", () => {
  it("takes back the file it named: 503, no bytes left on disk, nothing to download", async () => {
    let refuse = false;
    const io: StorageIo = {
      async openLog(path, fresh) {
        const file = await nodeStorageIo.openLog(path, fresh);
        return { ...file, append: async (buffer) => (refuse ? Promise.reject(Object.assign(new Error("ENOSPC: simulated"), { code: "ENOSPC" })) : file.append(buffer)) };
      },
    };
    const store = await openDefaultDurableStore(dir, io);
    const app = buildApp(store, {});
    try {
      const client = restClient(app);
      refuse = true;
      const reply = await client.post("/rest/1/emulator/imbot.v2.File.upload", { ...BOT, dialogId: "chat5", fields: { name: "a.bin", content: BYTES.toString("base64") } });
      expect([reply.status, reply.body.error]).toEqual([503, "STORAGE_UNAVAILABLE"]);
      expect(app.store.state.portals.default!.files ?? {}).toEqual({});
      expect(await readdir(join(filesRoot(), "default")).catch(() => [])).toEqual([]);
    } finally {
      await store.close().catch(() => undefined);
    }
  });
});
