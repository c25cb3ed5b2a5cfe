import { readV1Text } from "../messages/content.js";
import { parseMaybeJson } from "../../../domain/json-value.js";
import { EmulatorError } from "../../../errors/emulator-error.js";
import { publishJoin, publishNewMessage } from "../../../events/message-flow.js";
import { addChat } from "../../../store/chats.js";
import { appendMessage, fullName } from "../../../store/messages.js";
import type { Portal } from "../../../store/state.js";
import { anyParam } from "../../params/coerce.js";
import { autoChatColor, joinableUser, paletteColor, readUserIds } from "../../imbot-v2/chats/access.js";
import { newChatAvatar } from "../../imbot-v2/bots/avatar.js";
import { textOf } from "../../imbot-v2/bots/fields.js";
import { defineMethod, flowOptions } from "../../types.js";
import { v1Params } from "../common.js";
import { defineV1BotMethod } from "../define.js";

/**
 * imbot.chat.add (spec v1.md §5): a group chat owned by the bot, with the active users of USERS.
 * Other bots among them get JOINCHAT; MESSAGE becomes the bot's first message. ENTITY_TYPE and
 * ENTITY_ID are kept for imbot.chat.get. OWNER_ID (b24pysdk sends it) is ignored, as on a portal.
 */
export const imbotChatAdd = defineV1BotMethod({
  name: "imbot.chat.add",
  mutates: true,
  idOptional: true,
  params: {
    TYPE: anyParam,
    TITLE: anyParam,
    DESCRIPTION: anyParam,
    COLOR: anyParam,
    MESSAGE: anyParam,
    USERS: anyParam,
    AVATAR: anyParam,
    ENTITY_TYPE: anyParam,
    ENTITY_ID: anyParam,
  },
  handler(ctx, params, bot) {
    const users = params.USERS === undefined || params.USERS === "" ? [] : parseMaybeJson(params.USERS);
    if (!Array.isArray(users) && (users === null || typeof users !== "object")) throw new EmulatorError("INVALID_FORMAT");
    const portal = ctx.portal;
    const members = [bot.id, ...readUserIds(users).filter((id) => id !== bot.id && joinableUser(portal, id))];
    const text = readV1Text(params.MESSAGE);
    const title = textOf(params.TITLE) || members.map((id) => portal.users[id]).flatMap((u) => (u ? [fullName(u)] : [])).join(", ");

    const chat = addChat(
      portal,
      { type: textOf(params.TYPE).toUpperCase() === "OPEN" ? "open" : "chat", ownerId: bot.id, members, title, description: textOf(params.DESCRIPTION) },
      ctx.now,
    );
    chat.color = paletteColor(params.COLOR) ?? autoChatColor(chat.id);
    Object.assign(chat, newChatAvatar(portal.domain, chat.id, params.AVATAR));
    if (textOf(params.ENTITY_TYPE) !== "") chat.entityType = textOf(params.ENTITY_TYPE);
    if (textOf(params.ENTITY_ID) !== "") chat.entityId = textOf(params.ENTITY_ID);
    publishJoin(portal, chat, members, bot.id, ctx.events);
    if (text !== "") {
      const message = appendMessage(portal, { chatId: chat.id, authorId: bot.id, text, isSystem: false, urlPreview: true, attach: null, keyboard: null }, ctx.now);
      bot.countMessage++;
      publishNewMessage(portal, message, ctx.events, flowOptions(ctx));
    }
    return chat.id;
  },
});

/** The chat created with this ENTITY_TYPE and ENTITY_ID, as `{ID}`; null when a part is missing or nothing matches. */
export function chatByEntity(portal: Portal, entityType: unknown, entityId: unknown): { ID: number } | null {
  const type = textOf(entityType);
  const id = textOf(entityId);
  if (type === "" || id === "") return null;
  const chat = Object.values(portal.chats).find((c) => c.entityType === type && c.entityId === id);
  return chat ? { ID: chat.id } : null;
}

/** imbot.chat.get (spec v1.md §5); im.chat.get answers the same. */
function chatGet(name: string, scope: string) {
  return defineMethod({
    name,
    scope,
    mutates: false,
    params: v1Params({ ENTITY_TYPE: anyParam, ENTITY_ID: anyParam }),
    handler: (ctx, params) => chatByEntity(ctx.portal, params.ENTITY_TYPE, params.ENTITY_ID),
  });
}

export const imbotChatGet = chatGet("imbot.chat.get", "imbot");
export const imChatGet = chatGet("im.chat.get", "im");
