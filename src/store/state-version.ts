import type { State } from "./state.js";

/**
 * A number that moves whenever a state changes (a commit, or a commit taken back). Caches derived
 * from a state (the credential index) rebuild only when it has moved since they were built.
 */
const versions = new WeakMap<State, number>();

export function stateVersion(state: State): number {
  return versions.get(state) ?? 0;
}

export function bumpStateVersion(state: State): void {
  versions.set(state, stateVersion(state) + 1);
}
