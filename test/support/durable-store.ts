import { join } from "node:path";
import { openDurableStore } from "../../src/store/durable-store.js";
import { parseFixture, portalFromFixture } from "../../src/store/fixture.js";
import { randomSource } from "../../src/random/random-source.js";
import type { StorageIo } from "../../src/store/storage-io.js";
import { stateOf, type Store } from "../../src/store/store.js";
import { defaultFixture } from "./fixtures.js";

/** The file store at `<folder>/db.json` holding the default portal, over `io` (a disk a test can make refuse). */
export async function openDefaultDurableStore(folder: string, io: StorageIo): Promise<Store> {
  const fixture = parseFixture(defaultFixture(), "default");
  const { store } = await openDurableStore(join(folder, "db.json"), () => stateOf([portalFromFixture(fixture, new Date(), randomSource())]), {
    fsync: false,
    compactAfterBytes: 64 * 1024 * 1024,
    reset: false,
    io,
  });
  return store;
}
