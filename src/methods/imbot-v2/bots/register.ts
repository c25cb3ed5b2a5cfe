import { isPlainObject, type PlainObject } from "../../../domain/json-value.js";
import { EmulatorError } from "../../../errors/emulator-error.js";
import { objectParam, stringParam, toBool } from "../../params/coerce.js";
import type { Bot, User } from "../../../store/state.js";
import { defineMethod } from "../../types.js";
import { avatarPlaceholder, readAvatar } from "./avatar.js";
import { warnIgnoredWebhookUrl, warnUnchangedRegistration } from "./register-hints.js";
import { botParams } from "./access.js";
import {
  BOT_FIELDS,
  autoColor,
  backgroundIdFor,
  botWithUser,
  ownerView,
  has,
  requireCallbackUrl,
  MAX_BOT_TOKEN_LENGTH,
  MAX_BOTS_PER_OWNER,
  newSyntheticApp,
  objectOf,
  ownedBots,
  ownsBot,
  paletteHex,
  parseBotType,
  parseEventMode,
  requireWebhookToken,
  textOf,
  TOKEN_LENGTH_LIMIT_FROM,
  tokenLength,
} from "./fields.js";

/** The upper-case field names the portal's Bot controller also reads; the camelCase name wins. */
const REGISTER_ALIASES = {
  code: "CODE",
  properties: "PROPERTIES",
  type: "TYPE",
  eventMode: "EVENT_MODE",
  webhookUrl: "WEBHOOK_URL",
  isHidden: "IS_HIDDEN",
  isReactionsEnabled: "IS_REACTIONS_ENABLED",
  isSupportOpenline: "IS_SUPPORT_OPENLINE",
  backgroundId: "BACKGROUND_ID",
};
const PROPERTY_ALIASES = {
  name: "NAME",
  lastName: "LAST_NAME",
  color: "COLOR",
  workPosition: "WORK_POSITION",
  gender: "PERSONAL_GENDER",
  avatar: "PERSONAL_PHOTO",
};

function withUpperCaseAliases(object: PlainObject, aliases: Record<string, string>): PlainObject {
  const out: PlainObject = { ...object };
  for (const [name, alias] of Object.entries(aliases)) {
    if (out[name] === undefined && out[alias] !== undefined) out[name] = out[alias];
  }
  return out;
}

/**
 * imbot.v2.Bot.register (spec bots-commands-chats.md §1). Idempotent per code and owner: the same
 * owner registering a code again gets the existing bot back untouched.
 */
