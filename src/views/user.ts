import type { User } from "../store/state.js";
import { fullName } from "../store/messages.js";
import { isoWithOffsetFromIso } from "../domain/dates.js";

/** The documented User object, every field present (examples show subsets; clients may read any). */
export function userView(user: User): Record<string, unknown> {
  return {
    id: user.id,
    active: user.active,
    name: fullName(user),
    firstName: user.firstName,
    lastName: user.lastName,
    workPosition: user.workPosition,
    color: user.color,
    avatar: user.avatar,
    gender: user.gender,
    birthday: "",
    extranet: user.extranet,
    bot: user.bot,
    connector: false,
    externalAuthId: user.bot ? "bot" : "default",
    status: "online",
    idle: false,
    lastActivityDate: user.lastActivityDate === undefined ? false : isoWithOffsetFromIso(user.lastActivityDate),
    mobileLastDate: false,
    desktopLastDate: false,
    absent: false,
    departments: [...user.departments],
    phones: false,
    type: user.bot ? "bot" : user.extranet ? "extranet" : "employee",
    website: "",
    email: user.email,
  };
}
