import { EmulatorError } from "../../../errors/emulator-error.js";
import { anyParam, intParam, stringParam } from "../../params/coerce.js";
import { botBriefView } from "../../../views/bot.js";
import { defineMethod } from "../../types.js";
import { botWithUser, ownerView, objectOf, ownedBots, ownsBot, parseBotType, requireWebhookToken, textOf, usersOf } from "./fields.js";
import { botParams } from "./access.js";

export const DEFAULT_LIST_LIMIT = 50;
/** An owner holds at most 100 bots, so a larger page never helps. */
export const MAX_LIST_LIMIT = 100;

/**
 * imbot.v2.Bot.get (spec bots-commands-chats.md §3): any bot of the portal, by id or code (id wins).
 * Its owner sees the extended view, everyone else the brief one.
 */
export const botGet = defineMethod({
  name: "imbot.v2.Bot.get",
  scope: "imbot",
  mutates: false,
  params: botParams({ botId: intParam, code: stringParam, botToken: stringParam }),
  handler(ctx, params) {
    const token = requireWebhookToken(ctx, params.botToken);
    const code = textOf(params.code);
    if (params.botId <= 0 && code === "") throw new EmulatorError("PARAMS_REQUIRED");
    const bot =
      params.botId > 0 ? ctx.portal.bots[params.botId] : Object.values(ctx.portal.bots).find((b) => b.code === code);
    if (!bot) throw new EmulatorError("BOT_NOT_FOUND");
    return botWithUser(ctx.portal, bot, ownsBot(ctx, bot, token) ? ownerView(ctx) : botBriefView);
  },
});

/**
 * imbot.v2.Bot.list (spec bots-commands-chats.md §4): the caller's own bots, oldest first.
 * `hasNextPage` is true whenever the page is full (spec OPEN-B6), even on an exactly-full last page.
 */
export const botList = defineMethod({
  name: "imbot.v2.Bot.list",
  scope: "imbot",
  mutates: false,
  params: botParams({ botToken: stringParam, filter: anyParam, limit: intParam, offset: intParam }),
  handler(ctx, params) {
    const token = requireWebhookToken(ctx, params.botToken);
    const filter = objectOf(params.filter);
    const typeText = textOf(filter.type);
    const type = typeText === "" ? undefined : parseBotType(typeText);
    const limit = params.limit > 0 ? Math.min(params.limit, MAX_LIST_LIMIT) : DEFAULT_LIST_LIMIT;
    const offset = Math.max(params.offset, 0);

    const page = ownedBots(ctx, token)
      .filter((bot) => type === undefined || bot.type === type)
      .slice(offset, offset + limit);
    return {
      bots: page.map((bot) => ownerView(ctx)(bot, ctx.portal)),
      users: usersOf(
        ctx.portal,
        page.map((bot) => bot.id),
      ),
      hasNextPage: page.length === limit,
    };
  },
});

