import { readFile } from "node:fs/promises";
import type { Change } from "./change-tracker.js";
import { nodeStorageIo, type LogFile, type StorageIo } from "./storage-io.js";
import { StorageFailure } from "./store.js";

/** One committed mutation in the write-ahead log: a JSON line. */
export interface WalRecord {
  seq: number;
  changes: Change[];
}

interface Pending {
  line: string;
  done: () => void;
  fail: (error: unknown) => void;
  undo: () => void;
  /** What must be on disk before the record is written: the bytes of the files it names. */
  ready?: Promise<void>;
}

/**
 * Appends records to the write-ahead log. Records that arrive while a write is under way are
 * written together by the next one (group commit), so concurrent writers share one write and one
 * fsync, and a commit is acknowledged only once its line is in the file.
 *
 * A write the disk refuses (full, read-only, I/O error) takes back its records and every record
 * queued behind them (those changes were made on top of them), latest first, before any other code
 * runs; the file is cut back to the end of its last whole record, so the log never holds a torn
 * line followed by more records.
 */
export class WalWriter {
  private pending: Pending[] = [];
  private writing: Promise<void> | null = null;
  /** The end of the last whole record: what the file is cut back to after a failed write. */
  bytes = 0;
  /** A failed write may have left part of a line; it is cut off before anything else is written. */
  private torn = false;

  private constructor(
    private readonly file: LogFile,
    private readonly name: string,
    private readonly fsync: boolean,
  ) {}

  /** `fresh` starts the file empty (a new log after compaction); otherwise it is appended to. */
  static async open(path: string, fsync: boolean, fresh = false, io: StorageIo = nodeStorageIo): Promise<WalWriter> {
    const file = await io.openLog(path, fresh);
    const writer = new WalWriter(file, path, fsync);
    writer.bytes = await file.size();
    return writer;
  }

  /**
   * Resolves once the record is in the file; on failure `undo` has run and the promise rejects with a
   * StorageFailure. A record with `ready` is written once that settles (a failure fails the record),
   * and everything appended after it waits behind it, as it was made on top of it.
   */
  append(record: WalRecord, undo: () => void, ready?: Promise<void>): Promise<void> {
    return new Promise((done, fail) => {
      this.pending.push({ line: `${JSON.stringify(record)}\n`, done, fail, undo, ...(ready ? { ready } : {}) });
      this.writing ??= this.drain();
    });
  }

  private async drain(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      try {
        for (const b of batch) if (b.ready) await b.ready;
        if (this.torn) await this.cutBack();
        const buffer = Buffer.from(batch.map((b) => b.line).join(""));
        await this.writeAll(buffer);
        if (this.fsync) await this.file.datasync();
        this.bytes += buffer.length;
        for (const b of batch) b.done();
      } catch (error) {
        this.torn = true;
        const failed = [...batch, ...this.pending];
        this.pending = [];
        for (let i = failed.length - 1; i >= 0; i--) (failed[i] as Pending).undo();
        const failure = error instanceof StorageFailure ? error : new StorageFailure(error, `Writing the log ${this.name}`);
        for (const b of failed) b.fail(failure);
        // If this fails too, it is tried again before the next write, which waits for it.
        await this.cutBack().catch(() => undefined);
      }
    }
    this.writing = null;
  }

  private async writeAll(buffer: Buffer): Promise<void> {
    for (let offset = 0; offset < buffer.length; ) {
      const written = await this.file.append(buffer.subarray(offset));
      if (written <= 0) throw Object.assign(new Error("the disk took no bytes"), { code: "EIO" });
      offset += written;
    }
  }

  private async cutBack(): Promise<void> {
    await this.file.truncate(this.bytes);
    this.torn = false;
  }

  /** Waits until everything appended so far is written. */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  async close(): Promise<void> {
    await this.flush();
    if (this.torn) await this.cutBack().catch(() => undefined);
    await this.file.close();
  }
}

/** What a log holds: its records, and how many damaged lines had to be skipped. */
export interface WalContents {
  records: WalRecord[];
  damaged: number;
}

/**
 * Reads a log back. A torn last line (the process died mid-write) was never acknowledged, so it is
 * dropped. A damaged line elsewhere (a log written by an older version after a failed write) is
 * counted and skipped, but any whole record written right behind the torn part is kept: an
 * acknowledged change is never left behind because of the line in front of it.
 */
export async function readWal(path: string): Promise<WalContents> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { records: [], damaged: 0 };
    throw error;
  }
  const lines = text.split("\n");
  const records: WalRecord[] = [];
  let damaged = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line === "") continue;
    const whole = parseRecord(line);
    if (whole) {
      records.push(whole);
      continue;
    }
    const behind = salvage(line);
    if (behind) records.push(behind);
    const isLast = lines.slice(i + 1).every((rest) => rest === "");
    if (behind || !isLast) damaged++;
  }
  return { records, damaged };
}

function parseRecord(line: string): WalRecord | undefined {
  try {
    const value = JSON.parse(line) as WalRecord;
    return typeof value?.seq === "number" && Array.isArray(value.changes) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** A whole record glued behind a torn one starts at the last `{"seq":` the line holds. */
function salvage(line: string): WalRecord | undefined {
  for (let at = line.lastIndexOf('{"seq":'); at > 0; at = line.lastIndexOf('{"seq":', at - 1)) {
    const record = parseRecord(line.slice(at));
    if (record) return record;
  }
  return undefined;
}
