import type { Chat, Message, Portal, User } from "../store/state.js";
import { payloads } from "./payloads.js";
import type { EventSink } from "./sink.js";
import type { RaisedEvent } from "./types.js";

/**
 * REACTIONCHANGE goes to the message's author only, and only when that author is a bot with
 * reactions enabled; a bot reacting to its own message hears of it too (`im/lib/bot.php`).
 */
export function publishReactionChange(
  portal: Portal,
  message: Message,
  chat: Chat,
  reactor: User,
  reaction: string,
  action: "add" | "delete",
  sink: EventSink,
): RaisedEvent[] {
  const author = portal.bots[message.authorId];
  if (!author || !author.isReactionsEnabled) return [];
  return [sink.raise(author, "ONIMBOTV2REACTIONCHANGE", payloads.reactionChange(portal, author.id, reaction, action, message, chat, reactor))];
}
