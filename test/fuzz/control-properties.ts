import fc from "fast-check";
import type { EmulatorApp } from "../../src/index.js";
import { defaultFixture } from "../support/fixtures.js";
import {
  BODY_LIMIT,
  DIALOG_IDS,
  PROTO_KEYS,
  deepJsonText,
  jsonTree,
  malformedJsonText,
  nastyString,
  numericText,
  obj,
  pct,
  renderJson,
  str,
  treeOf,
  lit,
  arr,
  type JsonTree,
} from "./generators.js";
import type { FuzzRequest } from "./harness.js";

/** One route of the control router: `GET /portals/:id/journal`. */
export interface ControlRoute {
  method: "GET" | "POST" | "DELETE";
  path: string;
}

interface RouterLayer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: RouterLayer[] };
}

/**
 * The control endpoints as the router really has them, read from express's own route table, so an
 * endpoint added later is fuzzed without anyone listing it here.
 */
export function controlRoutes(app: EmulatorApp): ControlRoute[] {
  const stack = (app as unknown as { router: { stack: RouterLayer[] } }).router.stack;
  const control = stack.find((layer) => layer.handle?.stack?.some((inner) => inner.route));
  const routes: ControlRoute[] = [];
  for (const layer of control?.handle?.stack ?? []) {
    if (!layer.route) continue;
    for (const [verb, on] of Object.entries(layer.route.methods)) {
      if (on && verb !== "_all") routes.push({ method: verb.toUpperCase() as ControlRoute["method"], path: layer.route.path });
    }
  }
  return routes;
}

export const CONTROL_FAMILIES = ["params", "json", "nesting", "bytes", "paths", "fixture"] as const;
export type ControlFamily = (typeof CONTROL_FAMILIES)[number];

/** The portals every fuzz target has: the fixture's own and a second one made at start. */
export const KNOWN_PORTALS = ["default", "second"] as const;

// ---------------------------------------------------------------------------------------------
// Path parameters

const rawSegment = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...KNOWN_PORTALS) },
  { weight: 2, arbitrary: fc.constantFrom(...PROTO_KEYS, "toString", "hasOwnProperty", "valueOf", "__defineGetter__", "isPrototypeOf") },
  { weight: 1, arbitrary: fc.constantFrom("%", "%zz", "%E0%A4", "%ED%A0%80", "%2F", "%00", "a%2Fb", "DEFAULT", "default%20", "x".repeat(300)) },
  { weight: 2, arbitrary: nastyString.filter((s) => s !== "").map(pct) },
);

const dialogSegment = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...DIALOG_IDS).map(pct) },
  { weight: 1, arbitrary: fc.constantFrom(...PROTO_KEYS, "%", "%zz", "chat%00", "chat1e3") },
  { weight: 1, arbitrary: nastyString.filter((s) => s !== "").map(pct) },
);

const userSegment = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom("1", "2", "3", "456", "457") },
  { weight: 1, arbitrary: numericText.filter((s) => s.trim() !== "").map(pct) },
  { weight: 1, arbitrary: fc.constantFrom(...PROTO_KEYS, "%", "NaN") },
);

function pathFor(route: ControlRoute, segments: { id: string; dialogId: string; userId: string }): string {
  return `/_emulator${route.path.replace(":id", segments.id).replace(":dialogId", segments.dialogId).replace(":userId", segments.userId)}`;
}

// ---------------------------------------------------------------------------------------------
// Queries

const queryValue = fc.oneof(
  fc.constantFrom("message", "call", "delivery", "chat5", "1", "456", "0", "-1", "abc", "", "imbot.v2.Command.answer", "ONIMBOTV2MESSAGEADD"),
  numericText,
  nastyString,
);
const queryKey = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom("for", "dialogId", "viewerId", "authorId", "textContains", "method", "error", "botId", "event", "afterId") },
  { weight: 1, arbitrary: fc.constantFrom(...PROTO_KEYS, "timeout[]", "for[]", "botId[x]") },
  { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
);

