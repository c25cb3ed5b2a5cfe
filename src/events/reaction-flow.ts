import type { Chat, Message, Portal, User } from "../store/state.js";
import { payloads } from "./payloads.js";
import type { EventSink } from "./sink.js";
import type { RaisedEvent } from "./types.js";
import { isV1Bot } from "./v1/publish.js";

/**
 * REACTIONCHANGE goes to the message's author only, and only when that author is a bot with
 * reactions enabled; a bot reacting to its own message hears of it too (`im/lib/bot.php`). v1 has no
 * reaction event, so a v1 author hears nothing (spec v1.md §6).
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
  if (!author || !author.isReactionsEnabled || isV1Bot(author)) return [];
  return [sink.raise(author, "ONIMBOTV2REACTIONCHANGE", payloads.reactionChange(portal, author.id, reaction, action, message, chat, reactor, sink.shapes))];
}
