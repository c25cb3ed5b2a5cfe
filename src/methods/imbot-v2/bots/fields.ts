import { paletteByIndex, paletteHex } from "../../../domain/palette.js";
import { isPlainObject, type PlainObject } from "../../../domain/json-value.js";
import { EmulatorError } from "../../../errors/emulator-error.js";
import { secretEquals } from "../../../domain/secrets.js";
import { toOptionalString } from "../../params/coerce.js";
import type { App, Bot, Portal, User } from "../../../store/state.js";
import { botExtendedView, botOwnerView } from "../../../views/bot.js";
import { SYNTHETIC_CLIENT_PREFIX } from "../../../domain/app-id.js";
import { userView } from "../../../views/user.js";
import type { MethodContext } from "../../types.js";
import type { RandomSource } from "../../../random/random-source.js";
import { anyParam, boolParam, objectParam, stringParam, toText } from "../../params/coerce.js";

/** The `fields` Bot.register and Bot.update share (register adds `code` and `type`). */
export const BOT_FIELDS = {
  properties: objectParam({
    name: stringParam,
    lastName: stringParam,
    workPosition: stringParam,
    color: stringParam,
    gender: stringParam,
    avatar: anyParam,
  }),
  eventMode: stringParam,
  webhookUrl: stringParam,
  isHidden: boolParam(false),
  isReactionsEnabled: boolParam(true),
  isSupportOpenline: boolParam(false),
  backgroundId: stringParam,
  botToken: stringParam,
};

/** Bots an owner may hold at once (one OAuth app, or one botToken). */
export const MAX_BOTS_PER_OWNER = 100;

/** Longest botToken a portal accepts (rotation always; registration from the date below). */
export const MAX_BOT_TOKEN_LENGTH = 40;

/** From this instant Bot.register refuses tokens over 40 characters (change log BOT-BC-0506-1). */
export const TOKEN_LENGTH_LIMIT_FROM = Date.UTC(2026, 7, 6);

export { SYNTHETIC_CLIENT_PREFIX };

/** A colour for a bot registered without one: picked from the palette by its id, so it is stable. */
export function autoColor(botId: number): string {
  return paletteByIndex(botId);
}

export { paletteHex };

export const BACKGROUND_IDS = ["azure", "mint", "steel", "slate", "teal", "cornflower", "sky", "peach", "frost"] as const;

/**
 * One of the nine background ids (any case), else null (change log BOT-FIX-0408-4, revision 34);
 * earlier revisions store whatever text was sent.
 */
export function backgroundIdFor(ctx: MethodContext, value: unknown): string | null {
  const text = toOptionalString(value)?.trim() ?? "";
  if (ctx.settings.restRevision < 34) return text === "" ? null : text;
  return BACKGROUND_IDS.find((id) => id === text.toLowerCase()) ?? null;
}

/**
 * Bot types a portal accepts, matched case-insensitively. `network` is accepted as the server does
 * (it behaves like `bot` for message delivery).
 */
const BOT_TYPES = ["bot", "supervisor", "personal", "openline", "network"] as const;

export function parseBotType(value: unknown): Bot["type"] | null {
  const text = toOptionalString(value)?.trim().toLowerCase();
  const found = BOT_TYPES.find((t) => t === text);
  return found ?? null;
}

/** fetch | webhook, any case; null for anything else (including an empty value). */
export function parseEventMode(value: unknown): Bot["eventMode"] | null {
  const text = toOptionalString(value)?.trim().toLowerCase();
  return text === "fetch" || text === "webhook" ? text : null;
}

/** Spec OPEN-B2: an absolute http(s) URL with a host; localhost and private addresses are fine. */
export function isValidCallbackUrl(value: string): boolean {
  if (/\s/.test(value)) return false;
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
  } catch {
    return false;
  }
}

/**
 * A webhookUrl a bot may register: an absolute http(s) URL (BOT_INVALID_CALLBACK otherwise), at a
 * target the emulator may send to (loopback or `--webhook-allow`, never the emulator itself).
 */
