import { addChat } from "../../../store/chats.js";
import { publishJoin, publishNewMessage } from "../../../events/message-flow.js";
import { anyParam, intParam, objectParam, stringParam, toInt, toOptionalString } from "../../params/coerce.js";
import { appendMessage, fullName } from "../../../store/messages.js";
import type { Portal } from "../../../store/state.js";
import { chatView } from "../../../views/chat.js";
import { userView } from "../../../views/user.js";
import { flowOptions } from "../../types.js";
import { newChatAvatar } from "../bots/avatar.js";
import { autoChatColor, joinableUser, paletteColor, readUserIds } from "./access.js";
import { readText } from "../messages/content.js";
import { readFields } from "../../params/fields.js";
import { defineBotMethod } from "../define.js";

/**
 * imbot.v2.Chat.add: a group chat with the bot, the known active users of `userIds` and, when
 * given, `ownerId` (default owner: the bot). Other bots among the members get JOINCHAT; the
 * creating bot does not (spec OPEN-B11). `fields.message` becomes the bot's first message.
 */
export const add = defineBotMethod({
  name: "imbot.v2.Chat.add",
  mutates: true,
  params: { fields: objectParam({ title: stringParam, description: stringParam, color: stringParam, message: stringParam, ownerId: intParam, userIds: anyParam, avatar: anyParam }) },
  handler(ctx, params, bot) {
    const fields = readFields(params.fields, false);
    const portal = ctx.portal;

    const members = [bot.id];
    for (const id of readUserIds(fields.userIds)) {
      if (!members.includes(id) && joinableUser(portal, id)) members.push(id);
    }
    let ownerId = bot.id;
    const requestedOwner = toInt(fields.ownerId);
    if (requestedOwner > 0 && requestedOwner !== bot.id) {
      if (joinableUser(portal, requestedOwner)) {
        ownerId = requestedOwner;
        if (!members.includes(ownerId)) members.push(ownerId);
      } else ctx.log.warn(`Chat.add: ownerId ${requestedOwner} is not an active user; the bot owns the chat`);
    }
    const firstMessage = readText(fields.message, "truncate");
    const color = paletteColor(fields.color);
    if (fields.color !== undefined && color === null) ctx.log.warn(`Chat.add: unknown colour ${JSON.stringify(fields.color)}; picked one`);

    const chat = addChat(
      portal,
      {
        type: "chat",
        ownerId,
        members,
        title: toOptionalString(fields.title)?.trim() || nameFromMembers(portal, members),
        description: toOptionalString(fields.description)?.trim() ?? "",
      },
      ctx.now,
    );
    chat.color = color ?? autoChatColor(chat.id);
    Object.assign(chat, newChatAvatar(portal.domain, chat.id, fields.avatar));
    const id = chat.id;
    publishJoin(portal, chat, members, bot.id, ctx.events);

    if (firstMessage !== "") {
      const message = appendMessage(
        portal,
        { chatId: id, authorId: bot.id, text: firstMessage, isSystem: false, urlPreview: true, attach: null, keyboard: null },
        ctx.now,
      );
      bot.countMessage++;
      publishNewMessage(portal, message, ctx.events, flowOptions(ctx));
    }

    const users = members.flatMap((m) => (portal.users[m] ? [userView(portal.users[m])] : []));
    return { chat: { ...chatView(portal, chat, bot.id, ctx.settings), isNew: true }, users };
  },
});

/** A chat created without a title is named after its members, as a portal does. */
function nameFromMembers(portal: Portal, members: readonly number[]): string {
  return members
    .map((id) => portal.users[id])
    .filter((u) => u !== undefined)
    .map((u) => fullName(u))
    .join(", ");
}
