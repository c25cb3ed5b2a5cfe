import { access, mkdir, open, readdir, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { DataFile } from "lowdb/node";
import { applyChanges, trackChanges } from "./change-tracker.js";
import type { State } from "./state.js";
import { DataFileError, type Store } from "./store.js";
import { readWal, WalWriter } from "./wal.js";

export interface DurableOptions {
  /** fdatasync every log write: survives power loss, not only a crashed process. */
  fsync: boolean;
  /** Fold the log into the document once it is this large. */
  compactAfterBytes: number;
}

export const DEFAULT_COMPACT_AFTER_BYTES = 64 * 1024 * 1024;

/** The lowdb document: the state, and the last log record it already contains. */
type Document = State & { walSeq?: number };

/**
 * The file store. lowdb's JSON document stays the store of record; each commit appends only what
 * it changed to a write-ahead log (`<file>.wal`), acknowledged once written, so a write costs the
 * size of the change, not of the data. The log is folded into the document in the background when
 * it grows, and at close. A crash at any instant leaves a document and logs that load.
 */
class DurableStore implements Store {
  private seq: number;
  private compacting: Promise<void> | null = null;
  private closed = false;

  constructor(
    private readonly documentPath: string,
    private readonly document: DataFile<Document>,
    private data: State,
    private wal: WalWriter,
    private readonly paths: { wal: string; next: string },
    private readonly options: DurableOptions,
    seq: number,
  ) {
    this.seq = seq;
  }

  get state(): State {
    return this.data;
  }

  async commit<T>(mutate: (state: State) => T): Promise<T> {
    if (this.closed) throw new Error("The store is closed");
    const tracker = trackChanges(this.data);
    const result = mutate(tracker.proxy);
    const changes = tracker.changes();
    if (changes.length > 0) {
      await this.wal.append({ seq: ++this.seq, changes });
      if (this.wal.bytes >= this.options.compactAfterBytes) {
        // A failed fold loses nothing (the log still holds every change); it is retried at the next trigger.
        this.compact().catch((error: unknown) => console.error(`b24-emulator: folding the log failed: ${(error as Error).message}`));
      }
    }
    return result;
  }

  /** Writes the whole state as the new document and starts an empty log. */
  compact(): Promise<void> {
    this.compacting ??= this.fold().finally(() => (this.compacting = null));
    return this.compacting;
  }

  private async fold(): Promise<void> {
    const next = await WalWriter.open(this.paths.next, this.options.fsync, true);
    // From here to the swap nothing awaits: the document taken is exactly the state up to `seq`,
    // and every later commit goes to the new log.
    const old = this.wal;
    this.wal = next;
    const written = this.document.write({ ...this.data, walSeq: this.seq });
    await old.close();
    await written;
    if (this.options.fsync) await syncDocument(this.documentPath);
    await rm(this.paths.wal, { force: true });
    await rename(this.paths.next, this.paths.wal);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.compacting;
    await this.compact();
    this.closed = true;
    await this.wal.close();
  }
}

/** With --fsync, the new document and its folder entry reach the disk before the log is dropped. */
async function syncDocument(path: string): Promise<void> {
  for (const target of [path, dirname(path)]) {
    const handle = await open(target, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
}

/**
 * Opens (or seeds) the document and replays its logs. A document or log that cannot be read stops
 * start-up with a message; nothing is overwritten.
 */
export async function openDurableStore(
  path: string,
  seed: () => State,
  options: DurableOptions & { reset: boolean },
): Promise<{ store: Store; seeded: boolean }> {
  await mkdir(dirname(path), { recursive: true });
  const paths = { wal: `${path}.wal`, next: `${path}.wal.next` };
  const document = new DataFile<Document>(path, { parse: JSON.parse, stringify: (d) => JSON.stringify(d) });
  const exists = (p: string) => access(p).then(() => true, () => false);

  if (options.reset && (await exists(path))) {
    // A reset never destroys data outright: the old file stays beside the new one.
    const backup = `${path}.${Date.now()}.bak`;
    await rename(path, backup);
    for (const log of [paths.wal, paths.next]) if (await exists(log)) await rename(log, `${backup}${log.slice(path.length)}`);
  }

  if (!(await exists(path))) {
    const state = seed();
    await rm(paths.wal, { force: true });
    await rm(paths.next, { force: true });
    await document.write({ ...state, walSeq: 0 });
    return { store: new DurableStore(path, document, state, await WalWriter.open(paths.wal, options.fsync), paths, options, 0), seeded: true };
  }

  let loaded: Document | null;
  try {
    loaded = await document.read();
  } catch (error) {
    throw new DataFileError(`Cannot load data file ${path}: ${(error as Error).message}. ${await recoveryHint(path)}`);
  }
  if (!loaded || loaded.schemaVersion !== 1 || typeof loaded.portals !== "object" || loaded.portals === null) {
    throw new DataFileError(`Data file ${path} is not an emulator data file (schemaVersion 1 with portals); move it away or pass --reset`);
  }

  let seq = loaded.walSeq ?? 0;
  let replayed = 0;
  for (const log of [paths.wal, paths.next]) {
    let records;
    try {
      records = await readWal(log);
    } catch (error) {
      throw new DataFileError(`Cannot replay ${log}: ${(error as Error).message}. ${await recoveryHint(path)}`);
    }
    for (const record of records) {
      if (record.seq <= seq) continue;
      applyChanges(loaded as unknown as Record<string, unknown>, record.changes);
      seq = record.seq;
      replayed++;
    }
  }
  const { walSeq: _, ...state } = loaded;
  if (replayed > 0 || (await exists(paths.next))) {
    // Recovery: the replayed state becomes the document before either log is touched, so a crash
    // during recovery leaves what was there, and the next start replays it again.
    await document.write({ ...state, walSeq: seq });
    if (options.fsync) await syncDocument(path);
    await rm(paths.wal, { force: true });
    await rm(paths.next, { force: true });
  }
  const store = new DurableStore(path, document, state, await WalWriter.open(paths.wal, options.fsync), paths, options, seq);
  return { store, seeded: false };
}

/** What to do about a damaged data file, with the newest copy a reset kept, if there is one. */
async function recoveryHint(path: string): Promise<string> {
  const name = basename(path);
  const backups = (await readdir(dirname(path)).catch(() => [] as string[]))
    .map((file) => ({ file, time: Number(/^\.(\d+)\.bak$/.exec(file.slice(name.length))?.[1]) }))
    .filter(({ file, time }) => file.startsWith(name) && Number.isFinite(time))
    .sort((a, b) => b.time - a.time);
  const newest = backups[0] ? `; the copy the last reset kept is ${join(dirname(path), backups[0].file)}` : "";
  return `It is left as it is: start with --reset to move it aside (as ${name}.<time>.bak) and begin again from the fixture${newest}`;
}
