import { parseDialogId } from "../../../domain/dialog-id.js";
import { EmulatorError } from "../../../errors/emulator-error.js";
import { publishNewMessage } from "../../../events/message-flow.js";
import { addChat, findPrivateChat } from "../../../store/chats.js";
import { appendMessage } from "../../../store/messages.js";
import type { Bot, Chat } from "../../../store/state.js";
import { anyParam, intParam, stringParam, toBool } from "../../params/coerce.js";
import { flowOptions, type MethodContext } from "../../types.js";
import { defineV1BotMethod } from "../define.js";
import { readV1Content, v1ContentParams } from "./content.js";
import { botName } from "../../../store/bots.js";
import { signedSystemText } from "../../../domain/posting.js";

/** A chat a v1 method could not post to: the portal says only that the message was not added. */
const notAdded = (reason: string) => new EmulatorError("WRONG_REQUEST", `Message isn't added: ${reason}`);

/**
 * imbot.message.add (spec v1.md §4): the bot posts into a chat it is in, or into its 1:1 dialog
 * with a user (opened on first use). FROM_USER_ID + TO_USER_ID instead post a system message into
 * those two users' dialog. Answers the new message's id.
 */
export const imbotMessageAdd = defineV1BotMethod({
  name: "imbot.message.add",
  mutates: true,
  idOptional: true,
  params: {
    DIALOG_ID: stringParam,
    FROM_USER_ID: intParam,
    TO_USER_ID: intParam,
    ...v1ContentParams,
    SYSTEM: anyParam,
    SKIP_CONNECTOR: anyParam,
  },
  handler(ctx, params, bot) {
    const between = params.FROM_USER_ID > 0 && params.TO_USER_ID > 0;
    const dialog = between ? null : parseDialogId(params.DIALOG_ID?.trim() ?? "");
    if (!between && !dialog) throw new EmulatorError("DIALOG_ID_EMPTY");
    const { text, attach, keyboard, menu } = readV1Content(params, bot.id, false);
    const system = between || toBool(params.SYSTEM, false);

    const chat = between
      ? dialogBetween(ctx, params.FROM_USER_ID, params.TO_USER_ID)
      : dialog!.kind === "user"
        ? botDialogWith(ctx, bot, dialog!.userId)
        : memberChat(ctx, bot, dialog!.chatId);
    const posted = system && chat.type !== "private" ? signedSystemText(botName(ctx.portal, bot), text) : text;
    const message = appendMessage(
      ctx.portal,
      { chatId: chat.id, authorId: bot.id, text: posted, isSystem: system, urlPreview: toBool(params.URL_PREVIEW, true), attach, keyboard },
      ctx.now,
    );
    if (menu) message.params.MENU = menu;
    bot.countMessage++;
    publishNewMessage(ctx.portal, message, ctx.events, flowOptions(ctx));
    return message.id;
  },
});

function activeUser(ctx: MethodContext, id: number) {
  const user = ctx.portal.users[id];
  if (!user || !user.active) throw notAdded(`no active user ${id}`);
  return user;
}

/** The bot's 1:1 dialog with a user, opened by the bot when there is none yet. */
function botDialogWith(ctx: MethodContext, bot: Bot, userId: number): Chat {
  if (userId === bot.id) throw notAdded("a bot cannot write to itself");
  const peer = activeUser(ctx, userId);
  return findPrivateChat(ctx.portal, bot.id, peer.id) ?? addChat(ctx.portal, { type: "private", ownerId: bot.id, members: [bot.id, peer.id], color: peer.color }, ctx.now);
}

function dialogBetween(ctx: MethodContext, fromId: number, toId: number): Chat {
  const from = activeUser(ctx, fromId);
  const to = activeUser(ctx, toId);
  if (from.id === to.id) throw notAdded("FROM_USER_ID and TO_USER_ID are the same user");
  return findPrivateChat(ctx.portal, from.id, to.id) ?? addChat(ctx.portal, { type: "private", ownerId: from.id, members: [from.id, to.id], color: to.color }, ctx.now);
}

/** Spec OPEN-V7: a chat that does not exist, or one the bot is not in, is "not added". */
function memberChat(ctx: MethodContext, bot: Bot, chatId: number): Chat {
  const chat = ctx.portal.chats[chatId];
  if (!chat || !chat.members.includes(bot.id)) throw notAdded(`bot ${bot.id} is not a member of chat${chatId}`);
  return chat;
}
