import { isPlainObject } from "../../domain/json-value.js";
import type { User } from "../../store/state.js";
import { pageOf } from "../list-page.js";
import { anyParam, toBool, toInt, toText } from "../params/coerce.js";
import { defineMethod } from "../types.js";
import { upperObject, v1Params } from "../imbot-v1/common.js";
import { userGetView } from "./users.js";

type Filterable = (user: User) => string | number | boolean | number[];

/** The FILTER fields user.get understands; any other field is ignored (it narrows nothing). */
const FILTER_FIELDS: Record<string, Filterable> = {
  ID: (user) => user.id,
  ACTIVE: (user) => user.active,
  NAME: (user) => user.firstName,
  LAST_NAME: (user) => user.lastName,
  EMAIL: (user) => user.email,
  WORK_POSITION: (user) => user.workPosition,
  UF_DEPARTMENT: (user) => user.departments,
  USER_TYPE: (user) => (user.extranet ? "extranet" : "employee"),
};

const SORT_FIELDS: Record<string, (user: User) => string | number> = {
  ID: (user) => user.id,
  NAME: (user) => user.firstName,
  LAST_NAME: (user) => user.lastName,
  EMAIL: (user) => user.email,
  WORK_POSITION: (user) => user.workPosition,
};

/**
 * user.get: the portal's people, filtered by `FILTER` (or the same fields given at the top level, as
 * old clients send `ID`), sorted by `sort`/`order`, 50 a page from `start`. Bots are not users here
 * (spec v1.md §8): they are found through im.user.get or imbot.bot.list.
 */
export const userGet = defineMethod({
  name: "user.get",
  scope: "",
  mutates: false,
  params: v1Params({ FILTER: anyParam, SORT: anyParam, ORDER: anyParam, START: anyParam, SELECT: anyParam, ID: anyParam, ACTIVE: anyParam }),
  handler(ctx, params) {
    const filter = { ...topLevelFilter(params), ...upperObject(params.FILTER) };
    const people = Object.values(ctx.portal.users).filter((user) => !user.bot && matches(user, filter));
    const sortKey = SORT_FIELDS[toText(params.SORT).toUpperCase()] ?? SORT_FIELDS.ID!;
    const descending = toText(params.ORDER).toUpperCase() === "DESC";
    people.sort((a, b) => compare(sortKey(a), sortKey(b)) * (descending ? -1 : 1));
    const fields = selectedFields(params.SELECT);
    return pageOf(
      people.map((user) => pick(userGetView(user.id, user), fields)),
      toInt(params.START),
    );
  },
});

/**
 * `select`: the field names to answer (any case, a list or one name); `ID` always comes along, `*`
 * or nothing means every field, and a name the layout lacks adds nothing.
 */
function selectedFields(raw: unknown): Set<string> | null {
  const names = (Array.isArray(raw) ? raw : isPlainObject(raw) ? Object.values(raw) : [raw])
    .map((name) => toText(name).trim().toUpperCase())
    .filter((name) => name !== "");
  if (names.length === 0 || names.includes("*")) return null;
  return new Set(["ID", ...names]);
}

function pick(view: Record<string, unknown>, fields: Set<string> | null): Record<string, unknown> {
  return fields === null ? view : Object.fromEntries(Object.entries(view).filter(([key]) => fields.has(key)));
}

function topLevelFilter(params: { ID?: unknown; ACTIVE?: unknown }): Record<string, unknown> {
  const filter: Record<string, unknown> = {};
  if (params.ID !== undefined && params.ID !== "") filter.ID = params.ID;
  if (params.ACTIVE !== undefined && params.ACTIVE !== "") filter.ACTIVE = params.ACTIVE;
  return filter;
}

function matches(user: User, filter: Record<string, unknown>): boolean {
  return Object.entries(filter).every(([field, wanted]) => {
    const read = FILTER_FIELDS[field];
    if (!read) return true;
    const actual = read(user);
    const choices = Array.isArray(wanted) ? wanted : [wanted];
    return choices.some((choice) => equalsFilterValue(actual, choice));
  });
}

/** Filter values arrive as text from form clients: `ACTIVE=Y`/`true`, `ID=3`, `UF_DEPARTMENT=1`. */
function equalsFilterValue(actual: string | number | boolean | number[], wanted: unknown): boolean {
  if (typeof actual === "boolean") return actual === toBool(wanted, !actual);
  if (Array.isArray(actual)) return actual.includes(toInt(wanted));
  if (typeof actual === "number") return actual === toInt(wanted);
  return actual.toLowerCase() === toText(wanted).toLowerCase();
}

function compare(a: string | number, b: string | number): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  return String(a).localeCompare(String(b));
}
