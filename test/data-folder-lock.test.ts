import { spawn } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startEmulator } from "../src/index.js";
import { runCli, startCli } from "./support/cli-process.js";

const answer = (message: string) => ({ botId: 456, botToken: "my_bot_token", commandId: 42, messageId: 789, dialogId: "chat5", fields: { message } });

async function post(url: string, body: unknown): Promise<number> {
  const res = await fetch(`${url}/rest/1/emulator/imbot.v2.Command.answer`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  await res.arrayBuffer();
  return res.status;
}

async function storedTexts(url: string): Promise<string[]> {
  const res = await fetch(`${url}/_emulator/portals/default/chats/chat5/messages`);
  return ((await res.json()) as { messages: { text: string }[] }).messages.map((m) => m.text);
}

/** The PID of a process that has already exited: what a crashed emulator leaves in its LOCK. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""]);
  await new Promise((done) => child.once("exit", done));
  return child.pid as number;
}

/** Size, inode and modification time: any write or replacement changes one of them. */
async function fingerprint(path: string): Promise<string> {
  const { size, ino, mtimeMs } = await stat(path);
  return `${size}:${ino}:${mtimeMs}:${await readFile(path, "utf8")}`;
}

let dir: string;
let data: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "b24-lock-"));
  data = join(dir, ".emulator");
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("one process per data folder", () => {
  it("a second CLI on the same folder exits 1 in one line naming the folder and the holder, touching nothing", async () => {
    const first = await startCli(["--port", "0"], dir);
    expect(await post(first.httpUrl, answer("before the second start"))).toBe(200);
    const files = ["db.json", "db.json.wal", "LOCK"];
    const before = await Promise.all(files.map((f) => fingerprint(join(data, f))));

    // The reported case: the same port too, so the start would also fail on "port in use".
    const port = new URL(first.httpUrl).port;
    const second = await runCli(["--port", port], dir);
    expect(second.code).toBe(1);
    expect(second.output.trim().split("\n")).toHaveLength(1);
    expect(second.output).toContain(`Data folder ${data} is in use by process ${first.child.pid}`);
    expect(await Promise.all(files.map((f) => fingerprint(join(data, f))))).toEqual(before);

    // The first one still owns its log: what it acknowledges now survives a crash.
    expect(await post(first.httpUrl, answer("after the second start"))).toBe(200);
    first.child.kill("SIGKILL");
    await new Promise((done) => first.child.once("exit", done));
    const restarted = await startCli(["--port", "0"], dir);
    expect(await storedTexts(restarted.httpUrl)).toEqual(expect.arrayContaining(["before the second start", "after the second start"]));
    expect(await restarted.stop()).toBe(0);
  });

  it("a lock left by a process that no longer runs is taken over with a warning, and released on a clean stop", async () => {
    const stale = await deadPid();
    await mkdir(data, { recursive: true });
    await writeFile(join(data, "LOCK"), `${stale}\n`);
    const cli = await startCli(["--port", "0"], dir);
    expect(cli.output()).toContain(`${join(data, "LOCK")} was left by process ${stale}, which no longer holds it; taking the data folder over`);
    expect((await readFile(join(data, "LOCK"), "utf8")).trim()).toBe(String(cli.child.pid));
    expect(await post(cli.httpUrl, answer("in a taken-over folder"))).toBe(200);
    expect(await cli.stop()).toBe(0);
    await expect(stat(join(data, "LOCK"))).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("two emulators in one process: the second start is refused the same way", async () => {
    const first = await startEmulator({ store: "file", dataDir: data });
    await expect(startEmulator({ store: "file", dataDir: data })).rejects.toThrow(`Data folder ${data} is in use by process ${process.pid}`);
    await first.close();
    const again = await startEmulator({ store: "file", dataDir: data });
    await again.close();
  });
});
