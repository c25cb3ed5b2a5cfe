import type { PlainObject } from "../../../domain/json-value.js";
import { EmulatorError } from "../../../errors/emulator-error.js";
import type { Bot, Portal, User, V1BotType, V1HandlerKind } from "../../../store/state.js";
import { bindV1Handlers, withClientId } from "../../../store/v1-handlers.js";
import { isValidCallbackUrl, paletteHex, textOf } from "../../imbot-v2/bots/fields.js";
import { readAvatar, avatarPlaceholder } from "../../imbot-v2/bots/avatar.js";
import type { V1Owner } from "../common.js";

/** The bot handlers, in the order the server checks them. */
const BOT_HANDLERS = [
  ["EVENT_MESSAGE_ADD", "EVENT_MESSAGE_ADD_ERROR", 'Handler for "Message add" event isn\'t specified'],
  ["EVENT_MESSAGE_UPDATE", "EVENT_MESSAGE_UPDATE_ERROR", null],
  ["EVENT_MESSAGE_DELETE", "EVENT_MESSAGE_DELETE_ERROR", null],
  ["EVENT_WELCOME_MESSAGE", "EVENT_WELCOME_MESSAGE_ERROR", 'Handler for "Welcome message" event isn\'t specified'],
  ["EVENT_BOT_DELETE", "EVENT_BOT_DELETE_ERROR", 'Handler for "Bot delete" event isn\'t specified'],
] as const;

/**
 * The handler URLs given to imbot.register / imbot.update: each EVENT_* or else EVENT_HANDLER.
 * On register the add, welcome and delete handlers are required; any given URL must be absolute
 * http(s) (spec OPEN-V4).
 */
export function readBotHandlers(source: PlainObject, required: boolean): Partial<Record<V1HandlerKind, string>> {
  const fallback = textOf(source.EVENT_HANDLER).trim();
  const urls: Partial<Record<V1HandlerKind, string>> = {};
  for (const [kind, code, missing] of BOT_HANDLERS) {
    const url = textOf(source[kind]).trim() || fallback;
    if (url === "") {
      if (required && missing) throw new EmulatorError(code, missing);
      continue;
    }
    if (!isValidCallbackUrl(url)) throw new EmulatorError(code, "Wrong handler URL");
    urls[kind] = url;
  }
  return urls;
}

/** Binds handler URLs for the owner; a webhook owner's carry its CLIENT_ID, as a portal appends it. */
export function bindOwnerHandlers(portal: Portal, owner: V1Owner, urls: Partial<Record<V1HandlerKind, string>>): void {
  const stored = Object.fromEntries(Object.entries(urls).map(([kind, url]) => [kind, withClientId(url, owner.customId)]));
  bindV1Handlers(portal, owner.key, stored);
}

/** TYPE: B (default, also for anything unknown), H, S or O. */
export function readV1Type(value: unknown): V1BotType {
  const type = textOf(value).trim().toUpperCase();
  return type === "H" || type === "S" || type === "O" ? type : "B";
}

/** How v2 reads a v1 type (spec v1.md §7). */
export function v2TypeOf(type: V1BotType): Bot["type"] {
  return type === "S" ? "supervisor" : type === "O" ? "openline" : "bot";
}

/** The portal fills an empty WORK_POSITION with its own (English) default. */
const DEFAULT_WORK_POSITION = "Chat bot";

/** PROPERTIES onto the bot's user record; only keys present change. A bad PERSONAL_PHOTO is ignored. */
export function applyProperties(user: User, properties: PlainObject, portalDomain: string): void {
  const has = (key: string) => Object.hasOwn(properties, key);
  if (has("NAME")) user.firstName = textOf(properties.NAME).trim();
  if (has("LAST_NAME")) user.lastName = textOf(properties.LAST_NAME).trim();
  if (has("WORK_POSITION")) user.workPosition = textOf(properties.WORK_POSITION).trim() || DEFAULT_WORK_POSITION;
  if (has("COLOR")) user.color = paletteHex(properties.COLOR) ?? user.color;
  if (has("EMAIL")) user.email = textOf(properties.EMAIL).trim();
  if (has("PERSONAL_GENDER")) {
    const gender = textOf(properties.PERSONAL_GENDER).trim().toUpperCase();
    if (gender === "M" || gender === "F") user.gender = gender;
  }
  if (has("PERSONAL_PHOTO")) {
    const avatar = readAvatar(properties.PERSONAL_PHOTO);
    if (avatar.kind === "ok") user.avatar = avatarPlaceholder(portalDomain, user.id, avatar.image);
  }
}

/** NAME or LAST_NAME must be non-empty once PROPERTIES are applied. */
export function hasName(properties: PlainObject): boolean {
  return textOf(properties.NAME).trim() !== "" || textOf(properties.LAST_NAME).trim() !== "";
}
