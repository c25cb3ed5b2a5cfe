import { open, readFile, type FileHandle } from "node:fs/promises";
import type { Change } from "./change-tracker.js";

/** One committed mutation in the write-ahead log: a JSON line. */
export interface WalRecord {
  seq: number;
  changes: Change[];
}

/**
 * Appends records to the write-ahead log. Records that arrive while a write is under way are
 * written together by the next one (group commit), so concurrent writers share one write and one
 * fsync, and a commit is acknowledged only once its line is in the file.
 */
export class WalWriter {
  private pending: { line: string; done: () => void; fail: (e: unknown) => void }[] = [];
  private writing: Promise<void> | null = null;
  bytes = 0;

  private constructor(
    private handle: FileHandle,
    private readonly fsync: boolean,
  ) {}

  /** `fresh` starts the file empty (a new log after compaction); otherwise it is appended to. */
  static async open(path: string, fsync: boolean, fresh = false): Promise<WalWriter> {
    const handle = await open(path, fresh ? "w" : "a");
    const writer = new WalWriter(handle, fsync);
    writer.bytes = (await handle.stat()).size;
    return writer;
  }

  append(record: WalRecord): Promise<void> {
    return new Promise((done, fail) => {
      this.pending.push({ line: `${JSON.stringify(record)}\n`, done, fail });
      this.writing ??= this.drain();
    });
  }

  private async drain(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      try {
        const buffer = Buffer.from(batch.map((b) => b.line).join(""));
        await this.handle.write(buffer);
        if (this.fsync) await this.handle.datasync();
        this.bytes += buffer.length;
        for (const b of batch) b.done();
      } catch (error) {
        for (const b of batch) b.fail(error);
      }
    }
    this.writing = null;
  }

  /** Waits until everything appended so far is written. */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  async close(): Promise<void> {
    await this.flush();
    await this.handle.close();
  }
}

/**
 * Reads a log back. A torn last line (the process died mid-write) was never acknowledged, so it is
 * dropped; damage anywhere else is reported, never silently skipped.
 */
export async function readWal(path: string): Promise<WalRecord[]> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const lines = text.split("\n");
  const records: WalRecord[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line === "") continue;
    try {
      records.push(JSON.parse(line) as WalRecord);
    } catch {
      const isLast = lines.slice(i + 1).every((rest) => rest === "");
      if (isLast) break;
      throw new Error(`${path}: line ${i + 1} is damaged`);
    }
  }
  return records;
}
