import { ALL_METHODS } from "../methods/index.js";
import type { MethodDefinition } from "../methods/types.js";

export interface MethodRegistry {
  /** Method names match case-insensitively, as on a portal (SDKs send lower case). */
  find(name: string): MethodDefinition | undefined;
  names(): string[];
}

export function createRegistry(methods: readonly MethodDefinition[] = ALL_METHODS): MethodRegistry {
  const byName = new Map(methods.map((m) => [m.name.toLowerCase(), m]));
  return {
    find: (name) => byName.get(name.toLowerCase()),
    names: () => methods.map((m) => m.name),
  };
}
