import { EmulatorError } from "../../../errors/emulator-error.js";
import type { Bot, User } from "../../../store/state.js";
import { anyParam, stringParam, toBool } from "../../params/coerce.js";
import { autoColor, textOf } from "../../imbot-v2/bots/fields.js";
import { defineMethod } from "../../types.js";
import { ownedBots, requireV1Owner, upperObject, v1Params } from "../common.js";
import { applyProperties, bindOwnerHandlers, hasName, readBotHandlers, readV1Type, v2TypeOf } from "./fields.js";

/** An owner may hold five bots under v1; v2 counts the same bots against 100 (spec OPEN-V14). */
export const MAX_V1_BOTS_PER_OWNER = 5;

/**
 * imbot.register (spec v1.md §2): creates a bot user whose events follow v1, and binds the owner's
 * handlers. A CODE that exists returns that bot's id, untouched (spec OPEN-V3: whoever asks).
 */
export const imbotRegister = defineMethod({
  name: "imbot.register",
  scope: "imbot",
  mutates: true,
  params: v1Params({
    CODE: stringParam,
    TYPE: anyParam,
    OPENLINE: anyParam,
    PROPERTIES: anyParam,
    CLIENT_ID: stringParam,
    EVENT_HANDLER: anyParam,
    EVENT_MESSAGE_ADD: anyParam,
    EVENT_MESSAGE_UPDATE: anyParam,
    EVENT_MESSAGE_DELETE: anyParam,
    EVENT_WELCOME_MESSAGE: anyParam,
    EVENT_BOT_DELETE: anyParam,
  }),
  handler(ctx, params) {
    const owner = requireV1Owner(ctx, params.CLIENT_ID);
    const handlers = readBotHandlers(params, true);
    const code = textOf(params.CODE);
    if (code === "") throw new EmulatorError("CODE_ERROR");
    const existing = Object.values(ctx.portal.bots).find((bot) => bot.code === code);
    if (existing) return existing.id;
    if (ownedBots(ctx, owner).length >= MAX_V1_BOTS_PER_OWNER) throw new EmulatorError("MAX_COUNT_ERROR");
    const properties = upperObject(params.PROPERTIES);
    if (!hasName(properties)) throw new EmulatorError("NAME_ERROR");

    const type = readV1Type(params.TYPE);
    const openline = type === "O" || toBool(params.OPENLINE, false);
    // The update and delete handlers are kept only for bots that may see every message.
    if (type !== "S" && type !== "O" && !openline) {
      delete handlers.EVENT_MESSAGE_UPDATE;
      delete handlers.EVENT_MESSAGE_DELETE;
    }

    const portal = ctx.portal;
    const id = ++portal.seq.user;
    const user: User = {
      id,
      active: true,
      firstName: "",
      lastName: "",
      workPosition: "",
      gender: "M",
      color: autoColor(id),
      avatar: "",
      email: "",
      extranet: false,
      bot: true,
      departments: [],
    };
    applyProperties(user, { WORK_POSITION: "", ...properties }, portal.domain);
    const app = owner.clientId === null ? undefined : portal.apps.find((a) => a.clientId === owner.clientId);
    const bot: Bot = {
      id,
      code,
      type: v2TypeOf(type),
      eventMode: "webhook",
      webhookUrl: null,
      isHidden: false,
      isReactionsEnabled: true,
      isSupportOpenline: openline,
      backgroundId: null,
      clientId: owner.clientId,
      botToken: owner.customId,
      applicationToken: app?.applicationToken ?? owner.customId ?? "",
      countMessage: 0,
      createdAt: ctx.now.toISOString(),
      api: "v1",
      v1Type: type,
    };
    portal.users[id] = user;
    portal.bots[id] = bot;
    bindOwnerHandlers(portal, owner, handlers);
    return id;
  },
});
