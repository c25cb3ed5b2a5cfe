import type { MethodDefinition } from "../../types.js";
import { imbotCommandAnswer } from "./answer.js";
import { imbotCommandRegister } from "./register.js";
import { imbotCommandUnregister, imbotCommandUpdate } from "./update.js";

/** imbot.command.* */
export const commandMethods: readonly MethodDefinition[] = [imbotCommandRegister, imbotCommandUpdate, imbotCommandUnregister, imbotCommandAnswer] as MethodDefinition[];
