import type { MethodDefinition } from "../types.js";
import { commandAnswer } from "./command-answer.js";
import { commandList, commandUnregister } from "./command-list.js";
import { commandRegister } from "./command-register.js";
import { commandUpdate } from "./command-update.js";

/** imbot.v2.Command.* */
export const commandMethods: readonly MethodDefinition[] = [
  commandRegister as MethodDefinition,
  commandUpdate as MethodDefinition,
  commandList as MethodDefinition,
  commandUnregister as MethodDefinition,
  commandAnswer as MethodDefinition,
];