/** A random query; the wait endpoint always gets a short timeout appended, so nothing hangs. */
function queryFor(route: ControlRoute): fc.Arbitrary<string> {
  return fc.tuple(fc.array(fc.tuple(queryKey, queryValue), { maxLength: 6 }), fc.integer({ min: 0, max: 25 })).map(([pairs, timeout]) => {
    const parts = pairs.map(([k, v]) => `${pct(k)}=${pct(v)}`);
    if (route.path.endsWith("/wait")) parts.push(`timeout=${timeout}`);
    return parts.join("&");
  });
}

// ---------------------------------------------------------------------------------------------
// Bodies

const controlId = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(1, 2, 3, 456, 457, 789, 790, 5, 6).map((n) => lit(String(n))) },
  { weight: 1, arbitrary: fc.constantFrom("1", "456", "0", "-1", "1.5", "abc", "").map(str) },
  { weight: 1, arbitrary: fc.constantFrom("0", "-1", "1.5", "1e400", "9007199254740993").map(lit) },
  { weight: 1, arbitrary: jsonTree },
);

/** The keys of every control body, with values valid, near-valid and wrong-typed. */
export const controlParams: fc.Arbitrary<JsonTree> = fc
  .array(
    fc.oneof<fc.Arbitrary<[string, JsonTree]>[]>(
      fc.tuple(fc.constantFrom("authorId", "userId", "messageId", "ownerId", "addedBy"), controlId),
      fc.tuple(fc.constant("dialogId"), fc.oneof(fc.constantFrom(...DIALOG_IDS).map(str), fc.constantFrom(5, 456).map((n) => lit(String(n))), jsonTree)),
      fc.tuple(fc.constant("text"), fc.oneof(fc.constantFrom("/help", "hello", "", "/other x").map(str), nastyString.map(str), fc.integer({ min: 99_990, max: 100_010 }).map((n) => str("a".repeat(n))), jsonTree)),
      fc.tuple(fc.constant("buttonIndex"), fc.oneof(fc.constantFrom("0", "1", "-1", "0.5", "1e3").map(lit), jsonTree)),
      fc.tuple(fc.constant("command"), fc.oneof(fc.constantFrom("help", "/help", "", "other").map(str), jsonTree)),
      fc.tuple(fc.constantFrom("firstName", "lastName", "workPosition", "email", "title"), fc.oneof(nastyString.map(str), jsonTree)),
      fc.tuple(fc.constant("gender"), fc.oneof(fc.constantFrom("M", "F", "X", "").map(str), jsonTree)),
      fc.tuple(fc.constant("extranet"), fc.oneof(fc.constantFrom("true", "false", "1").map(lit), fc.constantFrom("Y", "true").map(str))),
      fc.tuple(fc.constant("type"), fc.oneof(fc.constantFrom("chat", "open", "private", "").map(str), jsonTree)),
      fc.tuple(fc.constantFrom("members", "userIds"), fc.oneof(fc.constantFrom(treeOf([1, 2]), treeOf([456]), treeOf([457, 3]), treeOf([]), treeOf([0]), treeOf(["1"]), treeOf([99999])), fc.array(controlId, { maxLength: 4 }).map(arr), jsonTree)),
      fc.tuple(fc.constant("advanceSeconds"), fc.oneof(fc.constantFrom("0", "1", "-1", "3600", "1.5", "1e300", "-1e300", "8.64e12", "1e16", "1e400").map(lit), fc.double().map((n) => lit(Number.isFinite(n) ? JSON.stringify(n) : "0")), jsonTree)),
      fc.tuple(fc.constant("id"), fc.oneof(fc.constantFrom("fuzz", "default", "second", "__proto__", "constructor", "toString", "a".repeat(64), "-x", "").map(str), jsonTree)),
      fc.tuple(fc.constantFrom(...PROTO_KEYS), jsonTree),
      fc.tuple(fc.string({ maxLength: 8 }), jsonTree),
    ),
    { maxLength: 6 },
  )
  .map(obj);

