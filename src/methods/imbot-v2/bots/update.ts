import { secretEquals } from "../../../domain/secrets.js";
import { isPlainObject, type PlainObject } from "../../../domain/json-value.js";
import { argumentError, EmulatorError } from "../../../errors/emulator-error.js";
import { intParam, objectParam, stringParam, toBool } from "../../params/coerce.js";
import { defineMethod, type MethodContext } from "../../types.js";
import { avatarPlaceholder, readAvatar } from "./avatar.js";
import { botParams, requireOwnedBot } from "./access.js";
import {
  BOT_FIELDS,
  backgroundIdFor,
  botWithUser,
  ownerView,
  has,
  isSyntheticApp,
  requireCallbackUrl,
  MAX_BOT_TOKEN_LENGTH,
  newApplicationToken,
  paletteHex,
  parseEventMode,
  requireWebhookToken,
  SYNTHETIC_CLIENT_PREFIX,
  textOf,
  tokenLength,
} from "./fields.js";
import { readFields } from "../../params/fields.js";
import { moveKeptSubscriptions } from "../../../store/kept-subscriptions.js";
import { subscriptionsOnUpdate } from "./subscriptions.js";

/**
 * imbot.v2.Bot.update (spec bots-commands-chats.md §2): only the keys given change; `code` and
 * `type` are fixed. `fields.botToken` rotates the token (rev 35): the old one stops working at once.
 */
export const botUpdate = defineMethod({
  name: "imbot.v2.Bot.update",
  scope: "imbot",
  mutates: true,
  params: botParams({ botId: intParam, botToken: stringParam, fields: objectParam(BOT_FIELDS) }),
  handler(ctx, params) {
    requireWebhookToken(ctx, params.botToken);
    const bot = requireOwnedBot(ctx, params);
    const portal = ctx.portal;

    const fields = readFields(params.fields);
    let properties: PlainObject = {};
    if (has(fields, "properties")) {
      if (!isPlainObject(fields.properties)) throw argumentError("fields.properties", "must be an object");
      properties = fields.properties;
    }

    const avatar = readAvatar(properties.avatar);
    if (avatar.kind === "refused") throw new EmulatorError(avatar.code, avatar.reason);

    const eventMode = has(fields, "eventMode") ? parseEventMode(fields.eventMode) : bot.eventMode;
    if (eventMode === null) {
      throw new EmulatorError("BOT_INVALID_EVENT_MODE", `eventMode must be fetch or webhook, not "${textOf(fields.eventMode)}"`);
    }

    // Rotation exists from revision 35 (change log BOT-NEW-0501-2); earlier ones ignore the key.
    const newToken = ctx.settings.restRevision >= 35 ? textOf(fields.botToken) : "";
    if (newToken !== "") {
      if (tokenLength(newToken) > MAX_BOT_TOKEN_LENGTH) {
        throw new EmulatorError(
          "BOT_TOKEN_INVALID_LENGTH",
          `botToken is ${tokenLength(newToken)} characters long; at most ${MAX_BOT_TOKEN_LENGTH} are allowed`,
        );
      }
      if (!mayRotate(ctx)) {
        throw new EmulatorError("BOT_TOKEN_ROTATION_FAILED", "Only bots registered with a botToken can rotate it");
      }
    }

    const newUrl = textOf(fields.webhookUrl);
    if (newUrl !== "") requireCallbackUrl(ctx, newUrl);
    const webhookUrl = newUrl !== "" ? newUrl : bot.webhookUrl;
    // Spec OPEN-B5: a webhook bot needs somewhere to send its events.
    if (eventMode === "webhook" && !webhookUrl) throw new EmulatorError("BOT_WEBHOOK_URL_REQUIRED");

    const rotates = newToken !== "" && !(bot.botToken !== null && secretEquals(newToken, bot.botToken));
    const taken = (other: typeof bot) => other.id !== bot.id && other.botToken !== null && secretEquals(newToken, other.botToken);
    if (rotates && Object.values(portal.bots).some(taken)) {
      throw new EmulatorError("BOT_TOKEN_ROTATION_FAILED");
    }

    // Every check passed: from here on the portal changes.
    const user = portal.users[bot.id];
    if (user) {
      const name = textOf(properties.name);
      if (name !== "") user.firstName = name;
      if (has(properties, "lastName")) user.lastName = textOf(properties.lastName);
      if (has(properties, "workPosition")) user.workPosition = textOf(properties.workPosition);
      const color = paletteHex(properties.color);
      if (color) user.color = color;
      const gender = textOf(properties.gender).toUpperCase();
      if (gender === "M" || gender === "F") user.gender = gender;
      if (avatar.kind === "ok") user.avatar = avatarPlaceholder(portal.domain, bot.id, avatar.image);
    }

    if (has(fields, "isHidden")) bot.isHidden = toBool(fields.isHidden, bot.isHidden);
    if (has(fields, "isReactionsEnabled")) bot.isReactionsEnabled = toBool(fields.isReactionsEnabled, bot.isReactionsEnabled);
    if (has(fields, "isSupportOpenline")) bot.isSupportOpenline = toBool(fields.isSupportOpenline, bot.isSupportOpenline);
    if (Object.hasOwn(fields, "backgroundId")) bot.backgroundId = backgroundIdFor(ctx, fields.backgroundId);
    subscriptionsOnUpdate(ctx, bot, { eventMode, webhookUrl });
    bot.eventMode = eventMode;
    bot.webhookUrl = webhookUrl;

    if (rotates) {
      moveKeptSubscriptions(portal, bot, newToken);
      bot.botToken = newToken;
      // Spec OPEN-E9: a webhook-registered bot's deliveries get a fresh signing token with the new botToken.
      const app = portal.apps.find((a) => a.clientId === bot.clientId);
      if (isSyntheticApp(app)) {
        app.applicationToken = newApplicationToken(ctx.random);
        bot.applicationToken = app.applicationToken;
      }
    }
    return botWithUser(portal, bot, ownerView(ctx));
  },
});


/**
 * A botToken belongs to webhook-registered bots: a webhook caller may rotate it, and so may the
 * per-bot app's OAuth tokens; an ordinary OAuth application's bots have none (server-source).
 */
function mayRotate(ctx: MethodContext): boolean {
  return ctx.caller.kind === "webhook" || ctx.caller.clientId.startsWith(SYNTHETIC_CLIENT_PREFIX);
}
