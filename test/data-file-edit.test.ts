import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, type Logger } from "../src/index.js";

let dir: string;
let warnings: string[];
let logger: Logger;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "b24-edit-"));
  warnings = [];
  logger = { info() {}, warn: (m) => warnings.push(m), error() {} };
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

type Document = { portals: { default: { language: string; messages: Record<string, { text: string }> } } };
const readDocument = async (path: string) => JSON.parse(await readFile(path, "utf8")) as Document;
const editedCopies = async () => (await readdir(dir)).filter((f) => /^db\.edited-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z\.json$/.test(f));

/**
 * Resolves once the file system stamps a new write later than `path`'s last one. The emulator spots
 * a hand edit by size and modification time; an edit of the same size made within the same clock
 * tick of a kernel with coarse file times (1-10 ms, before Linux 6.13) carries the same stamp, and
 * this test's edit comes 2-30 ms after the emulator's write. A person's edit always comes later.
 */
async function fileClockPassed(path: string): Promise<void> {
  const written = (await stat(path)).mtimeMs;
  const probe = join(dirname(path), "file-clock-probe");
  for (;;) {
    await writeFile(probe, "");
    if ((await stat(probe)).mtimeMs > written) break;
  }
  await rm(probe);
}

describe("a data file edited by hand while the emulator runs", () => {
  it("is kept as a named copy at shutdown, beside the emulator's state, with one line saying so", async () => {
    const emulator = await startEmulator({ store: "file", dataDir: dir, logger });
    await emulator.portal().userSays({ authorId: 1, dialogId: "chat5", text: "said while running" });
    const file = join(dir, "db.json");
    await fileClockPassed(file);
    const edited = await readDocument(file);
    edited.portals.default.language = "de";
    await writeFile(file, JSON.stringify(edited));

    await emulator.close();
    const copies = await editedCopies();
    expect(copies).toHaveLength(1);
    expect(warnings).toEqual([
      `${file} was changed on disk while the emulator ran; kept that version as ${join(dir, copies[0]!)} and wrote the emulator's state`,
    ]);
    expect((await readDocument(join(dir, copies[0]!))).portals.default.language).toBe("de");
    const written = await readDocument(file);
    expect(written.portals.default.language).toBe("en");
    expect(Object.values(written.portals.default.messages).map((m) => m.text)).toContain("said while running");
  });

  it("is kept when a fold while running would replace it", async () => {
    const emulator = await startEmulator({ store: "file", dataDir: dir, logger, compactAfterBytes: 1 });
    const file = join(dir, "db.json");
    await writeFile(file, JSON.stringify({ schemaVersion: 1, portals: {}, note: "by hand" }));
    await emulator.portal().userSays({ authorId: 1, dialogId: "chat5", text: "folds the log" });
    await expect.poll(editedCopies).toHaveLength(1);
    expect(JSON.parse(await readFile(join(dir, (await editedCopies())[0]!), "utf8"))).toMatchObject({ note: "by hand" });
    await emulator.close();
    expect(warnings).toHaveLength(1);
    expect(Object.values((await readDocument(file)).portals.default.messages).map((m) => m.text)).toContain("folds the log");
  });

  it("a file nobody touched is folded without a copy or a warning", async () => {
    const emulator = await startEmulator({ store: "file", dataDir: dir, logger, compactAfterBytes: 1 });
    for (let i = 0; i < 5; i++) await emulator.portal().userSays({ authorId: 1, dialogId: "chat5", text: `untouched ${i}` });
    await emulator.close();
    const again = await startEmulator({ store: "file", dataDir: dir, logger });
    await again.close();
    expect(await editedCopies()).toEqual([]);
    expect(warnings).toEqual([]);
  });
});
