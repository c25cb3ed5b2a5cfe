import { EmulatorError } from "../../../errors/emulator-error.js";
import { without } from "../../../store/lists.js";
import { anyParam, intParam, stringParam, toText } from "../../params/coerce.js";
import { defineMethod } from "../../types.js";
import { requireV1Bot, requireV1Owner, v1Params } from "../common.js";

/**
 * imbot.message.like (spec v1.md §4): the bot sets or removes its `like` on any message of a chat
 * it is in. ACTION `plus` sets, `minus` removes, `auto` (default, and anything unknown) toggles;
 * nothing to change is WITHOUT_CHANGES.
 */
export const imbotMessageLike = defineMethod({
  name: "imbot.message.like",
  scope: "imbot",
  mutates: true,
  params: v1Params({ BOT_ID: intParam, MESSAGE_ID: intParam, ACTION: anyParam, CLIENT_ID: stringParam }),
  handler(ctx, params) {
    const owner = requireV1Owner(ctx, params.CLIENT_ID);
    const bot = requireV1Bot(ctx, owner, params.BOT_ID, true);
    if (params.MESSAGE_ID <= 0) throw new EmulatorError("MESSAGE_ID_ERROR");
    const message = ctx.portal.messages[params.MESSAGE_ID];
    const chat = message && !message.deleted ? ctx.portal.chats[message.chatId] : undefined;
    if (!message || !chat?.members.includes(bot.id)) throw new EmulatorError("MESSAGE_ID_ERROR", `Message ${params.MESSAGE_ID} is not in a chat of bot ${bot.id}`);
    const likes = message.likes ?? [];
    const liked = likes.includes(bot.id);
    const action = toText(params.ACTION).trim().toLowerCase();
    const like = action === "plus" ? true : action === "minus" ? false : !liked;
    if (like === liked) throw new EmulatorError("WITHOUT_CHANGES");
    message.likes = like ? [...likes, bot.id] : without(likes, (id) => id === bot.id);
    return true;
  },
});
