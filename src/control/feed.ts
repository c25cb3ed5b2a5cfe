import type { Delivery, JournalEntry } from "../activity/activity.js";
import type { RaisedEvent } from "../events/types.js";
import type { Runtime } from "../runtime.js";
import type { Message, Portal } from "../store/state.js";
import { chatSummary, controlMessageView, type ChatSummary, type ControlMessage } from "./directory.js";
import { findPortal } from "./portals.js";

/** One item of a portal's event stream (`GET /_emulator/portals/{id}/stream`, `PortalControl.subscribe`). */
export type StreamEvent =
  /** First item of every subscription: everything after it is reported. */
  | { type: "ready"; portalId: string }
  | { type: "message"; change: "added" | "edited" | "deleted" | "removed"; message: ControlMessage }
  | { type: "call"; call: JournalEntry }
  | { type: "delivery"; delivery: Delivery }
  | { type: "event"; event: RaisedEvent }
  | { type: "chat"; change: "added" | "changed"; chat: ChatSummary }
  /** Users, bots or commands changed: read them again. */
  | { type: "directory"; portalId: string }
  /** The portal was rebuilt from its fixture: everything seen so far is gone. */
  | { type: "reset"; portalId: string }
  /** The portal was deleted; the subscription ends after this. */
  | { type: "deleted"; portalId: string };

interface Seen {
  portal: Portal;
  lastMessageId: number;
  /** What each message looked like: updates replace text, params and reactions, so a reference compare finds them. */
  messages: Map<number, ReturnType<typeof snapshotOf>>;
  chats: Map<number, string>;
  directory: string;
  lastCallId: number;
  lastDeliveryId: number;
  lastEventId: number;
}

/**
 * Reports what changed in a portal, one item per message, call, delivery, raised event, chat
 * change and reset. It is fed by the change signal the long-polls wait on: after each signal it
 * compares the portal with what it saw last (passes coalesce, so a burst of changes costs one pass).
 * Returns the function that ends the subscription.
 */
export function subscribeToPortal(runtime: Runtime, portalId: string, listener: (event: StreamEvent) => void, onEnd: () => void = () => {}): () => void {
  const initial = findPortal(runtime.store.state, portalId);
  if (!initial) throw new Error(`No portal "${portalId}"`);
  let seen = baseline(runtime, initial);
  let scheduled = false;
  let ended = false;

  const pass = () => {
    scheduled = false;
    if (ended) return;
    const portal = findPortal(runtime.store.state, portalId);
    if (!portal) {
      listener({ type: "deleted", portalId });
      end();
      return;
    }
    if (portal !== seen.portal) {
      seen = baseline(runtime, portal);
      listener({ type: "reset", portalId });
      return;
    }
    for (const event of changesSince(runtime, seen)) listener(event);
  };
  const stop = runtime.activity.watch(
    portalId,
    () => {
      if (scheduled) return;
      scheduled = true;
      setImmediate(pass);
    },
    () => end(),
  );
  const end = () => {
    if (ended) return;
    ended = true;
    stop();
    onEnd();
  };
  listener({ type: "ready", portalId });
  return end;
}

function baseline(runtime: Runtime, portal: Portal): Seen {
  const messages: Seen["messages"] = new Map();
  for (const m of Object.values(portal.messages)) messages.set(m.id, snapshotOf(m));
  const chats = new Map(Object.values(portal.chats).map((c) => [c.id, chatSignature(c)]));
  return {
    portal,
    lastMessageId: portal.seq.message,
    messages,
    chats,
    directory: directorySignature(portal),
    lastCallId: runtime.activity.journal(portal.id).at(-1)?.id ?? 0,
    lastDeliveryId: runtime.activity.deliveries(portal.id).at(-1)?.id ?? 0,
    lastEventId: runtime.activity.raised(portal.id).at(-1)?.eventId ?? 0,
  };
}

