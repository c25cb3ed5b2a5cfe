import type { Bot, Chat, Command, Message, Portal, V1HandlerKind } from "../../store/state.js";
import { ownerKeyOfBot, v1Handler } from "../../store/v1-handlers.js";
import { queueV1OfflineEvent } from "../../store/v1-offline.js";
import type { EventSink } from "../sink.js";
import type { RaisedEvent, V1EventType } from "../types.js";
import { v1BotBlock, v1TopAuth } from "./auth.js";
import { commandAddParams, joinChatParams, messageAddParams, messageChangeParams, v1UserBlock } from "./payloads.js";

/**
 * The imbot v1 event encoder (spec v1.md §6): events of bots registered through v1 go as one
 * form POST per owner, to the handler URL the owner bound for that event, with every target bot
 * of that owner in `data[BOT]` (or every called command in `data[COMMAND]`). An owner that bound
 * no handler for the event hears nothing.
 */

/** The handler slot of each v1 event; event.bind names events, imbot.register slots. */
export const V1_HANDLER_OF: Readonly<Record<V1EventType, V1HandlerKind>> = {
  ONIMBOTMESSAGEADD: "EVENT_MESSAGE_ADD",
  ONIMBOTMESSAGEUPDATE: "EVENT_MESSAGE_UPDATE",
  ONIMBOTMESSAGEDELETE: "EVENT_MESSAGE_DELETE",
  ONIMCOMMANDADD: "EVENT_COMMAND_ADD",
  ONIMBOTJOINCHAT: "EVENT_WELCOME_MESSAGE",
  ONIMBOTDELETE: "EVENT_BOT_DELETE",
};

export function isV1Bot(bot: Bot): boolean {
  return bot.api === "v1";
}

/** One command called in a message (typed, or a keyboard button): what ONIMCOMMANDADD carries. */
export interface V1CommandCall {
  bot: Bot;
  command: Command;
  params: string;
  context: "TEXTAREA" | "KEYBOARD";
  /** The message the bot answers: the typed one, or the bot's own message carrying the button. */
  messageId: number;
}

function byOwner<T>(items: readonly T[], botOf: (item: T) => Bot): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = ownerKeyOfBot(botOf(item));
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  return groups;
}

function post(
  portal: Portal,
  sink: EventSink,
  type: V1EventType,
  bots: readonly Bot[],
  actingUserId: number,
  data: Record<string, unknown>,
): RaisedEvent[] {
  const first = bots[0];
  if (!first) return [];
  const owner = ownerKeyOfBot(first);
  const handler = v1Handler(portal, owner, V1_HANDLER_OF[type]);
  if (!handler) return [];
  const actor = handler.authType || actingUserId;
  if (handler.offline) {
    queueV1OfflineEvent(portal, owner, { id: ++portal.seq.event, event: type, date: sink.now.toISOString(), userId: actor, data });
    return [];
  }
  const body = {
    event: type,
    event_handler_id: handler.id,
    data,
    ts: Math.floor(sink.now.getTime() / 1000),
    auth: v1TopAuth(portal, sink, first, actor),
  };
  return sink.raiseForm(bots, type, handler.url, body);
}

function botBlocks(portal: Portal, sink: EventSink, bots: readonly Bot[]): Record<string, unknown> {
  return Object.fromEntries(bots.map((bot) => [String(bot.id), v1BotBlock(portal, sink, bot)]));
}

/** ONIMBOTMESSAGEADD to the v1 bots that see a new message. */
export function publishV1MessageAdd(portal: Portal, sink: EventSink, message: Message, chat: Chat, bots: readonly Bot[]): RaisedEvent[] {
  const author = portal.users[message.authorId];
  return [...byOwner(bots, (b) => b).values()].flatMap((owned) =>
    post(portal, sink, "ONIMBOTMESSAGEADD", owned, message.authorId, {
      BOT: botBlocks(portal, sink, owned),
      PARAMS: messageAddParams(portal, message, chat, owned[0]!.id),
      ...(author ? { USER: v1UserBlock(author, true) } : {}),
    }),
  );
}

/** ONIMCOMMANDADD: one POST per owner, every command of that owner the user called in `data[COMMAND]`. */
export function publishV1CommandAdd(
  portal: Portal,
  sink: EventSink,
  message: Message,
  chat: Chat,
  userId: number,
  calls: readonly V1CommandCall[],
): RaisedEvent[] {
  const user = portal.users[userId];
  const botsInChat = chat.members.filter((id) => portal.bots[id] !== undefined);
  return [...byOwner(calls, (c) => c.bot).values()].flatMap((owned) => {
    const first = owned[0]!;
    const commands = Object.fromEntries(
      owned.map((call) => [
        String(call.command.id),
        {
          ...v1BotBlock(portal, sink, call.bot),
          COMMAND: call.command.command,
          COMMAND_ID: call.command.id,
          COMMAND_PARAMS: call.params,
          COMMAND_CONTEXT: call.context,
          MESSAGE_ID: call.messageId,
        },
      ]),
    );
    const params = { ...commandAddParams(portal, message, chat, first.bot.id, botsInChat), COMMAND_CONTEXT: first.context };
    if (first.context === "KEYBOARD") Object.assign(params, { FROM_USER_ID: userId, AUTHOR_ID: userId, MESSAGE: `/${first.command.command}${first.params ? ` ${first.params}` : ""}` });
    const bots = [...new Set(owned.map((c) => c.bot))];
    return post(portal, sink, "ONIMCOMMANDADD", bots, userId, {
      COMMAND: commands,
      PARAMS: params,
      ...(user ? { USER: v1UserBlock(user, false) } : {}),
    });
  });
}

/** ONIMBOTMESSAGEUPDATE / ONIMBOTMESSAGEDELETE, only to owners that bound a handler for them. */
export function publishV1MessageChange(
  portal: Portal,
  sink: EventSink,
  message: Message,
  chat: Chat,
  bots: readonly Bot[],
  change: "update" | "delete",
): RaisedEvent[] {
  const type = change === "update" ? "ONIMBOTMESSAGEUPDATE" : "ONIMBOTMESSAGEDELETE";
  const author = portal.users[message.authorId];
  return [...byOwner(bots, (b) => b).values()].flatMap((owned) => {
    const params = messageChangeParams(portal, message, chat, owned[0]!.id, change);
    return post(portal, sink, type, owned, message.authorId, {
      BOT: botBlocks(portal, sink, owned),
      PARAMS: params,
      ...(author && "FROM_USER_ID" in params ? { USER: v1UserBlock(author, true) } : {}),
    });
  });
}

/** ONIMBOTJOINCHAT: the bots were added to a chat, or a user opened a bot's 1:1 dialog. */
export function publishV1Join(portal: Portal, sink: EventSink, chat: Chat, bots: readonly Bot[], userId: number): RaisedEvent[] {
  const user = portal.users[userId];
  return [...byOwner(bots, (b) => b).values()].flatMap((owned) =>
    post(portal, sink, "ONIMBOTJOINCHAT", owned, userId, {
      BOT: botBlocks(portal, sink, owned),
      PARAMS: joinChatParams(portal, chat, owned[0]!.id, userId),
      ...(user ? { USER: v1UserBlock(user, false) } : {}),
    }),
  );
}

/** ONIMBOTDELETE: only the bot's id and code. Raised before the bot (and its owner's handlers) go. */
export function publishV1BotDelete(portal: Portal, sink: EventSink, bot: Bot, userId: number): RaisedEvent[] {
  return post(portal, sink, "ONIMBOTDELETE", [bot], userId, { BOT_ID: bot.id, BOT_CODE: bot.code });
}
