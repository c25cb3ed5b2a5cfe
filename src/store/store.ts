import { access, mkdir, rename } from "node:fs/promises";
import { dirname } from "node:path";
import { Low, Memory } from "lowdb";
import { JSONFile } from "lowdb/node";
import type { Portal, State } from "./state.js";

/**
 * lowdb behind the one interface the rest of the emulator sees. Mutations run synchronously
 * against the live document (JavaScript runs one at a time, so no two interleave) and the
 * returned promise settles once the change is persisted: callers acknowledge only after that.
 */
export interface Store {
  readonly state: State;
  commit<T>(mutate: (state: State) => T): Promise<T>;
  close(): Promise<void>;
}

export function emptyState(): State {
  return { schemaVersion: 1, portals: {} };
}

export function stateOf(portals: Portal[]): State {
  return { schemaVersion: 1, portals: Object.fromEntries(portals.map((p) => [p.id, p])) };
}

class LowStore implements Store {
  constructor(private readonly db: Low<State>) {}

  get state(): State {
    return this.db.data;
  }

  async commit<T>(mutate: (state: State) => T): Promise<T> {
    const result = mutate(this.db.data);
    await this.db.write();
    return result;
  }

  async close(): Promise<void> {
    await this.db.write();
  }
}

export function createMemoryStore(initial: State): Store {
  return new LowStore(new Low(new Memory<State>(), initial));
}

export class DataFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DataFileError";
  }
}

/**
 * Opens the JSON data file, seeding it when it does not exist yet. An unreadable file is an error,
 * never silently replaced. lowdb writes via temp file + rename, so a crash leaves the old or new file.
 */
export async function openFileStore(
  path: string,
  seed: () => State,
  options: { reset: boolean } = { reset: false },
): Promise<{ store: Store; seeded: boolean }> {
  await mkdir(dirname(path), { recursive: true });
  let exists = await access(path).then(
    () => true,
    () => false,
  );
  if (exists && options.reset) {
    // A reset never destroys data outright: the old file stays beside the new one.
    await rename(path, `${path}.${Date.now()}.bak`);
    exists = false;
  }
  const db = new Low(new JSONFile<State>(path), emptyState());
  if (!exists) {
    db.data = seed();
    await db.write();
    return { store: new LowStore(db), seeded: true };
  }
  try {
    await db.read();
  } catch (error) {
    throw new DataFileError(`Cannot load data file ${path}: ${(error as Error).message}`);
  }
  const loaded = db.data as Partial<State> | null;
  if (!loaded || loaded.schemaVersion !== 1 || typeof loaded.portals !== "object" || loaded.portals === null) {
    throw new DataFileError(
      `Data file ${path} is not an emulator data file (schemaVersion 1 with portals); move it away or pass --reset`,
    );
  }
  return { store: new LowStore(db), seeded: false };
}
