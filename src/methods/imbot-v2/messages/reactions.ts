import { isReactionCode } from "../../../domain/reactions.js";
import { EmulatorError } from "../../../errors/emulator-error.js";
import { publishReactionChange } from "../../../events/reaction-flow.js";
import { hasReaction, setReaction } from "../../../store/reactions.js";
import type { Bot } from "../../../store/state.js";
import { boundParam } from "../../params/coerce.js";
import { bindString } from "../../params/binder.js";
import { booleanResult, type MethodContext } from "../../types.js";
import { bindMessageId, requireBotMessage } from "../chats/lookup.js";
import { defineBotMethod } from "../define.js";

const params = { messageId: boundParam("int"), reaction: boundParam("string") };

/** add: an unknown code, or one the bot already set; delete: a code the bot has not set. */
function react(ctx: MethodContext, raw: { messageId?: unknown; reaction?: unknown }, bot: Bot, action: "add" | "delete") {
  bindMessageId(raw.messageId);
  const reaction = bindString(raw.reaction, "reaction").trim();
  const { message, chat } = requireBotMessage(ctx, bot, raw.messageId);
  if (action === "add") {
    if (!isReactionCode(reaction)) throw new EmulatorError("REACTION_NOT_FOUND", `"${reaction}" is not a reaction code`);
    if (hasReaction(message, bot.id, reaction)) throw new EmulatorError("REACTION_ALREADY_SET", `Bot ${bot.id} has already set "${reaction}" here`);
  } else if (!hasReaction(message, bot.id, reaction)) {
    throw new EmulatorError("REACTION_NOT_FOUND", `Bot ${bot.id} has no "${reaction}" reaction on message ${message.id}`);
  }
  setReaction(message, bot.id, reaction, action === "add");
  const botUser = ctx.portal.users[bot.id];
  if (botUser) publishReactionChange(ctx.portal, message, chat, botUser, reaction, action, ctx.events);
  return booleanResult(ctx);
}

/** imbot.v2.Chat.Message.Reaction.add (spec v2-complete.md §2). */
export const reactionAdd = defineBotMethod({
  name: "imbot.v2.Chat.Message.Reaction.add",
  mutates: true,
  params,
  handler: (ctx, p, bot) => react(ctx, p, bot, "add"),
});

/** imbot.v2.Chat.Message.Reaction.delete (spec v2-complete.md §2). */
export const reactionDelete = defineBotMethod({
  name: "imbot.v2.Chat.Message.Reaction.delete",
  mutates: true,
  params,
  handler: (ctx, p, bot) => react(ctx, p, bot, "delete"),
});
