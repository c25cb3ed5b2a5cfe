import type { Bot, Portal, V1Binding, V1HandlerKind } from "./state.js";

/**
 * Who owns a v1 bot, as one string: an OAuth app by its client id, a webhook owner by the
 * CLIENT_ID it sends (stored as `custom{CLIENT_ID}` on a portal, spec v1.md §1). A v2 webhook
 * owner's botToken is the same owner as a v1 CLIENT_ID of that text (spec OPEN-V13).
 */
export type V1OwnerKey = string;

export function oauthOwnerKey(clientId: string): V1OwnerKey {
  return `app:${clientId}`;
}

export function customOwnerKey(clientIdParam: string): V1OwnerKey {
  return `custom${clientIdParam}`;
}

export function ownerKeyOfBot(bot: Bot): V1OwnerKey {
  return bot.clientId !== null ? oauthOwnerKey(bot.clientId) : customOwnerKey(bot.botToken ?? "");
}

/** Binds the given handler URLs for the owner; each replaces the owner's previous one for that event. */
export function bindV1Handlers(portal: Portal, owner: V1OwnerKey, urls: Partial<Record<V1HandlerKind, string>>): void {
  const book = (portal.v1Handlers ??= { lastId: 0, owners: {} });
  const bound = (book.owners[owner] ??= {});
  for (const [kind, url] of Object.entries(urls) as [V1HandlerKind, string][]) {
    const current = bound[kind];
    if (current?.url === url && !current.offline && !current.authType) continue;
    bound[kind] = { id: ++book.lastId, url };
  }
}

/**
 * event.bind: one event's binding with its `auth_type` and `event_type`; it replaces the owner's
 * previous one for that event (a new id) unless it is the same.
 */
export function bindV1Event(portal: Portal, owner: V1OwnerKey, kind: V1HandlerKind, binding: Omit<V1Binding, "id">): void {
  const bound = ((portal.v1Handlers ??= { lastId: 0, owners: {} }).owners[owner] ??= {});
  bound[kind] = rebound(portal, bound[kind], binding);
}

/**
 * The binding event.bind leaves in a slot that held `current`: unchanged if it is the same, else a new
 * one with the next id of the portal's one binding sequence (event.get lists bindings in that order).
 */
export function rebound(portal: Portal, current: V1Binding | undefined, binding: Omit<V1Binding, "id">): V1Binding {
  const same = current && current.url === binding.url && (current.authType ?? 0) === (binding.authType ?? 0) && current.offline === binding.offline;
  if (same) return current;
  const book = (portal.v1Handlers ??= { lastId: 0, owners: {} });
  return { id: ++book.lastId, url: binding.url, ...(binding.authType ? { authType: binding.authType } : {}), ...(binding.offline ? { offline: true } : {}) };
}

/** Drops the owner's handler for one event (only if it is at `url`, when given); true if one went. */
export function unbindV1Handler(portal: Portal, owner: V1OwnerKey, kind: V1HandlerKind, url?: string): boolean {
  const bound = portal.v1Handlers?.owners[owner];
  const binding = bound?.[kind];
  if (!bound || !binding || (url !== undefined && binding.url !== url)) return false;
  delete bound[kind];
  return true;
}

export function v1Handler(portal: Portal, owner: V1OwnerKey, kind: V1HandlerKind): V1Binding | undefined {
  return portal.v1Handlers?.owners[owner]?.[kind];
}

/** An owner's handlers go with its last v1 bot. */
export function dropV1HandlersIfUnused(portal: Portal, owner: V1OwnerKey): void {
  const book = portal.v1Handlers;
  if (!book?.owners[owner]) return;
  const stillUsed = Object.values(portal.bots).some((bot) => bot.api === "v1" && ownerKeyOfBot(bot) === owner);
  if (!stillUsed) delete book.owners[owner];
}

/** A webhook owner's handler URLs carry its CLIENT_ID, as a portal appends it on registration. */
export function withClientId(url: string, clientIdParam: string | null): string {
  if (clientIdParam === null) return url;
  return `${url}${url.includes("?") ? "&" : "?"}CLIENT_ID=${encodeURIComponent(clientIdParam)}`;
}
