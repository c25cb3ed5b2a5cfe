import { access, copyFile, mkdir, readdir, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, extname, join } from "node:path";
import { DataFile, TextFile } from "lowdb/node";
import { applyChanges } from "./change-tracker.js";
import { lockDataFolder, type DataLock } from "./data-lock.js";
import type { State } from "./state.js";
import type { StorageIo } from "./storage-io.js";
import { DataFileError, mutateWhole, StorageFailure, type Store, type Stored } from "./store.js";
import { FileChanges } from "./file-bytes.js";
import { FileFolder } from "./file-folder.js";
import { syncPath } from "./sync-path.js";
import { readWal, WalWriter } from "./wal.js";

export interface DurableOptions {
  /** fdatasync every log write: survives power loss, not only a crashed process. */
  fsync: boolean;
  /** Fold the log into the document once it is this large. */
  compactAfterBytes: number;
  /** Where the store says what it did on its own (a stale lock taken over, an edited file kept). */
  warn?: (message: string) => void;
  /** How the log reaches the disk; tests put a failing disk here. */
  io?: StorageIo;
}

export const DEFAULT_COMPACT_AFTER_BYTES = 64 * 1024 * 1024;

/** The lowdb document: the state, and the last log record it already contains. */
type Document = State & { walSeq?: number };

/** What identifies one version of the document on disk: a hand edit changes at least one. */
interface FileStamp {
  ino: number;
  size: number;
  mtimeMs: number;
}

/**
 * The file store. lowdb's JSON document stays the store of record; each commit appends only what
 * it changed to a write-ahead log (`<file>.wal`), acknowledged once written, so a write costs the
 * size of the change, not of the data. The log is folded into the document in the background when
 * it grows, and at close. A crash at any instant leaves a document and logs that load; a write the
 * disk refuses is undone in memory and answered as a StorageFailure.
 */
class DurableStore implements Store {
  private seq: number;
  private compacting: Promise<void> | null = null;
  private closed = false;
  /** Log writes refused so far: a fold whose snapshot held a refused change must not be written. */
  private failures = 0;
  /** Settles once the latest record appended so far is written or refused. */
  private lastAppend: Promise<void> = Promise.resolve();
  /** A fold failed after switching logs: new records go to `.wal.next`, beside the old log. */
  private onNextLog = false;
  private readonly documentText: TextFile;
  private readonly warn: (message: string) => void;

  constructor(
    private readonly documentPath: string,
    private data: State,
    private wal: WalWriter,
    private readonly paths: { wal: string; next: string },
    private readonly options: DurableOptions,
    seq: number,
    private documentStamp: FileStamp | null,
    private readonly lock: DataLock,
    readonly files: FileFolder,
  ) {
    this.seq = seq;
    this.documentText = new TextFile(documentPath);
    this.warn = options.warn ?? ((message) => console.warn(`warning: ${message}`));
  }

  get state(): State {
    return this.data;
  }

  async commit<T>(mutate: (state: State, files: FileChanges) => T): Promise<Stored<T>> {
    if (this.closed) throw new Error("The store is closed");
    const files = new FileChanges();
    const { result, changes, undo } = mutateWhole(this.data, (state) => mutate(state, files));
    if (changes.length === 0) return { result, changes };
    // The bytes of shared files go to disk first and the log record that names them waits for them:
    // a crash between the two leaves bytes nobody names (swept at the next start), never a name without bytes.
    const bytesWritten = files.added.length > 0 ? this.files.write(files.added) : undefined;
    bytesWritten?.catch(() => undefined);
    const written = this.wal.append(
      { seq: ++this.seq, changes },
      () => {
        undo();
        this.failures++;
      },
      bytesWritten,
    );
    this.lastAppend = written.catch(() => undefined);
    try {
      await written;
    } catch (error) {
      if (files.added.length > 0) await this.files.remove(files.added).catch(() => undefined);
      throw error;
    }
    if (files.removed.length > 0) {
      await this.files.remove(files.removed).catch((error: unknown) => this.warn(`removing shared files failed (${(error as Error).message}); they go at the next start`));
    }
    this.foldIfLarge();
    return { result, changes };
  }

  /** Folds in the background once the log is large, and again if it grew past the mark meanwhile. */
  private foldIfLarge(): void {
    if (this.closed || this.compacting || this.wal.bytes < this.options.compactAfterBytes) return;
    this.compact().then(
      () => this.foldIfLarge(),
      // A failed fold loses nothing (the logs still hold every change); it is retried at the next commit.
      (error: unknown) => console.error(`b24-emulator: folding the log failed: ${(error as Error).message}`),
    );
  }

  /** Writes the whole state as the new document and starts an empty log. */
  compact(): Promise<void> {
    this.compacting ??= this.fold().finally(() => (this.compacting = null));
    return this.compacting;
  }

  private async fold(): Promise<void> {
    const failuresBefore = this.failures;
    let old: WalWriter | null = null;
    if (!this.onNextLog) {
      const next = await WalWriter.open(this.paths.next, this.options.fsync, true, this.options.io);
      old = this.wal;
      this.wal = next;
      this.onNextLog = true;
    }
    // From the switch to here nothing awaits: the snapshot is exactly the state up to `seq`, and
    // every later commit goes to the new log.
    const snapshot = JSON.stringify({ ...this.data, walSeq: this.seq });
    const settled = this.lastAppend;
    if (old) await old.close();
    await settled;
    if (this.failures !== failuresBefore) {
      throw new StorageFailure(new Error("a log write was refused meanwhile"), "Folding the log");
    }
    await this.writeDocument(snapshot);
    await rm(this.paths.wal, { force: true });
    await rename(this.paths.next, this.paths.wal);
    this.onNextLog = false;
  }