function* changesSince(runtime: Runtime, seen: Seen): Generator<StreamEvent> {
  const portal = seen.portal;
  yield* chatChanges(portal, seen);
  // One walk over the stored messages finds edits; removals are looked for only when the count says so.
  let present = 0;
  for (const now of Object.values(portal.messages)) {
    const before = seen.messages.get(now.id);
    if (!before) continue;
    present++;
    if (changedSince(now, before)) {
      const snapshot = snapshotOf(now);
      seen.messages.set(now.id, snapshot);
      yield { type: "message", change: snapshot.deleted ? "deleted" : "edited", message: controlMessageView(now, portal) };
    }
  }
  if (present < seen.messages.size) {
    for (const [id, before] of seen.messages) {
      if (portal.messages[id]) continue;
      seen.messages.delete(id);
      yield { type: "message", change: "removed", message: controlMessageView(before.message, portal) };
    }
  }
  for (let id = seen.lastMessageId + 1; id <= portal.seq.message; id++) {
    const message = portal.messages[id];
    if (!message) continue;
    seen.messages.set(id, snapshotOf(message));
    yield { type: "message", change: "added", message: controlMessageView(message, portal) };
  }
  seen.lastMessageId = portal.seq.message;

  const directory = directorySignature(portal);
  if (directory !== seen.directory) {
    seen.directory = directory;
    yield { type: "directory", portalId: portal.id };
  }
  for (const event of newerThan(runtime.activity.raised(portal.id), seen.lastEventId, (e) => e.eventId)) {
    seen.lastEventId = event.eventId;
    yield { type: "event", event };
  }
  for (const call of newerThan(runtime.activity.journal(portal.id), seen.lastCallId, (c) => c.id)) {
    seen.lastCallId = call.id;
    yield { type: "call", call };
  }
  for (const delivery of newerThan(runtime.activity.deliveries(portal.id), seen.lastDeliveryId, (d) => d.id)) {
    seen.lastDeliveryId = delivery.id;
    yield { type: "delivery", delivery };
  }
}

function* chatChanges(portal: Portal, seen: Seen): Generator<StreamEvent> {
  for (const chat of Object.values(portal.chats)) {
    const signature = chatSignature(chat);
    const before = seen.chats.get(chat.id);
    if (before === signature) continue;
    seen.chats.set(chat.id, signature);
    yield { type: "chat", change: before === undefined ? "added" : "changed", chat: chatSummary(portal, chat) };
  }
}

/** The items after `lastId` of a list kept in id order: found from the end, so a pass costs what is new. */
function newerThan<T>(list: readonly T[], lastId: number, idOf: (item: T) => number): T[] {
  let start = list.length;
  while (start > 0 && idOf(list[start - 1] as T) > lastId) start--;
  return list.slice(start);
}

function snapshotOf(message: Message) {
  return { text: message.text, params: message.params, deleted: message.deleted ?? false, reactions: message.reactions, viewed: message.viewedByOthers ?? false, message };
}

/** Edited, deleted, reacted to or read by someone: all reported as an `edited` (or `deleted`) message. */
function changedSince(now: Message, before: ReturnType<typeof snapshotOf>): boolean {
  return (
    now.text !== before.text ||
    now.params !== before.params ||
    (now.deleted ?? false) !== before.deleted ||
    now.reactions !== before.reactions ||
    (now.viewedByOthers ?? false) !== before.viewed
  );
}

function chatSignature(chat: Portal["chats"][string]): string {
  return `${chat.type}|${chat.title}|${chat.ownerId}|${chat.members.join(",")}`;
}

/** Changes when a user, bot or command is added, removed or renamed. */
function directorySignature(portal: Portal): string {
  const users = Object.values(portal.users).map((u) => `${u.id}:${u.active ? 1 : 0}:${u.firstName}:${u.lastName}:${u.color}`);
  const bots = Object.values(portal.bots).map((b) => `${b.id}:${b.code}:${b.eventMode}:${b.webhookUrl ?? ""}`);
  const commands = Object.values(portal.commands).map((c) => `${c.id}:${c.botId}:${c.command}:${JSON.stringify(c.title)}:${JSON.stringify(c.params)}`);
  return [users.join(";"), bots.join(";"), commands.join(";")].join("\n");
}
