import type { MethodDefinition } from "../../types.js";
import { botGet, botList } from "./read.js";
import { botRegister } from "./register.js";
import { botUnregister } from "./unregister.js";
import { botUpdate } from "./update.js";

/** imbot.v2.Bot.* */
export const botMethods: readonly MethodDefinition[] = [
  botRegister as MethodDefinition,
  botUpdate as MethodDefinition,
  botGet as MethodDefinition,
  botList as MethodDefinition,
  botUnregister as MethodDefinition,
];