/** Fixtures near the valid one: fields replaced, records added with colliding or dangling ids. */
export const fixtureTree: fc.Arbitrary<JsonTree> = (() => {
  const base = defaultFixture() as Record<string, unknown>;
  const smallId = fc.oneof(fc.constantFrom(1, 2, 5, 42, 456, 789).map((n) => lit(String(n))), controlId);
  const record = (keys: string[]) => fc.array(fc.tuple(fc.constantFrom(...keys, "__proto__"), fc.oneof(smallId, jsonTree)), { maxLength: 5 }).map(obj);
  const extras: Record<string, fc.Arbitrary<JsonTree>> = {
    users: record(["id", "firstName", "lastName", "gender", "active", "extranet", "departments"]),
    webhooks: record(["userId", "code", "scopes", "expiresAt"]),
    apps: record(["clientId", "applicationToken", "scopes", "tokens"]),
    bots: record(["id", "code", "name", "type", "eventMode", "webhookUrl", "clientId", "botToken"]),
    commands: record(["id", "botId", "command", "title", "params"]),
    chats: record(["id", "type", "ownerId", "members", "managers", "title"]),
    messages: record(["id", "chatId", "authorId", "text", "date"]),
    answerWindows: record(["botId", "commandId", "messageId", "expiresAt"]),
  };
  const keys = Object.keys(base);
  return fc
    .record({
      replace: fc.array(fc.tuple(fc.constantFrom(...keys, "portal", "$schema", "__proto__", "extra"), jsonTree), { maxLength: 2 }),
      add: fc.array(fc.oneof(...Object.entries(extras).map(([k, a]) => a.map((t) => [k, t] as const))), { maxLength: 3 }),
      dropFirst: fc.array(fc.constantFrom(...keys), { maxLength: 2 }),
    })
    .map(({ replace, add, dropFirst }) => {
      const entries = new Map<string, JsonTree>(Object.entries(base).map(([k, v]) => [k, treeOf(v)]));
      for (const key of dropFirst) {
        const tree = entries.get(key);
        if (tree?.kind === "array") entries.set(key, arr(tree.items.slice(1)));
      }
      for (const [key, tree] of add) {
        const current = entries.get(key);
        entries.set(key, arr([...(current?.kind === "array" ? current.items : []), tree]));
      }
      const out: [string, JsonTree][] = [...entries];
      for (const [key, tree] of replace) out.push([key, tree]); // a duplicate key: the later one wins in JSON.parse
      return out.length > 0 ? obj(out) : obj([]);
    });
})();

const bodyOf = (text: string, label: string, contentType: string | undefined = "application/json") => ({ contentType, body: Buffer.from(text, "utf8"), label });

function bodies(family: ControlFamily): fc.Arbitrary<{ contentType: string | undefined; body: Buffer | undefined; label: string }> {
  switch (family) {
    case "params":
    case "paths":
      return fc.oneof(
        { weight: 4, arbitrary: controlParams.map((t) => bodyOf(renderJson(t), "control params")) },
        { weight: 1, arbitrary: fc.constant({ contentType: undefined, body: undefined, label: "no body" }) },
      );
    case "json":
      return fc.oneof(jsonTree.map((t) => bodyOf(renderJson(t), "any JSON value")), malformedJsonText.map((t) => bodyOf(t, "malformed JSON")));
    case "nesting":
      return fc.oneof(
        deepJsonText.map(({ text, label }) => bodyOf(text, label)),
        fc.integer({ min: 100_000, max: BODY_LIMIT + 64 }).map((size) => bodyOf(`{"text":"${"a".repeat(Math.max(0, size - 12))}"}`, `huge body of ~${size} bytes`)),
        fc.integer({ min: 9_000, max: 12_000 }).map((n) => bodyOf(`{"members":[${Array.from({ length: n }, (_, i) => i + 1).join(",")}]}`, `${n} members`)),
      );
    case "bytes":
      return fc.oneof(
        fc.tuple(fc.uint8Array({ maxLength: 48 }), fc.constantFrom<string | undefined>("application/json", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml", undefined, "")).map(([bytes, contentType]) => ({ contentType, body: Buffer.from(bytes), label: "random bytes" })),
        fc.constantFrom<string | undefined>("application/json", "text/plain", undefined).map((contentType) => ({ contentType, body: Buffer.alloc(0), label: "empty body" })),
        controlParams.map((t) => bodyOf(renderJson(t), "control params as a form", "application/x-www-form-urlencoded")),
        controlParams.map((t) => bodyOf(renderJson(t), "control params as text", "text/plain")),
        fc.constant(bodyOf('{"text":"\\ud800","firstName":"\\udfff"}', "lone surrogates")),
        fc.constant({ contentType: "application/json", body: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]), label: "invalid UTF-8 in JSON" }),
      );
    case "fixture":
      return fc
        .tuple(fixtureTree, fc.oneof(fc.constant(undefined), fc.constantFrom("fuzz", "second", "default", "constructor", "x-1").map(str)))
        .map(([fixture, id]) => bodyOf(renderJson(obj(id === undefined ? [["fixture", fixture]] : [["id", id], ["fixture", fixture]])), "fixture body"));
  }
}

