import { Low, Memory } from "lowdb";
import { trackChanges, type Change } from "./change-tracker.js";
import { FileChanges, MemoryFileBytes, type FileBytes } from "./file-bytes.js";
import type { Portal, State } from "./state.js";
import { bumpStateVersion } from "./state-version.js";

/**
 * lowdb behind the one interface the rest of the emulator sees. Mutations run synchronously
 * against the live document (JavaScript runs one at a time, so no two interleave) and the
 * returned promise settles once the change is persisted: callers acknowledge only after that.
 */
/** A persisted mutation: what it returned, and the paths it changed (so waits look only at those). */
export interface Stored<T> {
  result: T;
  changes: readonly Change[];
}

export interface Store {
  readonly state: State;
  /** The bytes of shared files, which live beside the state, never in it. */
  readonly files: FileBytes;
  /** `files` collects the file bytes the mutation adds or drops; they land with it or not at all. */
  commit<T>(mutate: (state: State, files: FileChanges) => T): Promise<Stored<T>>;
  close(): Promise<void>;
}

/**
 * Runs one mutation so that it lands whole or not at all: when it throws, the state is put back
 * exactly as it was. Returns what it changed, and how to take it back (a failed write).
 */
export function mutateWhole<T>(state: State, mutate: (state: State) => T): { result: T; changes: Change[]; undo: () => void } {
  const tracker = trackChanges(state);
  const undo = () => {
    tracker.undo();
    bumpStateVersion(state);
  };
  try {
    const result = mutate(tracker.proxy);
    return { result, changes: tracker.changes(), undo };
  } catch (error) {
    undo();
    throw error;
  } finally {
    bumpStateVersion(state);
  }
}

export function emptyState(): State {
  return { schemaVersion: 1, portals: {} };
}

export function stateOf(portals: Portal[]): State {
  return { schemaVersion: 1, portals: Object.fromEntries(portals.map((p) => [p.id, p])) };
}

class LowStore implements Store {
  readonly files = new MemoryFileBytes();

  constructor(private readonly db: Low<State>) {}

  get state(): State {
    return this.db.data;
  }

  async commit<T>(mutate: (state: State, files: FileChanges) => T): Promise<Stored<T>> {
    const files = new FileChanges();
    const { result, changes } = mutateWhole(this.db.data, (state) => mutate(state, files));
    this.files.apply(files);
    await this.db.write();
    return { result, changes };
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
 * The data folder refused a write (ENOSPC, EIO, EROFS...). The change that hit it was undone in
 * memory, so the caller can answer that nothing happened and try again later.
 */
export class StorageFailure extends Error {
  readonly code: string;

  constructor(cause: unknown, what: string) {
    const code = (cause as NodeJS.ErrnoException | null)?.code ?? "EIO";
    super(`${what} failed: ${code} (${(cause as Error | null)?.message ?? String(cause)})`, { cause });
    this.name = "StorageFailure";
    this.code = code;
  }
}
