import { EmulatorError } from "../../../errors/emulator-error.js";
import { clearBlockedPresses } from "../../../store/button-blocks.js";
import { deleteMessage, publishMessageChange } from "../../../events/message-flow.js";
import type { Message } from "../../../store/state.js";
import { anyParam, intParam, toBool } from "../../params/coerce.js";
import type { MethodContext } from "../../types.js";
import { defineV1BotMethod } from "../define.js";
import { clearsV1, readV1Attach, readV1Keyboard, readV1Menu, readV1Text, v1ContentParams } from "./content.js";

/** A bot (or person) edits or deletes only its own messages, and only for three days (spec v1.md §4). */
const EDIT_WINDOW_MS = 3 * 24 * 3600 * 1000;

export function requireEditableMessage(ctx: MethodContext, authorId: number, messageId: number): Message {
  if (messageId <= 0) throw new EmulatorError("MESSAGE_ID_ERROR");
  const message = ctx.portal.messages[messageId];
  const own = message !== undefined && !message.deleted && !message.isSystem && message.authorId === authorId;
  if (!own || ctx.now.getTime() - Date.parse(message.date) > EDIT_WINDOW_MS) throw new EmulatorError("CANT_EDIT_MESSAGE");
  return message;
}

/**
 * imbot.message.update (spec v1.md §4): only the keys given change; ATTACH, KEYBOARD and MENU given
 * as `''` or `N` are removed; an empty MESSAGE deletes the message, as the docs say. DIALOG_ID is
 * ignored (bitrixogram sends it).
 */
export const imbotMessageUpdate = defineV1BotMethod({
  name: "imbot.message.update",
  mutates: true,
  idOptional: true,
  params: { MESSAGE_ID: intParam, ...v1ContentParams, SKIP_CONNECTOR: anyParam },
  handler(ctx, params, bot) {
    editMessage(ctx, bot.id, params);
    return true;
  },
});

/** What an edit may carry; keys left out keep what the message has. */
export type MessageEdit = { MESSAGE_ID: number } & { [K in keyof typeof v1ContentParams]?: unknown };

/**
 * An author's edit of its own message (imbot.message.update as the bot, im.message.update as a
 * person): ATTACH, KEYBOARD and MENU given as `''` or `N` are removed; an empty MESSAGE deletes the
 * message. The bots that see the message hear of it.
 */
export function editMessage(ctx: MethodContext, authorId: number, params: MessageEdit): void {
  if (params.MESSAGE_ID <= 0) throw new EmulatorError("MESSAGE_ID_ERROR");
  const attach = params.ATTACH === undefined || clearsV1(params.ATTACH) ? null : readV1Attach(params.ATTACH);
  const keyboard = params.KEYBOARD === undefined || clearsV1(params.KEYBOARD) ? null : readV1Keyboard(params.KEYBOARD, authorId);
  const menu = params.MENU === undefined || clearsV1(params.MENU) ? null : readV1Menu(params.MENU);
  const message = requireEditableMessage(ctx, authorId, params.MESSAGE_ID);

  const text = params.MESSAGE === undefined ? message.text : readV1Text(params.MESSAGE);
  if (text === "") {
    deleteMessage(ctx.portal, message, false, ctx.events);
    return;
  }
  message.text = text;
  if (params.URL_PREVIEW !== undefined) message.urlPreview = toBool(params.URL_PREVIEW, true);
  const next = { ...message.params };
  if (params.ATTACH !== undefined) {
    delete next.ATTACH;
    if (attach) next.ATTACH = [attach];
  }
  if (params.KEYBOARD !== undefined) {
    delete next.KEYBOARD;
    if (keyboard) next.KEYBOARD = keyboard;
    clearBlockedPresses(message);
  }
  if (params.MENU !== undefined) {
    delete next.MENU;
    if (menu) next.MENU = menu;
  }
  message.params = next;
  publishMessageChange(ctx.portal, message, "update", ctx.events);
}
