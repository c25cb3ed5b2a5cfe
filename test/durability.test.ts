import { cpSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startEmulator } from "../src/index.js";
import { startCli } from "./support/cli-process.js";
import { docAnswerParams } from "./support/fixtures.js";

const answer = docAnswerParams;

async function post(base: string, body: unknown): Promise<number> {
  const res = await fetch(`${base}/rest/1/emulator/imbot.v2.Command.answer`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  await res.arrayBuffer();
  return res.status;
}

async function storedTexts(base: string): Promise<string[]> {
  const res = await fetch(`${base}/_emulator/portals/default/chats/chat5/messages`);
  const body = (await res.json()) as { messages: { text: string }[] };
  return body.messages.map((m) => m.text);
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "b24-durable-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("an acknowledged answer survives the process being killed", () => {
  it("SIGKILL during concurrent answers: every 2xx is there after restart, and the data loads", async () => {
    for (let round = 0; round < 3; round++) {
      const cli = await startCli(["--port", "0"], dir);
      const acknowledged: string[] = [];
      let sent = 0;
      const worker = async () => {
        for (;;) {
          const text = `round ${round} answer ${sent++}`;
          try {
            if ((await post(cli.httpUrl, answer(text))) === 200) acknowledged.push(text);
          } catch {
            return; // the server is gone
          }
        }
      };
      const workers = Array.from({ length: 8 }, worker);
      while (acknowledged.length < 40 + round * 25) await new Promise((r) => setTimeout(r, 5));
      cli.child.kill("SIGKILL");
      await Promise.all(workers);

      const restarted = await startCli(["--port", "0"], dir);
      const texts = new Set(await storedTexts(restarted.httpUrl));
      expect(acknowledged.filter((t) => !texts.has(t))).toEqual([]);
      await restarted.stop();
    }
  });
});

describe("concurrent writers", () => {
  it("all land exactly once with unique ids, and stay so after a restart", async () => {
    const options = { store: "file" as const, dataDir: dir };
    const first = await startEmulator(options);
    const portal = first.portal();
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => portal.userSays({ authorId: 1, dialogId: "chat5", text: `message ${i}` })),
    );
    const ids = results.map((r) => (r.message as { id: number }).id);
    expect(new Set(ids).size).toBe(200);
    const statuses = await Promise.all(Array.from({ length: 100 }, (_, i) => post(first.httpUrl!, answer(`answer ${i}`))));
    expect(statuses.every((s) => s === 200)).toBe(true);
    await first.close();

    const second = await startEmulator(options);
    const messages = second.portal().messages("chat5") as { id: number; text: string }[];
    for (let i = 0; i < 200; i++) expect(messages.filter((m) => m.text === `message ${i}`)).toHaveLength(1);
    for (let i = 0; i < 100; i++) expect(messages.filter((m) => m.text === `answer ${i}`)).toHaveLength(1);
    expect(new Set(messages.map((m) => m.id)).size).toBe(messages.length);
    await second.close();
  });

  it("queued fetch events come back after a crash-free restart and after a replay", async () => {
    const first = await startEmulator({ store: "file", dataDir: dir });
    for (let i = 0; i < 5; i++) await first.portal().userSays({ authorId: 1, dialogId: "chat5", text: `/help ${i}` });
    const queued = first.portal().events(456).map((e) => e.eventId);
    expect(queued).toHaveLength(5);
    // Copy the files as they are mid-run (document + log, not yet folded), as a crash would leave them.
    cpSync(dir, `${dir}-crashed`, { recursive: true });
    await first.close();

    const replayed = await startEmulator({ store: "file", dataDir: `${dir}-crashed` });
    expect(replayed.portal().events(456).map((e) => e.eventId)).toEqual(queued);
    await replayed.close();
    await rm(`${dir}-crashed`, { recursive: true, force: true });
  });

  it("folds the log into the lowdb document at close and when it grows", async () => {
    const first = await startEmulator({ store: "file", dataDir: dir, compactAfterBytes: 2_000 });
    for (let i = 0; i < 30; i++) await first.portal().userSays({ authorId: 1, dialogId: "chat5", text: `entry ${i}` });
    // Before close: 30 changes of 100+ bytes pass 2,000 bytes, so the log was folded while running
    // (how many times depends on the size of each change, which other work keeps shrinking).
    await expect.poll(async () => readFile(join(dir, "db.json"), "utf8"), { timeout: 3000 }).toContain("entry 0");
    await first.close();
    const document = JSON.parse(await readFile(join(dir, "db.json"), "utf8")) as { portals: { default: { messages: Record<string, { text: string }> } } };
    expect(Object.values(document.portals.default.messages).map((m) => m.text)).toContain("entry 29");
    expect(await readFile(join(dir, "db.json.wal"), "utf8")).toBe("");
  });

  it("drops a torn last log line (never acknowledged)", async () => {
    const first = await startEmulator({ store: "file", dataDir: dir });
    await first.portal().userSays({ authorId: 1, dialogId: "chat5", text: "kept" });
    await first.close();
    const wal = join(dir, "db.json.wal");
    const good = JSON.stringify({ seq: 99, changes: [{ path: ["portals", "default", "language"], value: "de" }] });
    await writeFile(wal, `${good}\n{"seq":100,"changes":[{"pa`);
    const second = await startEmulator({ store: "file", dataDir: dir });
    expect(second.app.store.state.portals.default!.language).toBe("de");
    await second.close();
  });

  it("loads every whole record around a torn line in the middle of the log, and keeps the damaged log aside", async () => {
    const first = await startEmulator({ store: "file", dataDir: dir });
    await first.close();
    const wal = join(dir, "db.json.wal");
    const record = (seq: number, language: string) =>
      JSON.stringify({ seq, changes: [{ path: ["portals", "default", "language"], value: language }] });
    const title = JSON.stringify({ seq: 3, changes: [{ path: ["portals", "default", "domain"], value: "after.example" }] });
    // An older version appended behind a torn write: record 2 is glued to the torn part of record 1.
    await writeFile(wal, `${record(1, "de")}\n{"seq":9,"changes":[{"pa${record(2, "fr")}\n{"broken\n${title}\n`);
    const warnings: string[] = [];
    const logger = { info() {}, warn: (m: string) => warnings.push(m), error() {} };
    const second = await startEmulator({ store: "file", dataDir: dir, logger });
    expect(second.app.store.state.portals.default!.language).toBe("fr");
    expect(second.app.store.state.portals.default!.domain).toBe("after.example");
    expect(warnings).toEqual([expect.stringMatching(/db\.json\.wal had damaged lines; loaded every whole record and kept the original as .*db\.json\.wal\.damaged-\d+/)]);
    await second.close();
    const kept = (await readdir(dir)).filter((f) => f.startsWith("db.json.wal.damaged-"));
    expect(kept).toHaveLength(1);
    expect(await readFile(join(dir, kept[0]!), "utf8")).toContain('{"broken');
  });
});

