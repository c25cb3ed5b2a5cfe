import type { MethodDefinition } from "../../types.js";
import { download } from "./download.js";
import { upload } from "./upload.js";

/** imbot.v2.File.* */
export const fileMethods: readonly MethodDefinition[] = [upload, download] as MethodDefinition[];