export const botRegister = defineMethod({
  name: "imbot.v2.Bot.register",
  scope: "imbot",
  mutates: true,
  params: botParams({ fields: objectParam({ ...BOT_FIELDS, code: stringParam, type: stringParam }), botToken: stringParam }),
  handler(ctx, params) {
    const fields = withUpperCaseAliases(objectOf(params.fields), REGISTER_ALIASES);

    // Spec v2-complete.md §4 d: the top-level token wins; fields.botToken / BOT_TOKEN only without one.
    const token = requireWebhookToken(ctx, textOf(params.botToken) || textOf(fields.botToken) || textOf(fields.BOT_TOKEN));
    if (ctx.caller.kind === "webhook") {
      // Change log BOT-BC-0506-1 (revision 36): long tokens are refused from 2026-08-06 on.
      const limited = ctx.settings.restRevision >= 36 && ctx.now.getTime() >= TOKEN_LENGTH_LIMIT_FROM;
      if (limited && tokenLength(token) > MAX_BOT_TOKEN_LENGTH) {
        throw new EmulatorError(
          "BOT_TOKEN_INVALID_LENGTH",
          `botToken is ${tokenLength(token)} characters long; at most ${MAX_BOT_TOKEN_LENGTH} are allowed`,
        );
      }
    }

    const code = textOf(fields.code);
    if (code === "") throw new EmulatorError("BOT_CODE_REQUIRED");

    const properties = isPlainObject(fields.properties) ? withUpperCaseAliases(fields.properties, PROPERTY_ALIASES) : fields.properties;
    const name = isPlainObject(properties) ? textOf(properties.name) : "";
    if (!isPlainObject(properties) || name === "") throw new EmulatorError("BOT_PROPERTIES_REQUIRED");

    const eventMode = has(fields, "eventMode") ? parseEventMode(fields.eventMode) : "fetch";
    if (eventMode === null) {
      throw new EmulatorError("BOT_INVALID_EVENT_MODE", `eventMode must be fetch or webhook, not "${textOf(fields.eventMode)}"`);
    }
    const webhookUrl = textOf(fields.webhookUrl);
    if (eventMode === "webhook" && webhookUrl === "") throw new EmulatorError("BOT_WEBHOOK_URL_REQUIRED");
    warnIgnoredWebhookUrl(ctx, eventMode, webhookUrl);

    const existing = Object.values(ctx.portal.bots).find((bot) => bot.code === code);
    if (existing) {
      if (ownsBot(ctx, existing, token)) {
        warnUnchangedRegistration(ctx, existing, {
          eventMode: has(fields, "eventMode") ? eventMode : undefined,
          webhookUrl: eventMode === "webhook" ? webhookUrl : undefined,
          type: has(fields, "type") ? (parseBotType(fields.type) ?? undefined) : undefined,
        });
        return botWithUser(ctx.portal, existing, ownerView(ctx));
      }
      throw new EmulatorError("BOT_CODE_ALREADY_TAKEN", `Bot code "${code}" is registered by another owner`);
    }

    if (ownedBots(ctx, token).length >= MAX_BOTS_PER_OWNER) throw new EmulatorError("BOT_LIMIT_EXCEEDED");

    const type = has(fields, "type") ? parseBotType(fields.type) : "bot";
    if (type === null) throw new EmulatorError("BOT_INVALID_TYPE", `Bot type "${textOf(fields.type)}" is not supported`);

    if (eventMode === "webhook") requireCallbackUrl(ctx, webhookUrl);

    const avatar = readAvatar(properties.avatar);
    if (avatar.kind === "refused") throw new EmulatorError(avatar.code, avatar.reason);

    // Every check passed: from here on the portal changes.
    const portal = ctx.portal;
    const id = ++portal.seq.user;
    const gender = textOf(properties.gender).toUpperCase();
    const user: User = {
      id,
      active: true,
      firstName: name,
      lastName: textOf(properties.lastName),
      workPosition: textOf(properties.workPosition),
      gender: gender === "F" ? "F" : "M",
      color: paletteHex(properties.color) ?? autoColor(id),
      avatar: avatar.kind === "ok" ? avatarPlaceholder(portal.domain, id, avatar.image) : "",
      email: "",
      extranet: false,
      bot: true,
      departments: [],
    };

    let owner: Pick<Bot, "clientId" | "botToken" | "applicationToken">;
    if (ctx.caller.kind === "oauth") {
      const clientId = ctx.caller.clientId;
      const app = portal.apps.find((a) => a.clientId === clientId);
      owner = { clientId, botToken: null, applicationToken: app?.applicationToken ?? "" };
    } else {
      // Spec OPEN-E9: a per-bot app, so webhook deliveries can carry an access token to call back with.
      const app = newSyntheticApp(ctx.random);
      portal.apps.push(app);
      owner = { clientId: app.clientId, botToken: token, applicationToken: app.applicationToken };
    }

    const bot: Bot = {
      id,
      code,
      type,
      eventMode,
      webhookUrl: eventMode === "webhook" ? webhookUrl : null,
      isHidden: toBool(fields.isHidden, false),
      isReactionsEnabled: toBool(fields.isReactionsEnabled, true),
      isSupportOpenline: toBool(fields.isSupportOpenline, false),
      backgroundId: backgroundIdFor(ctx, fields.backgroundId),
      ...owner,
      countMessage: 0,
      createdAt: ctx.now.toISOString(),
    };
    portal.users[id] = user;
    portal.bots[id] = bot;
    return botWithUser(portal, bot, ownerView(ctx));
  },
});
