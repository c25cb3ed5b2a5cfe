import { EmulatorError } from "../../../errors/emulator-error.js";
import { bindV1Handlers, withClientId } from "../../../store/v1-handlers.js";
import { anyParam, toBool } from "../../params/coerce.js";
import { upperObject } from "../common.js";
import { defineV1CommandMethod } from "../define.js";
import { readCommandHandler, readCommandName, readLang } from "./fields.js";

/**
 * imbot.command.update (spec v1.md §3): FIELDS may change COMMAND, EVENT_COMMAND_ADD, HIDDEN,
 * EXTRANET_SUPPORT and LANG; COMMON is fixed at registration.
 */
export const imbotCommandUpdate = defineV1CommandMethod({
  name: "imbot.command.update",
  mutates: true,
  params: { FIELDS: anyParam },
  handler(ctx, params, command, owner) {
    const fields = upperObject(params.FIELDS);
    const has = (key: string) => Object.hasOwn(fields, key);
    const url = readCommandHandler(fields.EVENT_COMMAND_ADD, false);
    if (!["COMMAND", "EVENT_COMMAND_ADD", "HIDDEN", "EXTRANET_SUPPORT", "LANG"].some(has)) {
      throw new EmulatorError("WRONG_REQUEST", "Update fields can't be empty");
    }
    const name = has("COMMAND") ? readCommandName(fields.COMMAND) : command.command;
    if (name === "") throw new EmulatorError("WRONG_REQUEST", "Command can't be updated: the name is empty or has blanks");
    const taken = Object.values(ctx.portal.commands).some((c) => c.id !== command.id && c.botId === command.botId && c.command === name);
    if (taken) throw new EmulatorError("WRONG_REQUEST", `Command can't be updated: the bot already has /${name}`);
    const lang = has("LANG") ? readLang(fields.LANG) : null;

    command.command = name;
    if (has("HIDDEN")) command.hidden = toBool(fields.HIDDEN, false);
    if (has("EXTRANET_SUPPORT")) command.extranetSupport = toBool(fields.EXTRANET_SUPPORT, false);
    if (lang) {
      command.title = lang.title;
      command.params = lang.params;
    }
    if (url) bindV1Handlers(ctx.portal, owner.key, { EVENT_COMMAND_ADD: withClientId(url, owner.customId) });
    return true;
  },
});

/** imbot.command.unregister (spec v1.md §3). */
export const imbotCommandUnregister = defineV1CommandMethod({
  name: "imbot.command.unregister",
  mutates: true,
  params: { FIELDS: anyParam },
  handler(ctx, _params, command) {
    delete ctx.portal.commands[command.id];
    return true;
  },
});
