import { isPlainObject } from "../../../domain/json-value.js";
import { EmulatorError } from "../../../errors/emulator-error.js";
import type { Command } from "../../../store/state.js";
import { isValidCallbackUrl, textOf } from "../../imbot-v2/bots/fields.js";
import type { MethodContext } from "../../types.js";
import { ownsV1Bot, upperObject, type V1Owner } from "../common.js";

/** EVENT_COMMAND_ADD: required on register; when given, an absolute http(s) URL. */
export function readCommandHandler(value: unknown, required: boolean): string | null {
  const url = textOf(value).trim();
  if (url === "") {
    if (required) throw new EmulatorError("EVENT_COMMAND_ADD_ERROR");
    return null;
  }
  if (!isValidCallbackUrl(url)) throw new EmulatorError("EVENT_COMMAND_ADD_ERROR", "Wrong handler URL");
  return url;
}

/** COMMAND: the name without a leading `/`; no blanks and no other `/`. Empty when unreadable. */
export function readCommandName(value: unknown): string {
  const name = textOf(value).trim().replace(/^\//, "");
  return /^[^\s/]+$/.test(name) ? name : "";
}

/**
 * LANG: `[{LANGUAGE_ID, TITLE, PARAMS}]` (a PHP list from a form). Entries without a language or a
 * title are skipped; none left is LANG_ERROR.
 */
export function readLang(value: unknown): { title: Record<string, string>; params: Record<string, string> } {
  const entries = Array.isArray(value) ? value : isPlainObject(value) ? Object.values(value) : [];
  const title: Record<string, string> = {};
  const params: Record<string, string> = {};
  for (const raw of entries) {
    const entry = upperObject(raw);
    const language = textOf(entry.LANGUAGE_ID).trim().toLowerCase();
    const text = textOf(entry.TITLE).trim();
    if (language === "" || text === "") continue;
    title[language] = text;
    const hint = textOf(entry.PARAMS).trim();
    if (hint !== "") params[language] = hint;
  }
  if (Object.keys(title).length === 0) throw new EmulatorError("LANG_ERROR");
  return { title, params };
}

/** The command a COMMAND_ID names, if its bot belongs to the owner. */
export function requireOwnedCommand(ctx: MethodContext, owner: V1Owner, commandId: number): Command {
  const command = commandId > 0 ? ctx.portal.commands[commandId] : undefined;
  const bot = command ? ctx.portal.bots[command.botId] : undefined;
  if (!command || !bot) throw new EmulatorError("COMMAND_ID_ERROR");
  if (!ownsV1Bot(owner, bot)) throw new EmulatorError("APP_ID_ERROR", "Command was installed by another rest application");
  return command;
}
