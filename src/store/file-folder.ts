import { createReadStream, statSync } from "node:fs";
import { mkdir, open, readdir, rename, rm, rmdir } from "node:fs/promises";
import { join } from "node:path";
import { bufferBody, type FileBody, type FileBytes, type StagedFile } from "./file-bytes.js";
import type { State } from "./state.js";
import { StorageFailure } from "./store.js";
import { syncPath } from "./sync-path.js";

/** Keys are made by the emulator (`{id}-{hex}`); anything else in a data file names no file. */
const KEY = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * The file store's shared files: `<folder>/<portal>/<key>`, beside the data file. Each is written
 * under a temporary name, synced with --fsync, then renamed into place, so a name holds all of its
 * bytes or does not exist; while a change is still writing its bytes they are served from memory.
 * Bytes no stored change names (a change that failed, a crash between the bytes and the log
 * record, a removal that failed) are deleted when the store opens.
 */
export class FileFolder implements FileBytes {
  private readonly writing = new Map<string, Buffer>();

  constructor(
    readonly root: string,
    private readonly fsync: boolean,
  ) {}

  open(portalId: string, key: string): FileBody | undefined {
    const path = this.pathOf(portalId, key);
    if (path === null) return undefined;
    const pending = this.writing.get(path);
    if (pending) return bufferBody(pending);
    try {
      const { size } = statSync(path);
      return { size, stream: () => createReadStream(path) };
    } catch {
      return undefined;
    }
  }

  /** Writes the files a change adds; when the disk refuses one, removes what it wrote and rejects. */
  async write(files: readonly StagedFile[]): Promise<void> {
    const paths = files.map((file) => this.pathOf(file.portalId, file.key) ?? "");
    files.forEach((file, i) => this.writing.set(paths[i] as string, file.bytes));
    try {
      await Promise.all(files.map((file) => this.writeOne(file)));
    } catch (error) {
      // What cannot be removed now is no name's bytes: the next start sweeps it.
      await this.remove(files).catch(() => undefined);
      throw new StorageFailure(error, `Writing a shared file under ${this.root}`);
    } finally {
      for (const path of paths) this.writing.delete(path);
    }
  }

  private async writeOne(file: StagedFile): Promise<void> {
    const path = this.pathOf(file.portalId, file.key);
    if (path === null) throw new Error(`"${file.key}" is not a file key`);
    const folder = this.folderOf(file.portalId);
    const temporary = join(folder, `.${file.key}.tmp`);
    await mkdir(folder, { recursive: true });
    try {
      const handle = await open(temporary, "w");
      try {
        await handle.writeFile(file.bytes);
        if (this.fsync) await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temporary, path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
    if (this.fsync) await syncPath(folder);
  }

  /** Deletes files (best effort: what stays behind is swept at the next start), and emptied portal folders. */
  async remove(files: readonly { portalId: string; key: string }[]): Promise<void> {
    const paths = files.map((file) => this.pathOf(file.portalId, file.key)).filter((path) => path !== null);
    await Promise.all(paths.map((path) => rm(path, { force: true })));
    for (const portalId of new Set(files.map((file) => file.portalId))) await rmdir(this.folderOf(portalId)).catch(() => undefined);
  }

  /** Deletes every file the state does not name, and temporary leftovers. Answers how many went. */
  async sweep(state: State): Promise<number> {
    const folders = await readdir(this.root).catch(() => [] as string[]);
    let removed = 0;
    for (const folder of folders) {
      const id = decodeFolder(folder);
      const portal = Object.hasOwn(state.portals, id) ? state.portals[id] : undefined;
      const kept = new Set(Object.values(portal?.files ?? {}).map((file) => file.key));
      const entries = await readdir(join(this.root, folder)).catch(() => [] as string[]);
      for (const entry of entries) {
        if (kept.has(entry)) continue;
        await rm(join(this.root, folder, entry), { force: true, recursive: true });
        removed++;
      }
      await rmdir(join(this.root, folder)).catch(() => undefined);
    }
    return removed;
  }

  private folderOf(portalId: string): string {
    // Portal ids are letters, digits, - and _; encoding keeps any other (a fixture's) inside the root.
    return join(this.root, encodeURIComponent(portalId).replace(/\./g, "%2E"));
  }

  private pathOf(portalId: string, key: string): string | null {
    return KEY.test(key) ? join(this.folderOf(portalId), key) : null;
  }
}

function decodeFolder(name: string): string {
  try {
    return decodeURIComponent(name);
  } catch {
    return "";
  }
}
