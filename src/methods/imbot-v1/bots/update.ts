import { EmulatorError } from "../../../errors/emulator-error.js";
import { anyParam } from "../../params/coerce.js";
import { textOf } from "../../imbot-v2/bots/fields.js";
import { upperObject } from "../common.js";
import { defineV1BotMethod } from "../define.js";
import { applyProperties, bindOwnerHandlers, readBotHandlers } from "./fields.js";

/**
 * imbot.update (spec v1.md §2): FIELDS may change CODE, the handlers (update and delete ones for any
 * type here) and PROPERTIES. TYPE and OPENLINE are fixed at registration and ignored.
 */
export const imbotUpdate = defineV1BotMethod({
  name: "imbot.update",
  mutates: true,
  params: { FIELDS: anyParam },
  handler(ctx, params, bot, owner) {
    const fields = upperObject(params.FIELDS);
    if (Object.keys(fields).length === 0) throw new EmulatorError("WRONG_REQUEST", "Update fields can't be empty");

    const handlers = readBotHandlers(fields, false);
    const properties = upperObject(fields.PROPERTIES);
    const clearsName =
      Object.hasOwn(properties, "NAME") && Object.hasOwn(properties, "LAST_NAME") && textOf(properties.NAME) === "" && textOf(properties.LAST_NAME) === "";
    if (clearsName) throw new EmulatorError("NAME_ERROR");
    const code = textOf(fields.CODE);
    if (code !== "" && code !== bot.code && Object.values(ctx.portal.bots).some((other) => other.code === code)) {
      throw new EmulatorError("WRONG_REQUEST", "Bot can't be updated: the code is taken");
    }

    if (code !== "") bot.code = code;
    const user = ctx.portal.users[bot.id];
    if (user) applyProperties(user, properties, ctx.portal.domain);
    bindOwnerHandlers(ctx.portal, owner, handlers);
    return true;
  },
});
