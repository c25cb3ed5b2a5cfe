import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { loadFixtureFile, portalFromFixture } from "../src/store/fixture.js";
import { appendMessage } from "../src/store/messages.js";
import { randomSource } from "../src/random/random-source.js";
import { stateOf } from "../src/store/store.js";


/** Writes a data dir whose default portal already holds `count` messages, as a long demo would. */
export async function seedDataDir(dir: string, count: number): Promise<void> {
  const now = new Date();
  const portal = portalFromFixture(await loadFixtureFile(join(process.cwd(), "fixtures", "default.json")), now, randomSource());
  for (let i = 0; i < count; i++) {
    appendMessage(
      portal,
      { chatId: 5, authorId: i % 2 === 0 ? 1 : 456, text: `stored message number ${i} with some ordinary chat text`, isSystem: false, urlPreview: true, attach: null, keyboard: null },
      now,
    );
  }
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "db.json"), JSON.stringify({ ...stateOf([portal]), walSeq: 0 }));
}
