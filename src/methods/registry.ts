import { commandAnswer } from "./imbot/command-answer.js";
import type { MethodDefinition } from "./types.js";

/** Every emulated REST method. Adding a method is adding one entry here. */
const METHODS: readonly MethodDefinition[] = [commandAnswer as MethodDefinition];

export interface MethodRegistry {
  /** Method names match case-insensitively, as on a portal (SDKs send lower case). */
  find(name: string): MethodDefinition | undefined;
  names(): string[];
}

export function createRegistry(methods: readonly MethodDefinition[] = METHODS): MethodRegistry {
  const byName = new Map(methods.map((m) => [m.name.toLowerCase(), m]));
  return {
    find: (name) => byName.get(name.toLowerCase()),
    names: () => methods.map((m) => m.name),
  };
}
