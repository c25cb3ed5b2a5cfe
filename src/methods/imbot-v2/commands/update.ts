import { EmulatorError } from "../../../errors/emulator-error.js";
import { intParam, objectParam, toBool, toOptionalString } from "../../params/coerce.js";
import { commandView } from "../../../views/command.js";
import type { MethodContext } from "../../types.js";
import {
  COMMAND_FIELDS,
  findBotCommand,
  languageKey,
  normaliseCommandName,
  requireBotCommand,
  warnIfOddLanguage,
  warnIfUntypeable,
} from "./fields.js";
import { asPhpArray, readFields } from "../../params/fields.js";
import { defineBotMethod } from "../define.js";

const FLAGS = ["common", "hidden", "extranetSupport"] as const;

/**
 * imbot.v2.Command.update (spec bots-commands-chats.md section 7): changes only the keys given in
 * `fields`. Checks: the common bot checks, `commandId`, COMMAND_NOT_FOUND, then the new name
 * (COMMAND_NAME_INVALID, COMMAND_NAME_EMPTY, COMMAND_ALREADY_EXISTS), then COMMAND_TITLE_INVALID.
 */
export const commandUpdate = defineBotMethod({
  name: "imbot.v2.Command.update",
  mutates: true,
  params: {
    commandId: intParam,
    fields: objectParam(COMMAND_FIELDS),
  },
  handler(ctx, params, bot) {
    const command = requireBotCommand(ctx, bot, params.commandId);
    const fields = readFields(params.fields);

    let name: string | undefined;
    if (given(fields.command)) {
      if (typeof fields.command !== "string") throw new EmulatorError("COMMAND_NAME_INVALID");
      name = normaliseCommandName(fields.command);
      if (name === "") throw new EmulatorError("COMMAND_NAME_EMPTY");
      if (findBotCommand(ctx.portal, bot.id, name, command.id)) {
        throw new EmulatorError("COMMAND_ALREADY_EXISTS", `Bot ${bot.id} already has a command /${name}`);
      }
      warnIfUntypeable(ctx, name);
    }

    const texts = given(fields.title) ? updatedTexts(ctx, command, fields.title, fields.params) : undefined;

    // Every check passed: apply.
    if (name !== undefined) command.command = name;
    for (const flag of FLAGS) {
      if (given(fields[flag])) command[flag] = toBool(fields[flag], false);
    }
    if (texts) {
      command.title = texts.title;
      command.params = texts.params;
    }
    return { command: commandView(command) };
  },
});

/** null counts as not given, as PHP's isset() sees it. */
function given(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/**
 * The command's titles and params after this call: per language, text sets the title, null
 * removes the language (title and params), and languages not named keep what they had. `params`
 * is read only for the languages named with a text in this call's `title`.
 */
function updatedTexts(
  ctx: MethodContext,
  command: { title: Record<string, string>; params: Record<string, string> },
  rawTitle: unknown,
  rawParams: unknown,
): { title: Record<string, string>; params: Record<string, string> } {
  const titleChanges = asPhpArray(rawTitle);
  if (!titleChanges) {
    throw new EmulatorError("COMMAND_TITLE_INVALID", "title must be an object of language: text (null removes a language)");
  }
  const paramChanges: Record<string, string> = {};
  for (const [rawKey, rawText] of Object.entries(asPhpArray(rawParams) ?? {})) {
    const text = toOptionalString(rawText);
    if (text !== undefined) paramChanges[languageKey(rawKey)] = text;
  }

  const title = { ...command.title };
  const params = { ...command.params };
  for (const [rawKey, rawText] of Object.entries(titleChanges)) {
    const lang = languageKey(rawKey);
    if (lang === "" || lang === "__proto__") continue;
    if (rawText === null) {
      delete title[lang];
      delete params[lang];
      continue;
    }
    const text = toOptionalString(rawText);
    if (text === undefined) throw new EmulatorError("COMMAND_TITLE_INVALID", `title.${rawKey} must be a text, or null to remove it`);
    warnIfOddLanguage(ctx, lang, "title");
    title[lang] = text;
    if (Object.hasOwn(paramChanges, lang)) params[lang] = paramChanges[lang] as string;
  }
  return { title, params };
}
