import { execFileSync } from "node:child_process";
import { cpSync } from "node:fs";
import { mkdtemp, open, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../src/index.js";

/** A real full disk: a 1 MiB tmpfs, where mounting is allowed (root in a container that permits it). */
function mountTmpfs(): { dir: string; reason: null } | { dir: null; reason: string } {
  const dir = execFileSync("mktemp", ["-d", join(tmpdir(), "b24-tmpfs-XXXXXX")], { encoding: "utf8" }).trim();
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", dir], { stdio: "pipe" });
    return { dir, reason: null };
  } catch (error) {
    execFileSync("rmdir", [dir]);
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    return { dir: null, reason: stderr || (error as Error).message };
  }
}

const tmpfs = mountTmpfs();
if (tmpfs.reason !== null) console.warn(`storage-full-disk: skipped, mount -t tmpfs is not permitted here (${tmpfs.reason})`);

const answer = (message: string) => ({ botId: 456, botToken: "my_bot_token", commandId: 42, messageId: 789, dialogId: "chat5", fields: { message } });

async function post(url: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${url}/rest/1/emulator/imbot.v2.Command.answer`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Takes every free byte of the file system, as another program filling the disk would. */
async function fill(path: string): Promise<void> {
  const handle = await open(path, "w");
  try {
    for (const size of [65536, 4096, 1]) {
      const chunk = Buffer.alloc(size, 120);
      for (;;) {
        try {
          await handle.write(chunk);
        } catch {
          break;
        }
      }
    }
  } finally {
    await handle.close();
  }
}

describe.skipIf(tmpfs.dir === null)("a real file system that fills up (tmpfs)", () => {
  const dataDir = join(tmpfs.dir ?? "", "data");
  const filler = join(tmpfs.dir ?? "", "filler");
  let emulator: RunningEmulator;
  const errors: string[] = [];

  beforeAll(async () => {
    emulator = await startEmulator({ store: "file", dataDir, logger: { info() {}, warn() {}, error: (m) => errors.push(m) } });
  });
  afterAll(async () => {
    await emulator?.close().catch(() => undefined);
    if (tmpfs.dir) {
      execFileSync("umount", [tmpfs.dir]);
      await rm(tmpfs.dir, { recursive: true, force: true });
    }
  });

  it("answers 503 STORAGE_UNAVAILABLE (ENOSPC) once the disk is full, keeps every acknowledged answer, and writes again when space returns", async () => {
    const url = emulator.httpUrl as string;
    const acknowledged: string[] = [];
    expect((await post(url, answer("with room"))).status).toBe(200);
    acknowledged.push("with room");
    await fill(filler);

    // The log's last page may still have room for a few records; then the disk refuses.
    let refused: { status: number; body: Record<string, unknown> } | undefined;
    const refusedTexts: string[] = [];
    for (let i = 0; i < 200 && !refused; i++) {
      const text = `while full ${i} ${"x".repeat(200)}`;
      const reply = await post(url, answer(text));
      if (reply.status === 200) acknowledged.push(text);
      else {
        refused = reply;
        refusedTexts.push(text);
      }
    }
    expect(refused?.status).toBe(503);
    expect(refused?.body.error).toBe("STORAGE_UNAVAILABLE");
    expect(refused?.body.error_description).toMatch(/^Storage is unavailable, nothing was changed: Writing the log .*db\.json\.wal failed: ENOSPC/);
    expect(errors.some((line) => line.includes("ENOSPC"))).toBe(true);
    const stored = emulator.portal().messages("chat5").map((m) => m.text);
    expect(stored).toEqual(expect.arrayContaining(acknowledged));
    expect(stored).not.toContain(refusedTexts[0]);

    // As a crash would leave the folder right now: it loads, with exactly what was acknowledged.
    const copy = await mkdtemp(join(tmpdir(), "b24-full-copy-"));
    cpSync(dataDir, copy, { recursive: true });
    const crashed = await startEmulator({ store: "file", dataDir: copy });
    const recovered = crashed.portal().messages("chat5").map((m) => m.text);
    expect(recovered).toEqual(expect.arrayContaining(acknowledged));
    expect(recovered).not.toContain(refusedTexts[0]);
    await crashed.close();
    await rm(copy, { recursive: true, force: true });

    await rm(filler);
    expect((await post(url, answer("space is back"))).status).toBe(200);
    await emulator.close();
    const restarted = await startEmulator({ store: "file", dataDir });
    expect(restarted.portal().messages("chat5").map((m) => m.text)).toEqual(expect.arrayContaining([...acknowledged, "space is back"]));
    await restarted.close();
  });
});
