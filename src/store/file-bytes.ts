import { Readable } from "node:stream";

/** A stored file's bytes, ready to send: its length, and a fresh stream of it each time. */
export interface FileBody {
  size: number;
  stream(): Readable;
}

/** Where the bytes of shared files are kept, as the rest of the emulator reads them. */
export interface FileBytes {
  /** The bytes stored under a portal's key; undefined when there are none. */
  open(portalId: string, key: string): FileBody | undefined;
}

export interface StagedFile {
  portalId: string;
  key: string;
  bytes: Buffer;
}

/**
 * The file bytes one change adds or drops. Bytes never enter the state (nor the data file and its
 * log): a change names them here, and the store writes them with the change, before the change's
 * log record, and drops the removed ones once the change is stored.
 */
export class FileChanges {
  readonly added: StagedFile[] = [];
  readonly removed: { portalId: string; key: string }[] = [];

  add(portalId: string, key: string, bytes: Buffer): void {
    this.added.push({ portalId, key, bytes });
  }

  remove(portalId: string, key: string): void {
    this.removed.push({ portalId, key });
  }
}

/** What a reader gets: it changes nothing, so staging bytes there is a bug, said at once. */
export class NoFileChanges extends FileChanges {
  override add(): void {
    throw new Error("a reading call cannot store file bytes");
  }

  override remove(): void {
    throw new Error("a reading call cannot drop file bytes");
  }
}

/** The bytes as one body, for bytes held in memory. */
export function bufferBody(bytes: Buffer): FileBody {
  return { size: bytes.length, stream: () => Readable.from([bytes]) };
}

/** The in-memory store's files (`--memory`, createEmulator): gone with the process. */
export class MemoryFileBytes implements FileBytes {
  private readonly bytes = new Map<string, Buffer>();

  open(portalId: string, key: string): FileBody | undefined {
    const bytes = this.bytes.get(`${portalId}/${key}`);
    return bytes ? bufferBody(bytes) : undefined;
  }

  /** Applies a change that is stored (memory stores it as soon as it is made). */
  apply(changes: FileChanges): void {
    for (const file of changes.added) this.bytes.set(`${file.portalId}/${file.key}`, file.bytes);
    for (const file of changes.removed) this.bytes.delete(`${file.portalId}/${file.key}`);
  }
}
