import type { PlainObject } from "../../../domain/json-value.js";
import { EmulatorError } from "../../../errors/emulator-error.js";
import { deprecatedParam, objectParam, toBool } from "../../params/coerce.js";
import { legacyNote, pastSunset } from "../../../domain/bc-sunset.js";
import type { Command } from "../../../store/state.js";
import { commandView } from "../../../views/command.js";
import type { MethodContext } from "../../types.js";
import { COMMAND_FIELDS, findBotCommand, normaliseCommandName, onlyTitledLanguages, readTexts, warnIfUntypeable } from "./fields.js";
import { isEmptyParam, readFields } from "../../params/fields.js";
import { defineBotMethod } from "../define.js";

/** The keys of a registration, in `fields` or (legacy) at the top level. */
const REGISTER_KEYS = ["command", "title", "params", "common", "hidden", "extranetSupport"] as const;
const FLAT_FORM = deprecatedParam("deprecated-flat-command-register", legacyNote("flat-command-register"));

/**
 * imbot.v2.Command.register (spec bots-commands-chats.md section 6): gives a bot a slash command.
 * Checks: the common bot checks, COMMAND_NAME_INVALID, COMMAND_REQUIRED, then the idempotent
 * return of the bot's command with that name, then COMMAND_TITLE_REQUIRED.
 */
export const commandRegister = defineBotMethod({
  name: "imbot.v2.Command.register",
  mutates: true,
  params: {
    fields: objectParam(COMMAND_FIELDS),
    // Legacy flat form (change-log BOT-BC-0330-1): read only when `fields` is absent or empty.
    ...Object.fromEntries(REGISTER_KEYS.map((key) => [key, FLAT_FORM])),
  },
  handler(ctx, params, bot) {
    const input = registrationInput(ctx, params);

    const rawName = input.command ?? "";
    if (typeof rawName !== "string") {
      throw new EmulatorError("COMMAND_NAME_INVALID", `Command name must be a string, got ${describe(rawName)}`);
    }
    const name = normaliseCommandName(rawName);
    if (name === "") throw new EmulatorError("COMMAND_REQUIRED");

    const existing = findBotCommand(ctx.portal, bot.id, name);
    if (existing) return { command: commandView(existing) };

    const hidden = toBool(input.hidden, false);
    const title = readTexts(ctx, input.title, "title");
    if (!hidden && Object.keys(title).length === 0) {
      throw new EmulatorError("COMMAND_TITLE_REQUIRED", "A visible command needs a title: {lang: text}, e.g. {\"en\": \"Show help\"}");
    }
    const texts = onlyTitledLanguages(readTexts(ctx, input.params, "params"), title);
    warnIfUntypeable(ctx, name);

    const id = ++ctx.portal.seq.command;
    const command: Command = {
      id,
      botId: bot.id,
      command: name,
      common: toBool(input.common, false),
      hidden,
      extranetSupport: toBool(input.extranetSupport, false),
      title,
      params: texts,
    };
    ctx.portal.commands[id] = command;
    return { command: commandView(command) };
  },
});

/**
 * `fields` when it has anything in it, else the same keys from the top level (legacy flat form),
 * which after its end of support, when that is enforced, count as absent: COMMAND_REQUIRED.
 */
function registrationInput(ctx: MethodContext, params: Record<string, unknown>): PlainObject {
  if (!isEmptyParam(params.fields)) return readFields(params.fields);
  const flat = Object.fromEntries(REGISTER_KEYS.filter((k) => params[k] !== undefined).map((k) => [k, params[k]]));
  if (Object.keys(flat).length === 0) return flat;
  if (pastSunset("flat-command-register", ctx.now, ctx.settings.enforceBcSunset)) {
    ctx.log.warn(`Command.register: the flat form is past its end of support (${legacyNote("flat-command-register")}); its keys are ignored`);
    return {};
  }
  ctx.log.warn("Command.register: parameters at the top level are the legacy flat form (BOT-BC-0330-1); send them in `fields`");
  return flat;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}
