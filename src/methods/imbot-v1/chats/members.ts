import { parseMaybeJson } from "../../../domain/json-value.js";
import { paletteHex } from "../../../domain/palette.js";
import { EmulatorError } from "../../../errors/emulator-error.js";
import { publishJoin } from "../../../events/message-flow.js";
import { addMembers } from "../../../store/chats.js";
import { without } from "../../../store/lists.js";
import { anyParam, intParam, stringParam, toBool } from "../../params/coerce.js";
import { chatAvatarPlaceholder, readAvatar } from "../../imbot-v2/bots/avatar.js";
import { joinableUser, readUserIds } from "../../imbot-v2/chats/access.js";
import { textOf } from "../../imbot-v2/bots/fields.js";
import type { Bot } from "../../../store/state.js";
import { defineV1BotMethod } from "../define.js";
import { requireBotChat, requireChatAdmin } from "./access.js";

/** The parameters every imbot.chat.* method that acts in one chat reads, beside BOT_ID and CLIENT_ID. */
const inChat = { CHAT_ID: intParam, DIALOG_ID: stringParam };

export const imbotChatLeave = defineV1BotMethod({
  name: "imbot.chat.leave",
  mutates: true,
  idOptional: true,
  params: inChat,
  handler(ctx, params, bot) {
    const chat = requireBotChat(ctx, bot, params);
    if (chat.ownerId === bot.id) throw new EmulatorError("ACCESS_ERROR", "LEAVE_OWNER_FORBIDDEN: the owner cannot leave the chat");
    chat.members = without(chat.members, (id) => id === bot.id);
    chat.managers = without(chat.managers, (id) => id === bot.id);
    return true;
  },
});

export const imbotChatUserAdd = defineV1BotMethod({
  name: "imbot.chat.user.add",
  mutates: true,
  idOptional: true,
  params: { ...inChat, USERS: anyParam, HIDE_HISTORY: anyParam },
  handler(ctx, params, bot) {
    const chat = requireBotChat(ctx, bot, params);
    requireChatAdmin(chat, bot);
    const users = parseMaybeJson(params.USERS);
    if (users === null || typeof users !== "object") throw new EmulatorError("WRONG_REQUEST", "USERS must be an array of user ids");
    const added = readUserIds(users).filter((id) => !chat.members.includes(id) && joinableUser(ctx.portal, id));
    if (added.length === 0) throw new EmulatorError("WRONG_REQUEST", "No user to add: all are members already or unknown");
    // HIDE_HISTORY=N shows the chat's earlier messages to the newcomers; by default they start at their join.
    const showHistory = params.HIDE_HISTORY !== undefined && params.HIDE_HISTORY !== "" && !toBool(params.HIDE_HISTORY, true);
    addMembers(chat, added, { showHistory });
    publishJoin(ctx.portal, chat, added, bot.id, ctx.events);
    return true;
  },
});

export const imbotChatUserDelete = defineV1BotMethod({
  name: "imbot.chat.user.delete",
  mutates: true,
  idOptional: true,
  params: { ...inChat, USER_ID: intParam },
  handler(ctx, params, bot) {
    const chat = requireBotChat(ctx, bot, params);
    if (params.USER_ID <= 0) throw new EmulatorError("USER_ID_EMPTY");
    requireChatAdmin(chat, bot);
    if (!chat.members.includes(params.USER_ID)) throw new EmulatorError("WRONG_REQUEST", `User ${params.USER_ID} is not a member`);
    if (params.USER_ID === chat.ownerId) throw new EmulatorError("ACCESS_ERROR", "The owner cannot be removed");
    chat.members = without(chat.members, (id) => id === params.USER_ID);
    chat.managers = without(chat.managers, (id) => id === params.USER_ID);
    return true;
  },
});

export const imbotChatUserList = defineV1BotMethod({
  name: "imbot.chat.user.list",
  mutates: false,
  idOptional: true,
  params: inChat,
  handler(ctx, params, bot) {
    return [...requireBotChat(ctx, bot, params).members];
  },
});

/** setOwner and setManager: the bot must own the chat, and the user must be in it. */
function ownedChatMember(ctx: Parameters<typeof requireBotChat>[0], bot: Bot, params: { CHAT_ID: number; DIALOG_ID?: string | undefined; USER_ID: number }) {
  const chat = requireBotChat(ctx, bot, params);
  if (params.USER_ID <= 0) throw new EmulatorError("USER_ID_EMPTY");
  if (chat.ownerId !== bot.id) throw new EmulatorError("WRONG_REQUEST", `Bot ${bot.id} does not own chat ${chat.id}`);
  if (!chat.members.includes(params.USER_ID)) throw new EmulatorError("WRONG_REQUEST", `User ${params.USER_ID} is not a member`);
  return chat;
}

export const imbotChatSetOwner = defineV1BotMethod({
  name: "imbot.chat.setOwner",
  mutates: true,
  idOptional: true,
  params: { ...inChat, USER_ID: intParam },
  handler(ctx, params, bot) {
    ownedChatMember(ctx, bot, params).ownerId = params.USER_ID;
    return true;
  },
});

export const imbotChatSetManager = defineV1BotMethod({
  name: "imbot.chat.setManager",
  mutates: true,
  idOptional: true,
  params: { ...inChat, USER_ID: intParam, IS_MANAGER: anyParam },
  handler(ctx, params, bot) {
    const chat = ownedChatMember(ctx, bot, params);
    const others = without(chat.managers, (id) => id === params.USER_ID);
    chat.managers = toBool(params.IS_MANAGER, true) ? [...others, params.USER_ID] : others;
    return true;
  },
});

export const imbotChatUpdateTitle = defineV1BotMethod({
  name: "imbot.chat.updateTitle",
  mutates: true,
  idOptional: true,
  params: { ...inChat, TITLE: anyParam },
  handler(ctx, params, bot) {
    const chat = requireBotChat(ctx, bot, params);
    const title = textOf(params.TITLE);
    if (title === "") throw new EmulatorError("TITLE_EMPTY");
    requireChatAdmin(chat, bot);
    chat.title = title;
    return true;
  },
});

export const imbotChatUpdateColor = defineV1BotMethod({
  name: "imbot.chat.updateColor",
  mutates: true,
  idOptional: true,
  params: { ...inChat, COLOR: anyParam },
  handler(ctx, params, bot) {
    const chat = requireBotChat(ctx, bot, params);
    const color = paletteHex(params.COLOR);
    if (!color) throw new EmulatorError("WRONG_COLOR");
    requireChatAdmin(chat, bot);
    if (chat.color === color) throw new EmulatorError("WRONG_REQUEST", "The chat has this colour already");
    chat.color = color;
    return true;
  },
});

/** The avatar is checked as a portal checks it, then kept as the chat's picture (a placeholder URL). */
export const imbotChatUpdateAvatar = defineV1BotMethod({
  name: "imbot.chat.updateAvatar",
  mutates: true,
  idOptional: true,
  params: { ...inChat, AVATAR: anyParam },
  handler(ctx, params, bot) {
    const chat = requireBotChat(ctx, bot, params);
    const avatar = readAvatar(params.AVATAR);
    if (avatar.kind !== "ok") throw new EmulatorError("AVATAR_ERROR", avatar.kind === "refused" ? avatar.reason : "AVATAR is required");
    requireChatAdmin(chat, bot);
    chat.avatar = chatAvatarPlaceholder(ctx.portal.domain, chat.id, avatar.image);
    return true;
  },
});
