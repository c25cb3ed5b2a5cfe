import { Low, Memory } from "lowdb";
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
