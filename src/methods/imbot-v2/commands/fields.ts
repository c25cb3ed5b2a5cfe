import { argumentError, EmulatorError } from "../../../errors/emulator-error.js";
import type { Bot, Command, Portal } from "../../../store/state.js";
import type { MethodContext } from "../../types.js";
import { anyParam, boolParam, stringParam } from "../../params/coerce.js";

/** The `fields` of Command.register and Command.update. */
export const COMMAND_FIELDS = {
  command: stringParam,
  title: anyParam,
  params: anyParam,
  common: boolParam(false),
  hidden: boolParam(false),
  extranetSupport: boolParam(false),
};
import { toOptionalString } from "../../params/coerce.js";
import { asPhpArray } from "../../params/fields.js";

/**
 * What imbot.v2.Command.register/update share: reading command names and per-language texts, and
 * finding a bot's commands. Names are stored without the leading "/" and compared exactly
 * (case-sensitive, spec OPEN-B7).
 */

/** A name as a client sent it: surrounding blanks dropped, then one leading "/" removed. */
export function normaliseCommandName(raw: string): string {
  const trimmed = raw.trim();
  return trimmed.startsWith("/") ? trimmed.slice(1) : trimmed;
}

/** A portal cannot match a name with blanks inside (a typed command ends at the first space); say so. */
export function warnIfUntypeable(ctx: MethodContext, name: string): void {
  if (/\s/.test(name)) {
    ctx.log.warn(`command name "${name}" contains whitespace: a portal stores it, but no typed message can ever call it`);
  }
}

/** The bot's command with this exact name, other than `exceptId`. */
export function findBotCommand(portal: Portal, botId: number, name: string, exceptId?: number): Command | undefined {
  return Object.values(portal.commands).find((c) => c.botId === botId && c.command === name && c.id !== exceptId);
}

/** The caller's command `commandId`, or COMMAND_NOT_FOUND (unknown id and another bot's alike). */
export function requireBotCommand(ctx: MethodContext, bot: Bot, commandId: number): Command {
  if (commandId <= 0) throw argumentError("commandId", "is required and must be a positive integer");
  const command = ctx.portal.commands[commandId];
  if (!command || command.botId !== bot.id) {
    throw new EmulatorError("COMMAND_NOT_FOUND", `Command ${commandId} is not a command of bot ${bot.id}`);
  }
  return command;
}




/** A language key as stored: trimmed and lower-cased ("EN" -> "en"). */
export function languageKey(key: string): string {
  return key.trim().toLowerCase();
}


/**
 * A `{lang: text}` map as stored: keys lower-cased, entries with an empty key or a value that is
 * not text dropped. Anything but an object (or list) gives `{}`.
 */
export function readTexts(ctx: MethodContext, value: unknown, what: string): Record<string, string> {
  const source = asPhpArray(value);
  const texts: Record<string, string> = {};
  if (!source) return texts;
  for (const [rawKey, rawText] of Object.entries(source)) {
    const lang = languageKey(rawKey);
    const text = toOptionalString(rawText);
    if (lang === "" || lang === "__proto__" || text === undefined) {
      ctx.log.warn(`${what}: entry "${rawKey}" ignored (needs a language key and a text)`);
      continue;
    }
    warnIfOddLanguage(ctx, lang, what);
    texts[lang] = text;
  }
  return texts;
}

/** Language ids are two letters ("en", "de"); others are stored, but no portal language will pick them. */
export function warnIfOddLanguage(ctx: MethodContext, lang: string, what: string): void {
  if (!/^[a-z]{2}$/.test(lang)) ctx.log.warn(`${what}: "${lang}" is not a two-letter language id`);
}

/** Keeps only the entries whose language also has a title. */
export function onlyTitledLanguages(params: Record<string, string>, title: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(params).filter(([lang]) => Object.hasOwn(title, lang)));
}
