import type { MethodDefinition } from "../types.js";
import { botGet, botList } from "./bot-read.js";
import { botRegister } from "./bot-register.js";
import { botUnregister } from "./bot-unregister.js";
import { botUpdate } from "./bot-update.js";

/** imbot.v2.Bot.* */
export const botMethods: readonly MethodDefinition[] = [
  botRegister as MethodDefinition,
  botUpdate as MethodDefinition,
  botGet as MethodDefinition,
  botList as MethodDefinition,
  botUnregister as MethodDefinition,
];
