import { z } from "zod";
import { defineMethod } from "../../types.js";
import { botName } from "../../../store/bots.js";

/**
 * imbot.bot.list (spec v1.md §2): every bot of the portal, whoever registered it and through which
 * API, keyed by id; `[]` when there is none (an empty PHP array).
 */
export const imbotBotList = defineMethod({
  name: "imbot.bot.list",
  scope: "imbot",
  mutates: false,
  params: z.object({}),
  handler(ctx) {
    const bots = Object.values(ctx.portal.bots).sort((a, b) => a.id - b.id);
    if (bots.length === 0) return [];
    return Object.fromEntries(
      bots.map((bot) => {
        return [String(bot.id), { ID: bot.id, NAME: botName(ctx.portal, bot), CODE: bot.code, OPENLINE: bot.isSupportOpenline ? "Y" : "N" }];
      }),
    );
  },
});
