import { EmulatorError } from "../../../errors/emulator-error.js";
import { publishReactionChange } from "../../../events/reaction-flow.js";
import { liveMessage } from "../../../store/messages.js";
import { hasReaction, setReaction } from "../../../store/reactions.js";
import { anyParam, intParam, toText } from "../../params/coerce.js";
import { defineV1BotMethod } from "../define.js";

/** v1's like is the `like` reaction of the v2 API: one store, seen by Chat.Message.get and Reaction.delete alike. */
const LIKE = "like";

/**
 * imbot.message.like (spec v1.md §4): the bot sets or removes its `like` on any message of a chat
 * it is in. ACTION `plus` sets, `minus` removes, `auto` (default, and anything unknown) toggles;
 * nothing to change is WITHOUT_CHANGES. The message's author hears of it as of any reaction.
 */
export const imbotMessageLike = defineV1BotMethod({
  name: "imbot.message.like",
  mutates: true,
  idOptional: true,
  params: { MESSAGE_ID: intParam, ACTION: anyParam },
  handler(ctx, params, bot) {
    if (params.MESSAGE_ID <= 0) throw new EmulatorError("MESSAGE_ID_ERROR");
    const found = liveMessage(ctx.portal, params.MESSAGE_ID);
    if (!found?.chat.members.includes(bot.id)) throw new EmulatorError("MESSAGE_ID_ERROR", `Message ${params.MESSAGE_ID} is not in a chat of bot ${bot.id}`);
    const { message, chat } = found;
    const liked = hasReaction(message, bot.id, LIKE);
    const action = toText(params.ACTION).trim().toLowerCase();
    const like = action === "plus" ? true : action === "minus" ? false : !liked;
    if (like === liked) throw new EmulatorError("WITHOUT_CHANGES");
    setReaction(message, bot.id, LIKE, like);
    const botUser = ctx.portal.users[bot.id];
    if (botUser) publishReactionChange(ctx.portal, message, chat, botUser, LIKE, like ? "add" : "delete", ctx.events);
    return true;
  },
});