describe("the file store answers exactly like the memory store", () => {
  it("a batch whose calls reference earlier results (read inside a commit)", async () => {
    const cmd = {
      a: "imbot.v2.Bot.get?botId=456&botToken=my_bot_token",
      b: "imbot.v2.Chat.get?botId=456&botToken=my_bot_token&dialogId=chat5",
      c: "imbot.v2.Chat.User.add?botId=456&botToken=my_bot_token&dialogId=chat5&userIds=$result[b][chat][managerList]",
      d: "imbot.v2.Bot.get?botId=456&botToken=my_bot_token&code=$result[a][users][0][departments]",
    };
    const answers: unknown[] = [];
    for (const store of ["memory", "file"] as const) {
      // One frozen instant for both runs: the answers carry dates, which a second boundary would split.
      const emulator = await startEmulator({ store, dataDir: join(dir, store), clockMode: "frozen", clockStart: "2026-05-01T10:00:00Z" });
      const res = await fetch(`${emulator.webhookUrl}batch`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ cmd }),
      });
      const body = (await res.json()) as { result: { result: unknown; result_error: unknown } };
      answers.push({ status: res.status, result: body.result.result, errors: body.result.result_error });
      await emulator.close();
    }
    expect(answers[1]).toEqual(answers[0]);
  });

  it("a refused call appends nothing to the log", async () => {
    const emulator = await startEmulator({ store: "file", dataDir: dir });
    const wal = join(dir, "db.json.wal");
    const before = await readFile(wal, "utf8");
    for (const body of [{ botId: 456, botToken: "wrong" }, { botId: 999, botToken: "my_bot_token" }, { commandId: 4242 }]) {
      expect((await post(emulator.httpUrl!, { ...answer("x"), ...body })).toString()).toMatch(/^4/);
    }
    expect(await readFile(wal, "utf8")).toBe(before);
    await emulator.close();
  });
});
