import { isoWithOffsetFromIso } from "../../domain/dates.js";
import { EmulatorError } from "../../errors/emulator-error.js";
import { fullName } from "../../store/messages.js";
import type { Portal, User } from "../../store/state.js";
import { anyParam, toInt } from "../params/coerce.js";
import { defineMethod } from "../types.js";
import { v1Params } from "../imbot-v1/common.js";

/** A user as the im REST methods show one (snake_case; `OB/chats/users` fields). */
export function imUserView(portal: Portal, user: User): Record<string, unknown> {
  return {
    id: user.id,
    active: user.active,
    name: fullName(user),
    first_name: user.firstName,
    last_name: user.lastName,
    work_position: user.workPosition,
    color: user.color,
    avatar: user.avatar,
    avatar_hr: user.avatar,
    gender: user.gender,
    birthday: "",
    extranet: user.extranet,
    network: false,
    bot: user.bot,
    connector: false,
    external_auth_id: user.bot ? "bot" : "default",
    status: "online",
    idle: false,
    last_activity_date: isoWithOffsetFromIso(portal.createdAt),
    mobile_last_date: false,
    desktop_last_date: false,
    absent: false,
    departments: [...user.departments],
    phones: false,
    type: user.bot ? "bot" : user.extranet ? "extranet" : "employee",
  };
}

/**
 * user.current: the caller (the webhook's user, or the token's). Answered to any credential: the
 * fixture's webhooks carry no `user` scope, and clients call it first to check a connection.
 */
export const userCurrent = defineMethod({
  name: "user.current",
  scope: "",
  mutates: false,
  params: v1Params({}),
  handler(ctx) {
    return userGetView(ctx.caller.userId, ctx.portal.users[ctx.caller.userId]);
  },
});

/** A user in the user.get layout (UPPER_CASE, ID as text); `user` absent for a caller the store does not know. */
export function userGetView(id: number, user: User | undefined): Record<string, unknown> {
  return {
    ID: String(id),
    XML_ID: null,
    ACTIVE: user?.active ?? true,
    NAME: user?.firstName ?? "",
    LAST_NAME: user?.lastName ?? "",
    SECOND_NAME: "",
    EMAIL: user?.email ?? "",
    PERSONAL_GENDER: user?.gender ?? "",
    WORK_POSITION: user?.workPosition ?? "",
    UF_DEPARTMENT: [...(user?.departments ?? [])],
    IS_ONLINE: "Y",
    TIME_ZONE: "",
    USER_TYPE: user?.bot ? "bot" : user?.extranet ? "extranet" : "employee",
  };
}

/** im.user.get: one user by ID (absent: the caller). */
export const imUserGet = defineMethod({
  name: "im.user.get",
  scope: "im",
  mutates: false,
  params: v1Params({ ID: anyParam, AVATAR_HR: anyParam }),
  handler(ctx, params) {
    const given = params.ID !== undefined && params.ID !== null && params.ID !== "";
    const id = given ? toInt(params.ID) : ctx.caller.userId;
    if (id <= 0) throw new EmulatorError("ID_EMPTY");
    const user = ctx.portal.users[id];
    if (!user) throw new EmulatorError("USER_NOT_EXISTS");
    return imUserView(ctx.portal, user);
  },
});