export function requireCallbackUrl(ctx: MethodContext, url: string): void {
  if (!isValidCallbackUrl(url)) throw new EmulatorError("BOT_INVALID_CALLBACK", `webhookUrl "${url}" is not an absolute http(s) URL`);
  const refusal = ctx.webhookTargets.refusal(url);
  if (refusal) throw new EmulatorError("BOT_INVALID_CALLBACK", refusal);
}

/** A JSON-or-form value as trimmed text; numbers count, anything else is "". */
export function textOf(value: unknown): string {
  return toText(value).trim();
}

export function objectOf(value: unknown): PlainObject {
  return isPlainObject(value) ? value : {};
}

export function has(object: PlainObject, key: string): boolean {
  return Object.hasOwn(object, key) && object[key] !== undefined && object[key] !== null;
}

/** Token length in characters (code points), as the portal counts it. */
export function tokenLength(token: string): number {
  return [...token].length;
}

/** The botToken a webhook caller presented (trimmed), or "" under OAuth, where it is ignored. */
export function webhookToken(ctx: MethodContext, raw: string | undefined): string {
  return ctx.caller.kind === "webhook" ? (raw?.trim() ?? "") : "";
}

/**
 * The first check of every Bot.* method: a webhook caller must present a botToken. Before revision
 * 34 (change log BOT-FIX-0408-6) Bot.* answered CLIENT_ID_NOT_SPECIFIED instead.
 */
export function requireWebhookToken(ctx: MethodContext, raw: string | undefined): string {
  const token = webhookToken(ctx, raw);
  if (ctx.caller.kind === "webhook" && token === "") {
    throw new EmulatorError(ctx.settings.restRevision >= 34 ? "BOT_TOKEN_NOT_SPECIFIED" : "CLIENT_ID_NOT_SPECIFIED");
  }
  return token;
}

/** Same rule as requireOwnedBot: OAuth owns by app client id, webhook by the bot's token. */
export function ownsBot(ctx: MethodContext, bot: Bot, token: string): boolean {
  if (ctx.caller.kind === "oauth") return bot.clientId === ctx.caller.clientId;
  return token !== "" && bot.botToken !== null && secretEquals(token, bot.botToken);
}

/** The caller's bots, oldest first. */
export function ownedBots(ctx: MethodContext, token: string): Bot[] {
  return Object.values(ctx.portal.bots)
    .filter((bot) => ownsBot(ctx, bot, token))
    .sort((a, b) => a.id - b.id);
}

export function isSyntheticApp(app: App | undefined): app is App {
  return app !== undefined && app.clientId.startsWith(SYNTHETIC_CLIENT_PREFIX);
}

/** The per-bot OAuth app a webhook-registered bot's events are signed with (spec OPEN-E9). */
export function newSyntheticApp(random: RandomSource): App {
  return {
    clientId: SYNTHETIC_CLIENT_PREFIX + random.hex(6),
    applicationToken: random.hex(16),
    scopes: ["imbot", "im"],
    tokens: [],
  };
}

export function newApplicationToken(random: RandomSource): string {
  return random.hex(16);
}

/** The bot as its owner sees it in the emulated revision (with `appId` before 35, views/bot.ts). */
export function ownerView(ctx: MethodContext): (bot: Bot, portal: Portal) => Record<string, unknown> {
  return botOwnerView(ctx.settings.restRevision);
}

/** `{bot, users}`: the bot as its owner (extended) or anyone else (brief) sees it, and its user. */
export function botWithUser(portal: Portal, bot: Bot, view: (bot: Bot, portal: Portal) => Record<string, unknown> = botExtendedView) {
  return { bot: view(bot, portal), users: usersOf(portal, [bot.id]) };
}

export function usersOf(portal: Portal, ids: readonly number[]): Record<string, unknown>[] {
  return ids.map((id) => portal.users[id]).filter((u): u is User => u !== undefined).map(userView);
}
