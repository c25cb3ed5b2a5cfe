import type { MethodDefinition } from "../../types.js";
import { commandAnswer } from "./answer.js";
import { commandList, commandUnregister } from "./list.js";
import { commandRegister } from "./register.js";
import { commandUpdate } from "./update.js";

/** imbot.v2.Command.* */
export const commandMethods: readonly MethodDefinition[] = [
  commandRegister as MethodDefinition,
  commandUpdate as MethodDefinition,
  commandList as MethodDefinition,
  commandUnregister as MethodDefinition,
  commandAnswer as MethodDefinition,
];