/** Requests of one family to one control route. */
export function controlRequests(route: ControlRoute, family: ControlFamily): fc.Arbitrary<FuzzRequest> {
  const segments =
    family === "paths"
      ? fc.record({ id: rawSegment, dialogId: dialogSegment, userId: userSegment })
      : fc.record({ id: fc.constantFrom(...KNOWN_PORTALS), dialogId: fc.constantFrom("chat5", "chat6", "1", "456").map(pct), userId: fc.constantFrom("1", "2", "456") });
  const withBody = route.method !== "GET" || family === "json" || family === "bytes";
  return fc.record({ segments, query: queryFor(route), body: bodies(family), sendBody: fc.boolean() }).map(({ segments: s, query, body, sendBody }) => {
    const path = pathFor(route, s);
    const carry = withBody && (route.method !== "GET" || sendBody);
    return {
      method: route.method,
      url: query === "" ? path : `${path}?${query}`,
      contentType: carry ? body.contentType : undefined,
      body: carry ? body.body : undefined,
      label: `${family}: ${body.label}`,
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Sequences: the clock moves, then everything that reads it must still keep the contract

const json = (path: string, body: string, label: string): FuzzRequest => ({
  method: "POST",
  url: path,
  contentType: "application/json",
  body: Buffer.from(body, "utf8"),
  label,
});

/** Probes that read the clock: dates in answers, answer windows, event dates, token expiry. */
export const CLOCK_PROBES: readonly FuzzRequest[] = [
  { method: "GET", url: "/_emulator/clock", label: "clock probe" },
  json("/rest/1/emulator/imbot.v2.Chat.Message.send", '{"botId":456,"botToken":"my_bot_token","dialogId":"chat5","fields":{"message":"tick"}}', "clock probe"),
  json("/rest/1/emulator/imbot.v2.Command.answer", '{"botId":456,"botToken":"my_bot_token","commandId":42,"messageId":789,"dialogId":"chat5","fields":{"message":"late"}}', "clock probe"),
  json("/rest/imbot.v2.Bot.register?auth=emulator-token", '{"fields":{"code":"clock_bot","properties":{"name":"Clock"}}}', "clock probe"),
  json("/_emulator/portals/default/messages", '{"authorId":1,"dialogId":"chat5","text":"/help"}', "clock probe"),
  json("/rest/1/emulator/imbot.v2.Event.get", '{"botId":456,"botToken":"my_bot_token"}', "clock probe"),
  json("/rest/imbot.v2.Chat.get?auth=emulator-token", '{"botId":456,"dialogId":"chat5"}', "clock probe"),
];

/** A clock move by any amount (tiny, years, past every date), as JSON, then the probes. */
export const clockMoves: fc.Arbitrary<FuzzRequest[]> = fc
  .oneof(
    fc.double({ noNaN: true }).map((n) => (Number.isFinite(n) ? JSON.stringify(n) : "1e400")),
    fc.integer({ min: -4_000_000_000, max: 400_000_000_000 }).map(String),
    fc.constantFrom("0", "-1", "3600", "86400", "2.5e11", "2.6e11", "-6.3e10", "-6.2e10", "8.64e12", "1e300", "-1e300", "5e-324"),
  )
  .map((seconds) => [json("/_emulator/clock", `{"advanceSeconds":${seconds}}`, `advance the clock by ${seconds} s`), ...CLOCK_PROBES]);
