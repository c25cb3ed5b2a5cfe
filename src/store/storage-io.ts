import { open } from "node:fs/promises";

/** The write-ahead log file as the store uses it: appends, a sync, and cutting a torn tail off. */
export interface LogFile {
  /** Appends from the start of `buffer`; answers how many bytes went in (a full disk may take part). */
  append(buffer: Uint8Array): Promise<number>;
  datasync(): Promise<void>;
  truncate(length: number): Promise<void>;
  size(): Promise<number>;
  close(): Promise<void>;
}

/**
 * How the store reaches the disk for its log. One seam, so a test can make the disk fail (ENOSPC,
 * EIO) the way a full or broken one does, and see what a client gets.
 */
export interface StorageIo {
  /** `fresh` starts the file empty; otherwise writes go after what it holds. */
  openLog(path: string, fresh: boolean): Promise<LogFile>;
}

export const nodeStorageIo: StorageIo = {
  async openLog(path, fresh) {
    const handle = await open(path, fresh ? "w" : "a");
    return {
      append: async (buffer) => (await handle.write(buffer)).bytesWritten,
      datasync: () => handle.datasync(),
      truncate: (length) => handle.truncate(length),
      size: async () => (await handle.stat()).size,
      close: () => handle.close(),
    };
  },
};
