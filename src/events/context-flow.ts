import { dialogIdFor } from "../domain/dialog-id.js";
import type { Chat, Portal, User } from "../store/state.js";
import { chatEventView } from "../views/chat.js";
import { userView } from "../views/user.js";
import type { EventSink } from "./sink.js";
import type { RaisedEvent } from "./types.js";

/**
 * ONIMBOTV2CONTEXTGET to every bot in the chat, one each (spec v2-complete.md §3, CB2 bot-context.md):
 * `dialogId` as the bot names the chat, the context object as sent, the person who opened it.
 */
export function publishContext(portal: Portal, chat: Chat, opener: User, context: Record<string, unknown>, sink: EventSink): RaisedEvent[] {
  return chat.members
    .map((memberId) => portal.bots[memberId])
    .filter((bot) => bot !== undefined)
    .map((bot) =>
      sink.raise(bot, "ONIMBOTV2CONTEXTGET", {
        dialogId: dialogIdFor(chat, bot.id),
        context,
        chat: chatEventView(chat, bot.id, sink.shapes),
        user: userView(opener),
        language: portal.language,
      }),
    );
}