  /**
   * Replaces the document, first setting aside a version someone edited on disk since the store
   * last read or wrote it: both are kept, and the warning says where.
   */
  private async writeDocument(text: string): Promise<void> {
    const onDisk = await stampOf(this.documentPath);
    if (onDisk && this.documentStamp && !sameStamp(onDisk, this.documentStamp)) {
      const aside = editedCopyPath(this.documentPath);
      await copyFile(this.documentPath, aside);
      this.warn(`${this.documentPath} was changed on disk while the emulator ran; kept that version as ${aside} and wrote the emulator's state`);
    }
    try {
      await this.documentText.write(text);
    } catch (error) {
      // A full disk leaves lowdb's half-written temporary file behind; it only takes space.
      await rm(join(dirname(this.documentPath), `.${basename(this.documentPath)}.tmp`), { force: true });
      throw error;
    }
    if (this.options.fsync) await syncDocument(this.documentPath);
    this.documentStamp = await stampOf(this.documentPath);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    try {
      await this.compacting?.catch(() => undefined);
      await this.compact();
    } finally {
      this.closed = true;
      await this.wal.close().catch(() => undefined);
      await this.lock.release();
    }
  }
}

async function stampOf(path: string): Promise<FileStamp | null> {
  try {
    const { ino, size, mtimeMs } = await stat(path);
    return { ino, size, mtimeMs };
  } catch {
    return null;
  }
}

function sameStamp(a: FileStamp, b: FileStamp): boolean {
  return a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs;
}

/** `db.json` -> `db.edited-2026-05-14T10-26-32-123Z.json`, beside it. */
function editedCopyPath(path: string): string {
  const extension = extname(path);
  const stem = basename(path, extension);
  const time = new Date().toISOString().replace(/[:.]/g, "-");
  return join(dirname(path), `${stem}.edited-${time}${extension}`);
}

/** With --fsync, the new document and its folder entry reach the disk before the log is dropped. */
async function syncDocument(path: string): Promise<void> {
  for (const target of [path, dirname(path)]) await syncPath(target);
}

/**
 * Opens (or seeds) the document and replays its logs, holding the data folder's lock from before
 * the first read to close. A document or log that cannot be read stops start-up with a message;
 * nothing is overwritten.
 */
export async function openDurableStore(
  path: string,
  seed: () => State,
  options: DurableOptions & { reset: boolean },
): Promise<{ store: Store; seeded: boolean }> {
  await mkdir(dirname(path), { recursive: true });
  const warn = options.warn ?? ((message: string) => console.warn(`warning: ${message}`));
  const lock = await lockDataFolder(dirname(path), warn);
  try {
    return await openLocked(path, seed, { ...options, warn }, lock);
  } catch (error) {
    await lock.release();
    throw error;
  }
}

async function openLocked(
  path: string,
  seed: () => State,
  options: DurableOptions & { reset: boolean; warn: (message: string) => void },
  lock: DataLock,
): Promise<{ store: Store; seeded: boolean }> {
  const paths = { wal: `${path}.wal`, next: `${path}.wal.next` };
  const files = new FileFolder(`${path}.files`, options.fsync);
  const document = new DataFile<Document>(path, { parse: JSON.parse, stringify: (d) => JSON.stringify(d) });
  const exists = (p: string) => access(p).then(() => true, () => false);
  const openLog = () => WalWriter.open(paths.wal, options.fsync, false, options.io);

  if (options.reset && (await exists(path))) {
    // A reset never destroys data outright: the old file stays beside the new one.
    const backup = `${path}.${Date.now()}.bak`;
    await rename(path, backup);
    for (const log of [paths.wal, paths.next, files.root]) if (await exists(log)) await rename(log, `${backup}${log.slice(path.length)}`);
  }

  if (!(await exists(path))) {
    const state = seed();
    await rm(paths.wal, { force: true });
    await rm(paths.next, { force: true });
    await document.write({ ...state, walSeq: 0 });
    await files.sweep(state);
    const store = new DurableStore(path, state, await openLog(), paths, options, 0, await stampOf(path), lock, files);
    return { store, seeded: true };
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
  const damagedLogs: string[] = [];
  for (const log of [paths.wal, paths.next]) {
    let contents;
    try {
      contents = await readWal(log);
    } catch (error) {
      throw new DataFileError(`Cannot replay ${log}: ${(error as Error).message}. ${await recoveryHint(path)}`);
    }
    if (contents.damaged > 0) damagedLogs.push(log);
    for (const record of contents.records) {
      if (record.seq <= seq) continue;
      applyChanges(loaded as unknown as Record<string, unknown>, record.changes);
      seq = record.seq;
      replayed++;
    }
  }
  for (const log of damagedLogs) {
    // The log is folded away below; the damaged original stays for whoever wants to look.
    const copy = `${log}.damaged-${Date.now()}`;
    await copyFile(log, copy);
    options.warn(`${log} had damaged lines; loaded every whole record and kept the original as ${copy}`);
  }
  const { walSeq: _, ...state } = loaded;
  if (replayed > 0 || damagedLogs.length > 0 || (await exists(paths.next))) {
    // Recovery: the replayed state becomes the document before either log is touched, so a crash
    // during recovery leaves what was there, and the next start replays it again.
    await document.write({ ...state, walSeq: seq });
    if (options.fsync) await syncDocument(path);
    await rm(paths.wal, { force: true });
    await rm(paths.next, { force: true });
  }
  const swept = await files.sweep(state);
  if (swept > 0) options.warn(`removed ${swept} shared file(s) under ${files.root} that no stored change names (left by a failed or interrupted change)`);
  const store = new DurableStore(path, state, await openLog(), paths, options, seq, await stampOf(path), lock, files);
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
