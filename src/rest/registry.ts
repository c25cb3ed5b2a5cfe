import { batchMethods } from "./batch.js";
import { botMethods } from "../methods/imbot/bots.js";
import { chatMethods } from "../methods/imbot/chats.js";
import { commandMethods } from "../methods/imbot/commands.js";
import { eventMethods } from "../methods/imbot/events.js";
import { messageMethods } from "../methods/imbot/messages.js";
import { revisionMethods } from "../methods/imbot/revision.js";
import { portalBasicsMethods } from "../methods/portal-basics.js";
import type { MethodDefinition } from "../methods/types.js";

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
