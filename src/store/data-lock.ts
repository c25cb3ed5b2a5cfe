import { randomBytes } from "node:crypto";
import { link, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DataFileError } from "./store.js";

/** Lock files this process holds: its own PID in one of them is no stale leftover. */
const held = new Set<string>();

export class DataFolderLockedError extends DataFileError {
  constructor(folder: string, holder: number) {
    super(
      `Data folder ${folder} is in use by process ${holder} (its LOCK file); stop that emulator or use another --data-dir ` +
        `(if process ${holder} is no emulator, delete ${join(folder, "LOCK")})`,
    );
    this.name = "DataFolderLockedError";
  }
}

export interface DataLock {
  release(): Promise<void>;
}

/**
 * Takes the data folder for this process alone, before anything in it is read or written: a `LOCK`
 * file holding the PID, as PostgreSQL's postmaster.pid. A lock whose process no longer runs is taken
 * over with a warning; a live one stops start-up with DataFolderLockedError.
 */
export async function lockDataFolder(folder: string, warn: (message: string) => void): Promise<DataLock> {
  const path = join(folder, "LOCK");
  // Written whole under a private name, then linked into place: the LOCK never exists half-written,
  // and link() fails atomically when another process got there first.
  const draft = join(folder, `.LOCK.${process.pid}.${randomBytes(4).toString("hex")}`);
  await writeFile(draft, `${process.pid}\n`);
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await placeLock(draft, path);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
        const holder = await holderOf(path);
        if (holder !== null && isRunning(holder, path)) throw new DataFolderLockedError(folder, holder);
        if (attempt > 0) throw new DataFileError(`Data folder ${folder}: another process is taking over its stale LOCK; try again`);
        warn(`${path} was left by process ${holder ?? "(unreadable)"}, which no longer holds it; taking the data folder over`);
        await rm(path, { force: true });
      }
    }
  } finally {
    await rm(draft, { force: true });
  }
  held.add(path);
  return {
    async release() {
      if (!held.delete(path)) return;
      if ((await holderOf(path)) === process.pid) await rm(path, { force: true });
    },
  };
}

async function placeLock(draft: string, path: string): Promise<void> {
  try {
    await link(draft, path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // File systems without hard links (some network and container mounts): an exclusive create.
    if (code !== "EPERM" && code !== "ENOTSUP" && code !== "EOPNOTSUPP") throw error;
    await writeFile(path, `${process.pid}\n`, { flag: "wx" });
  }
}

async function holderOf(path: string): Promise<number | null> {
  try {
    const pid = Number((await readFile(path, "utf8")).trim());
    return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function isRunning(pid: number, path: string): boolean {
  // Our own PID in a lock we do not hold: left by an earlier life of this PID (a container's PID 1).
  if (pid === process.pid) return held.has(path);
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
