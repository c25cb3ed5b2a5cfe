import { EmulatorError } from "../../../errors/emulator-error.js";
import { bindV1Handlers, withClientId } from "../../../store/v1-handlers.js";
import { anyParam, intParam, stringParam, toBool } from "../../params/coerce.js";
import { defineMethod } from "../../types.js";
import { requireV1Bot, requireV1Owner, v1Params } from "../common.js";
import { readCommandHandler, readCommandName, readLang } from "./fields.js";

/**
 * imbot.command.register (spec v1.md §3): a slash command of one of the owner's bots, shared with
 * v2 (v1 `echo` is v2 `/echo`). EVENT_COMMAND_ADD rebinds the owner's command handler. The same
 * bot, name and owner again returns the existing command's id (spec OPEN-V5).
 */
export const imbotCommandRegister = defineMethod({
  name: "imbot.command.register",
  scope: "imbot",
  mutates: true,
  params: v1Params({
    BOT_ID: intParam,
    COMMAND: anyParam,
    EVENT_COMMAND_ADD: anyParam,
    LANG: anyParam,
    COMMON: anyParam,
    HIDDEN: anyParam,
    EXTRANET_SUPPORT: anyParam,
    CLIENT_ID: stringParam,
  }),
  handler(ctx, params) {
    const owner = requireV1Owner(ctx, params.CLIENT_ID);
    const url = readCommandHandler(params.EVENT_COMMAND_ADD, true) as string;
    const name = readCommandName(params.COMMAND);
    if (name === "") throw new EmulatorError("COMMAND_ERROR");
    const bot = requireV1Bot(ctx, owner, params.BOT_ID);
    const lang = readLang(params.LANG);

    const portal = ctx.portal;
    const existing = Object.values(portal.commands).find((c) => c.botId === bot.id && c.command === name);
    bindV1Handlers(portal, owner.key, { EVENT_COMMAND_ADD: withClientId(url, owner.customId) });
    if (existing) return existing.id;
    const id = ++portal.seq.command;
    portal.commands[id] = {
      id,
      botId: bot.id,
      command: name,
      common: toBool(params.COMMON, false),
      hidden: toBool(params.HIDDEN, false),
      extranetSupport: toBool(params.EXTRANET_SUPPORT, false),
      title: lang.title,
      params: lang.params,
    };
    return id;
  },
});
