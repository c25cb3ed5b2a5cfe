import { isPlainObject } from "../../../domain/json-value.js";
import { argumentError, EmulatorError } from "../../../errors/emulator-error.js";
import { publishNewMessage } from "../../../events/message-flow.js";
import { anyParam, boundParam, intParam, objectParam, stringParam, toBool, toInt, toOptionalString } from "../../params/coerce.js";
import { appendMessage } from "../../../store/messages.js";
import type { Bot, Message, Portal } from "../../../store/state.js";
import { forwardMessages } from "../../../store/forwards.js";
import { flowOptions, type MethodContext } from "../../types.js";
import { accessDenied, createPrivateChat, namesChatById, requireDialogId, resolveSendTarget } from "../chats/access.js";
import { readAttach, readKeyboard, readText, MESSAGE_FIELDS } from "./content.js";
import { readFields } from "../../params/fields.js";
import { botName } from "../../../store/bots.js";
import { signedSystemText } from "../../../domain/posting.js";
import { defineBotMethod } from "../define.js";

const MAX_FORWARDS = 100;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * imbot.v2.Chat.Message.send (spec bots-commands-chats.md §9). Order: bot checks, dialogId,
 * fields, the target chat (ACCESS_DENIED / SENDING_FAILED), text (always truncated, as documented),
 * ATTACH, KEYBOARD, forwardIds, then "is there anything to post". A user id as dialogId opens the
 * bot's 1:1 dialog with that user when it does not exist yet.
 */
export const send = defineBotMethod({
  name: "imbot.v2.Chat.Message.send",
  mutates: true,
  params: {
    dialogId: stringParam,
    chatId: boundParam("int"),
    fields: objectParam({ ...MESSAGE_FIELDS, forwardIds: anyParam, replyId: intParam, templateId: stringParam }),
  },
  handler(ctx, params, bot) {
    if (!namesChatById(params)) requireDialogId(params.dialogId);
    const fields = readFields(params.fields, false);
    const target = resolveSendTarget(ctx, bot, params);

    const text = readText(fields.message, "truncate");
    const attach = readAttach(fields.attach, ctx.settings.attachErrorCodes);
    const keyboard = readKeyboard(fields.keyboard, bot.id, ctx.settings.attachErrorCodes);
    const forwards = readForwardIds(ctx.portal, bot, fields.forwardIds);
    if (text === "" && !attach && forwards.length === 0) throw new EmulatorError("EMPTY_MESSAGE", "The message has neither text nor attach");

    const system = readFlag(ctx, fields.system, false);
    const urlPreview = readFlag(ctx, fields.urlPreview, true);
    const replyId = toInt(fields.replyId);
    const templateId = toOptionalString(fields.templateId)?.trim() ?? "";
    if (templateId !== "" && !UUID.test(templateId)) {
      ctx.log.warn(`Chat.Message.send: templateId "${templateId}" is not a UUID; ignored`);
    }
    const chat = target.chat ?? createPrivateChat(ctx, bot.id, target.peer);
    // Only forwards and nothing of its own: the portal posts the copies and answers a null id.
    let message: Message | null = null;
    if (text !== "" || attach) {
      const posted =
        system && chat.type !== "private"
          ? signedSystemText(botName(ctx.portal, bot), text)
          : text;
      message = appendMessage(
        ctx.portal,
        { chatId: chat.id, authorId: bot.id, text: posted, isSystem: system, urlPreview, attach, keyboard },
        ctx.now,
      );
      if (replyId > 0) {
        const original = ctx.portal.messages[replyId];
        if (original && original.chatId === chat.id && !original.deleted) message.replyId = replyId;
        else ctx.log.warn(`Chat.Message.send: replyId ${replyId} is not a message of chat ${chat.id}; ignored`);
      }
      if (UUID.test(templateId)) message.uuid = templateId;
    }
    // The copies follow the bot's own message, as the portal sends them after it.
    const uuidMap = forwardMessages(ctx.portal, chat, bot.id, forwards, ctx.now);
    const posted = [...(message ? [message] : []), ...Object.values(uuidMap).map((id) => ctx.portal.messages[id]!)];
    for (const each of posted) {
      bot.countMessage++;
      publishNewMessage(ctx.portal, each, ctx.events, flowOptions(ctx));
    }
    // PHP's empty array, `[]` on the wire, when nothing was forwarded (spec v2-complete §4 g).
    return { id: message?.id ?? null, uuidMap: Object.keys(uuidMap).length > 0 ? uuidMap : [] };
  },
});

/**
 * `{uuid: messageId}`: at most 100 (TOO_MANY_MESSAGES), each key a UUID (WRONG_UUID, server
 * `Message::setForwardUuid`), each a message in a chat the bot is in.
 */
function readForwardIds(portal: Portal, bot: Bot, value: unknown): { uuid: string; message: Message }[] {
  if (value === undefined || value === null || value === "" || (Array.isArray(value) && value.length === 0)) return [];
  if (!isPlainObject(value)) throw argumentError("fields.forwardIds", "must be an object of uuid: messageId");
  const entries = Object.entries(value);
  if (entries.length > MAX_FORWARDS) throw new EmulatorError("TOO_MANY_MESSAGES", `forwardIds lists ${entries.length} messages; at most ${MAX_FORWARDS}`);
  const sources: { uuid: string; message: Message }[] = [];
  for (const [uuid, raw] of entries) {
    const id = toInt(raw);
    if (id <= 0) throw argumentError(`fields.forwardIds.${uuid}`, "must be a message id");
    if (!UUID.test(uuid)) throw new EmulatorError("WRONG_UUID", `forwardIds key "${uuid}" is not a UUID`);
    const source = portal.messages[id];
    const chat = source ? portal.chats[source.chatId] : undefined;
    if (!source || source.deleted || !chat || !chat.members.includes(bot.id)) {
      throw accessDenied(`Bot ${bot.id} cannot forward message ${id}`);
    }
    sources.push({ uuid, message: source });
  }
  return sources;
}

/**
 * Before REST revision 33 (BOT-FIX-0402-2) Chat.Message.send did not map JSON `true`/`false` of its
 * flags to Y/N, so they were ignored: only "Y"/"N" text took effect.
 */
function readFlag(ctx: MethodContext, value: unknown, fallback: boolean): boolean {
  if (ctx.settings.restRevision < 33 && typeof value === "boolean") return fallback;
  return toBool(value, fallback);
}
