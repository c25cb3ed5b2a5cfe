import { batchMethods } from "./imbot/batch.js";
import { botMethods } from "./imbot/bots.js";
import { chatMethods } from "./imbot/chats.js";
import { commandMethods } from "./imbot/commands.js";
import { eventMethods } from "./imbot/events.js";
import { messageMethods } from "./imbot/messages.js";
import { revisionMethods } from "./imbot/revision.js";
import { portalBasicsMethods } from "./portal-basics.js";
import type { MethodDefinition } from "./types.js";

/** Every emulated REST method, by family. Adding a method is adding one entry to its family. */
const METHODS: readonly MethodDefinition[] = [
  ...botMethods,
  ...commandMethods,
  ...messageMethods,
  ...chatMethods,
  ...eventMethods,
  ...revisionMethods,
  ...batchMethods,
  ...portalBasicsMethods,
];

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
