import { gzipSync } from "node:zlib";
import fc from "fast-check";

/**
 * Generators of hostile and half-valid requests, shared by the CI fuzz suites and the long run.
 * Bodies are built as bytes by hand, so duplicate keys, `__proto__` keys, lone surrogates, invalid
 * UTF-8 and broken syntax reach the emulator exactly as written, not as a client library would fix them.
 */

/** A request body as it goes on the wire. `contentType: undefined` sends no Content-Type header. */
export interface WireBody {
  contentType: string | undefined;
  body: Buffer;
  /** Extra request headers (Content-Encoding, a conflicting Authorization...). */
  headers?: Record<string, string>;
  /** What the generator meant, for the failure report. */
  label: string;
}

/** The default body limit of the emulator (1 MiB). */
export const BODY_LIMIT = 1024 * 1024;

/** Keys that pollute prototypes in naive merges, tried at every level. */
export const PROTO_KEYS = ["__proto__", "constructor", "prototype"] as const;

/** The value planted under prototype keys: found on `({}).polluted` if any merge falls for it. */
export const POLLUTION_MARK = "polluted";

// ---------------------------------------------------------------------------------------------
// Text and scalars

const awkwardChars = fc.constantFrom(
  "\ud800", // lone high surrogate
  "\udfff", // lone low surrogate
  "\u0000",
  "\u001f",
  "\u2028",
  "\ufeff",
  "\ufffd",
  "😀",
  "é",
  "я",
  "[",
  "]",
  "&",
  "=",
  "%",
  "+",
  "?",
  "#",
  "/",
  "\\",
  '"',
  "'",
  "<",
  ">",
  " ",
  "\n",
  "\t",
  "$result[a][id]",
  "[b]",
  "[/b]",
  "[URL=http://x]x[/URL]",
);

/** Strings mixing plain text with surrogates, control characters, brackets and escapes. */
export const nastyString = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 24 }) },
  { weight: 2, arbitrary: fc.string({ unit: fc.oneof(fc.string({ minLength: 1, maxLength: 1 }), awkwardChars), maxLength: 16 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 12 }) },
);

/** Numbers as text, the way form clients send them, including the ones intval reads oddly. */
export const numericText = fc.oneof(
  fc.integer({ min: -1000, max: 100_000 }).map(String),
  fc.constantFrom("0", "-0", "00456", " 456", "456 ", "456abc", "4.56e2", "0x1c8", "1e400", "NaN", "Infinity", "9007199254740993", "+456", ""),
);

/** Numbers JSON can carry (and some it writes oddly: 1e400 parses to Infinity). */
export const jsonNumberText = fc.oneof(
  fc.integer().map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => JSON.stringify(n)),
  fc.constantFrom("1e400", "-1e400", "1e-400", "-0", "0.0", "456.0", "4.56e2", "9007199254740993", "123456789012345678901234567890"),
);

// ---------------------------------------------------------------------------------------------
// JSON text with full control over keys

/** A JSON document as a tree of entries, so duplicate and `__proto__` keys survive to the text. */
export type JsonTree =
  | { kind: "object"; entries: [string, JsonTree][] }
  | { kind: "array"; items: JsonTree[] }
  | { kind: "literal"; text: string };

/** JSON text of a string; JSON.stringify escapes lone surrogates as `\udxxx`, which JSON.parse restores. */
const quote = (text: string): string => JSON.stringify(text);

export function renderJson(tree: JsonTree): string {
  switch (tree.kind) {
    case "literal":
      return tree.text;
    case "array":
      return `[${tree.items.map(renderJson).join(",")}]`;
    case "object":
      return `{${tree.entries.map(([k, v]) => `${quote(k)}:${renderJson(v)}`).join(",")}}`;
  }
}

export const lit = (text: string): JsonTree => ({ kind: "literal", text });
export const str = (text: string): JsonTree => lit(quote(text));
export const obj = (entries: [string, JsonTree][]): JsonTree => ({ kind: "object", entries });
export const arr = (items: JsonTree[]): JsonTree => ({ kind: "array", items });

/** A JS value as a tree (plain data only). */
export function treeOf(value: unknown): JsonTree {
  if (value === null || value === undefined) return lit("null");
  if (typeof value === "string") return str(value);
  if (typeof value === "number") return lit(Number.isFinite(value) ? JSON.stringify(value) : "null");
  if (typeof value === "boolean") return lit(String(value));
  if (Array.isArray(value)) return arr(value.map(treeOf));
  if (typeof value === "object") return obj(Object.entries(value).map(([k, v]) => [k, treeOf(v)]));
  return str(String(value));
}

const scalarTree: fc.Arbitrary<JsonTree> = fc.oneof(
  nastyString.map(str),
  numericText.map(str),
  jsonNumberText.map(lit),
  fc.constantFrom(lit("true"), lit("false"), lit("null")),
);

const keyText = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 10 }) },
  { weight: 2, arbitrary: fc.constantFrom(...PROTO_KEYS) },
  { weight: 1, arbitrary: nastyString },
  { weight: 1, arbitrary: fc.nat(60).map(String) },
);

/** A pollution payload: `{"polluted": "yes", "toString": 1}` under a prototype key. */
export const pollutionPayload: JsonTree = obj([
  [POLLUTION_MARK, str("yes")],
  ["toString", lit("1")],
  ["isAdmin", lit("true")],
]);

/** Arbitrary JSON trees of every type, with prototype keys planted at any level. */
export const jsonTree: fc.Arbitrary<JsonTree> = fc.letrec<{ tree: JsonTree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    scalarTree,
    fc.array(tie("tree"), { maxLength: 5 }).map(arr),
    fc.array(fc.tuple(keyText, tie("tree")), { maxLength: 6 }).map(obj),
    fc.tuple(fc.constantFrom(...PROTO_KEYS), fc.array(fc.tuple(keyText, tie("tree")), { maxLength: 3 })).map(([k, rest]) =>
      obj([[k, pollutionPayload], ...rest]),
    ),
  ),
})).tree;

/** Nesting far beyond the 32-level limit (and sometimes just at it). */
export const deepJsonText = fc
  .record({
    depth: fc.oneof(fc.integer({ min: 30, max: 40 }), fc.integer({ min: 41, max: 5000 }), fc.integer({ min: 50_000, max: 200_000 })),
    container: fc.constantFrom("object", "array", "mixed"),
    at: fc.constantFrom("fields", "botId", "cmd", "attach"),
  })
  .map(({ depth, container, at }) => {
    const opener = container === "array" ? "[" : container === "object" ? '{"a":' : '{"a":[';
    const closer = container === "array" ? "]" : container === "object" ? "}" : "]}";
    const levels = container === "mixed" ? Math.ceil(depth / 2) : depth;
    const inner = `${opener.repeat(levels)}1${closer.repeat(levels)}`;
    const text =
      at === "attach"
        ? `{"botToken":"my_bot_token","botId":456,"dialogId":"chat5","fields":{"message":"x","attach":${inner}}}`
        : `{"botToken":"my_bot_token","botId":456,"${at}":${inner}}`;
    return { text, label: `JSON nested ${depth} levels (${container}) under ${at}` };
  });

/** Syntactically broken or surprising JSON text. */
export const malformedJsonText = fc.oneof(
  fc.constantFrom(
    "",
    " ",
    "{",
    "}",
    "[",
    '{"botId":',
    '{"botId":456,}',
    "{'botId':456}",
    '{"botId":456}}',
    '{"botId":456} trailing',
    "NaN",
    "undefined",
    "\ufeff{}",
    "{}\u0000",
    '{"a":1,"a":2}',
    '{"__proto__":{"polluted":"yes"}}',
    '{"constructor":{"prototype":{"polluted":"yes"}}}',
    '{"fields":{"__proto__":{"polluted":"yes"},"message":"x"}}',
    '{"botId":"\\ud800"}',
    '{"\\ud800":"\\udfff"}',
    '"\\ud800"',
    "/* comment */ {}",
    '{"a":"\\x41"}',
    '{"a":"\\u12"}',
    "[1,2,3]",
    "null",
    "true",
    "0",
    '"a string"',
    "1e400",
  ),
  fc.string({ maxLength: 40 }),
  jsonTree.map((t) => {
    const text = renderJson(t);
    return text.slice(0, Math.max(0, text.length - 1));
  }),
);

// ---------------------------------------------------------------------------------------------
// Parameters that look like the real ones, with random values

const idValue = (known: readonly number[]): fc.Arbitrary<JsonTree> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...known).map((n) => lit(String(n))) },
    { weight: 2, arbitrary: fc.constantFrom(...known).map((n) => str(String(n))) },
    { weight: 1, arbitrary: numericText.map(str) },
    { weight: 1, arbitrary: jsonNumberText.map(lit) },
    { weight: 1, arbitrary: fc.constantFrom(...known).map((n) => arr([lit(String(n))])) },
    { weight: 1, arbitrary: fc.constantFrom(...known).map((n) => obj([["0", lit(String(n))]])) },
    { weight: 1, arbitrary: jsonTree },
  );

export const BOT_IDS = [456, 457, 458, 459, 1, 2, 0, -456] as const;
export const MESSAGE_IDS = [789, 790, 791, 792, 793, 794, 795, 796, 0, 1] as const;
export const COMMAND_IDS = [42, 43, 44, 0, 1] as const;
export const BOT_TOKENS = ["my_bot_token", "other_bot_token", "", "x".repeat(41), "fuzz_token"] as const;
export const DIALOG_IDS = ["chat5", "chat6", "chat7", "chat8", "1", "2", "3", "456", "457", "chat0", "chat", "CHAT5", "chat5 ", "chat-5", "chat99999999999999999999", "0", "-1", "1e3"] as const;

const tokenValue = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...BOT_TOKENS).map(str) },
  { weight: 1, arbitrary: nastyString.map(str) },
  { weight: 1, arbitrary: jsonTree },
);
const dialogValue = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...DIALOG_IDS).map(str) },
  { weight: 1, arbitrary: fc.constantFrom(5, 456, 1, 0).map((n) => lit(String(n))) },
  { weight: 1, arbitrary: nastyString.map(str) },
  { weight: 1, arbitrary: jsonTree },
);
const boolValue = fc.oneof(
  fc.constantFrom("true", "false", "null", "1", "0").map(lit),
  fc.constantFrom("Y", "N", "y", "TRUE", "yes", "", "1", "0").map(str),
  jsonTree,
);
const textValue = fc.oneof(
  { weight: 4, arbitrary: nastyString.map(str) },
  { weight: 1, arbitrary: fc.integer({ min: 19_990, max: 20_010 }).map((n) => str("я".repeat(n))) },
  { weight: 1, arbitrary: fc.constantFrom("/help", "/other", "[b]bold[/b]", "[USER=1]Anna[/USER]", "   ").map(str) },
  { weight: 1, arbitrary: jsonTree },
);

/** ATTACH as objects, lists, JSON text, or junk. */
export const attachValue: fc.Arbitrary<JsonTree> = fc.oneof(
  fc.constantFrom(
    treeOf([{ MESSAGE: "hello" }]),
    treeOf({ ID: 1, COLOR: "#29619b", BLOCKS: [{ MESSAGE: "hi" }, { DELIMITER: { SIZE: 200, COLOR: "#c8c8c8" } }] }),
    treeOf([{ LINK: { NAME: "x", LINK: "javascript:alert(1)" } }]),
    treeOf([{ IMAGE: { LINK: "//evil" } }]),
    treeOf([{ GRID: [{ NAME: "a", VALUE: "b", DISPLAY: "LINE" }] }]),
    treeOf([{ USER: { NAME: "x", AVATAR: "http://x/y.png" } }]),
    str('[{"MESSAGE":"as text"}]'),
    str("not json"),
    str("N"),
    lit("[]"),
    lit("{}"),
  ),
  fc.array(fc.tuple(fc.constantFrom("MESSAGE", "LINK", "IMAGE", "GRID", "DELIMITER", "USER", "FILE", "HTML", "__proto__", "BLOCKS"), jsonTree), { maxLength: 4 }).map((e) => arr([obj(e)])),
  fc.integer({ min: 59_000, max: 61_000 }).map((n) => treeOf([{ MESSAGE: "a".repeat(n) }])),
  jsonTree,
);

/** KEYBOARD as button lists, `{BUTTONS: [...]}`, JSON text, or junk. */
export const keyboardValue: fc.Arbitrary<JsonTree> = fc.oneof(
  fc.constantFrom(
    treeOf([{ TEXT: "Help", COMMAND: "help", COMMAND_PARAMS: "x", BG_COLOR: "#29619b" }]),
    treeOf({ BUTTONS: [{ TEXT: "A", LINK: "https://example.com" }, { TYPE: "NEWLINE" }, { TEXT: "B", ACTION: "SEND", ACTION_VALUE: "b" }] }),
    treeOf([{ TEXT: "", COMMAND: "" }]),
    treeOf([{ TEXT: "x", LINK: "javascript:alert(1)" }]),
    str('[{"TEXT":"as text","COMMAND":"help"}]'),
    str("N"),
    lit("[]"),
  ),
  fc.array(fc.array(fc.tuple(fc.constantFrom("TEXT", "COMMAND", "COMMAND_PARAMS", "LINK", "ACTION", "ACTION_VALUE", "DISABLED", "BLOCK", "TYPE", "BG_COLOR", "WIDTH", "__proto__"), jsonTree), { maxLength: 5 }).map(obj), { maxLength: 4 }).map(arr),
  jsonTree,
);

/** `fields` of every method: message content, bot properties, command definitions, chat fields. */
export const fieldsValue: fc.Arbitrary<JsonTree> = fc.oneof(
  { weight: 6, arbitrary: fc
    .array(
      fc.oneof<fc.Arbitrary<[string, JsonTree]>[]>(
        fc.tuple(fc.constant("message"), textValue),
        fc.tuple(fc.constant("attach"), attachValue),
        fc.tuple(fc.constant("keyboard"), keyboardValue),
        fc.tuple(fc.constantFrom("system", "urlPreview", "isHidden", "isReactionsEnabled", "isSupportOpenline", "common", "hidden", "extranetSupport"), boolValue),
        fc.tuple(fc.constantFrom("replyId", "forwardIds"), idValue([789, 790, 0, 1])),
        fc.tuple(fc.constant("templateId"), fc.constantFrom(str("0f0e0d0c-0b0a-0908-0706-050403020100"), str("nope"), lit("1"))),
        fc.tuple(fc.constant("code"), fc.oneof(fc.constantFrom("support_bot", "other_bot", "fuzz_bot", "").map(str), nastyString.map(str), jsonTree)),
        fc.tuple(fc.constant("botToken"), tokenValue),
        fc.tuple(fc.constant("eventMode"), fc.constantFrom("fetch", "webhook", "FETCH", "", "push").map(str)),
        fc.tuple(fc.constant("webhookUrl"), fc.constantFrom("http://127.0.0.1:1/hook", "ftp://x", "not a url", "", "/relative").map(str)),
        fc.tuple(fc.constant("type"), fc.constantFrom("bot", "supervisor", "personal", "openline", "network", "B", "").map(str)),
        fc.tuple(
          fc.constant("properties"),
          fc.oneof(
            fc.constantFrom(treeOf({ name: "Fuzz Bot" }), treeOf({ name: "", lastName: "x" }), treeOf({ name: "n", avatar: "not-base64", color: "RED" })),
            fc.array(fc.tuple(fc.constantFrom("name", "lastName", "workPosition", "color", "email", "gender", "avatar", "__proto__"), jsonTree), { maxLength: 4 }).map(obj),
            jsonTree,
          ),
        ),
        fc.tuple(fc.constant("command"), fc.oneof(fc.constantFrom("/fuzz", "fuzz", "/help", "help", "", "/", "/a b").map(str), jsonTree)),
        fc.tuple(fc.constant("title"), fc.oneof(fc.constantFrom(treeOf({ en: "Fuzz" }), treeOf({ en: "" }), str("plain"), treeOf(["x"])), jsonTree)),
        fc.tuple(fc.constant("params"), jsonTree),
        fc.tuple(fc.constantFrom("title", "description", "color", "avatar", "entityType", "entityId", "ownerId"), jsonTree),
        fc.tuple(fc.constant("userIds"), fc.oneof(fc.constantFrom(treeOf([1, 2]), treeOf([3]), treeOf([456])), jsonTree)),
        fc.tuple(keyText, jsonTree),
      ),
      { maxLength: 6 },
    )
    .map(obj) },
  { weight: 1, arbitrary: jsonTree },
  { weight: 1, arbitrary: fc.array(jsonTree, { maxLength: 3 }).map(arr) },
);

/** Batch commands: `"method?query"` strings built from real methods, with references, nesting and junk. */
export function cmdValue(methodNames: readonly string[]): fc.Arbitrary<JsonTree> {
  const sub = fc.oneof(
    { weight: 5, arbitrary: fc.tuple(fc.constantFrom(...methodNames, "batch", "imbot.v2.File.upload", "no.such.method"), formFromTree(paramsObject(methodNames, 0))).map(([m, q]) => str(`${m}?${q.text}`)) },
    { weight: 1, arbitrary: fc.constantFrom("imbot.v2.Bot.get?botId=$result[a][bot][id]&botToken=my_bot_token", "imbot.v2.Chat.get?botId=456&botToken=my_bot_token&dialogId=$result[0]", "?", "", " ", "batch?cmd[0]=batch").map(str) },
    { weight: 1, arbitrary: jsonTree },
  );
  return fc.oneof(
    { weight: 3, arbitrary: fc.array(sub, { maxLength: 6 }).map(arr) },
    { weight: 2, arbitrary: fc.array(fc.tuple(fc.oneof(fc.constantFrom("a", "b", "0", "__proto__", "constructor"), fc.string({ maxLength: 4 })), sub), { maxLength: 6 }).map(obj) },
    { weight: 1, arbitrary: fc.integer({ min: 49, max: 60 }).map((n) => arr(Array.from({ length: n }, () => str("imbot.v2.Revision.get")))) },
    { weight: 1, arbitrary: jsonTree },
  );
}

/** Top-level parameters of every method, each with values valid, near-valid and wrong-typed. */
export function paramsObject(methodNames: readonly string[], depth = 1): fc.Arbitrary<JsonTree> {
  const pairs: fc.Arbitrary<[string, JsonTree]>[] = [
    fc.tuple(fc.constant("botId"), idValue(BOT_IDS)),
    fc.tuple(fc.constant("botToken"), tokenValue),
    fc.tuple(fc.constant("dialogId"), dialogValue),
    fc.tuple(fc.constant("messageId"), idValue(MESSAGE_IDS)),
    fc.tuple(fc.constant("commandId"), idValue(COMMAND_IDS)),
    fc.tuple(fc.constant("userId"), idValue([1, 2, 3, 456])),
    fc.tuple(fc.constant("userIds"), fc.oneof(fc.constantFrom(treeOf([1, 2]), treeOf([2]), treeOf([]), treeOf("2")), jsonTree)),
    fc.tuple(fc.constant("fields"), fieldsValue),
    fc.tuple(fc.constant("code"), fc.oneof(fc.constantFrom("support_bot", "other_bot", "").map(str), jsonTree)),
    fc.tuple(fc.constantFrom("limit", "offset"), fc.oneof(numericText.map(str), jsonNumberText.map(lit), jsonTree)),
    fc.tuple(fc.constantFrom("withUserEvents", "complete", "halt"), boolValue),
    fc.tuple(fc.constantFrom("filter", "order"), jsonTree),
    fc.tuple(fc.constantFrom("command", "title", "params", "common", "hidden", "extranetSupport"), jsonTree),
    fc.tuple(keyText, jsonTree),
  ];
  if (depth > 0) pairs.push(fc.tuple(fc.constant("cmd"), cmdValue(methodNames)));
  // Half the time the random keys come after a valid base, so they override one field at a time and
  // the request gets past the bot checks into each method's own code.
  return fc
    .tuple(fc.boolean(), fc.array(fc.oneof(...pairs), { maxLength: 7 }))
    .map(([valid, entries]) => obj(valid ? [...VALID_BASE, ...entries] : entries));
}

/** Parameters every fixture call accepts: bot 456 with its token, chat 5, command 42 on message 789. */
export const VALID_BASE: [string, JsonTree][] = [
  ["botId", lit("456")],
  ["botToken", str("my_bot_token")],
  ["dialogId", str("chat5")],
  ["commandId", lit("42")],
  ["messageId", lit("789")],
];

// ---------------------------------------------------------------------------------------------
// Form encoding (PHP bracket syntax) of trees, by hand

/** Percent-encodes every UTF-16 unit; a lone surrogate becomes its (invalid) 3-byte form. */
export function pct(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    if (code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      out += encodeURIComponent(text.slice(i, i + 2));
      i++;
    } else if (code >= 0xd800 && code <= 0xdfff) {
      out += `%${(0xe0 | (code >> 12)).toString(16)}%${(0x80 | ((code >> 6) & 0x3f)).toString(16)}%${(0x80 | (code & 0x3f)).toString(16)}`.toUpperCase();
    } else {
      out += encodeURIComponent(text[i] as string);
    }
  }
  return out;
}

/** `a[b][0]=v` pairs of a tree, keys percent-encoded as http_build_query does (brackets too). */
export function formPairs(tree: JsonTree, prefix = ""): [string, string][] {
  if (tree.kind === "literal") {
    let value: unknown;
    try {
      value = JSON.parse(tree.text);
    } catch {
      value = tree.text;
    }
    if (prefix === "") return [];
    const text = value === null ? "" : value === true ? "1" : value === false ? "0" : String(value);
    return [[prefix, text]];
  }
  const entries: [string, JsonTree][] = tree.kind === "array" ? tree.items.map((t, i) => [String(i), t]) : tree.entries;
  if (entries.length === 0 && prefix !== "") return [[prefix, ""]];
  return entries.flatMap(([key, child]) => formPairs(child, prefix === "" ? key : `${prefix}[${key}]`));
}

export function formText(pairs: readonly [string, string][]): string {
  return pairs.map(([k, v]) => `${pct(k)}=${pct(v)}`).join("&");
}

function formFromTree(tree: fc.Arbitrary<JsonTree>): fc.Arbitrary<{ text: string }> {
  return tree.map((t) => ({ text: formText(formPairs(t)) }));
}

/** Raw PHP-bracket form text: odd syntax, deep and huge nesting, prototype keys, many keys. */
export const rawFormText: fc.Arbitrary<{ text: string; label: string }> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .array(
        fc.tuple(
          fc.oneof(fc.constantFrom("botId", "botToken", "dialogId", "fields", "cmd", "auth", ...PROTO_KEYS), fc.string({ maxLength: 6 })),
          fc.array(fc.oneof(fc.constantFrom("", "message", "attach", "keyboard", "0", "1", ...PROTO_KEYS, POLLUTION_MARK), fc.string({ maxLength: 4 })), { maxLength: 6 }),
          fc.oneof(nastyString, numericText),
          fc.boolean(),
        ),
        { maxLength: 20 },
      )
      .map((pairs) => ({
        text: pairs
          .map(([base, segments, value, raw]) => {
            const key = base + segments.map((s) => `[${s}]`).join("");
            return raw ? `${key.replace(/[&=#\s]/g, "_")}=${value.replace(/[&#\s]/g, "_")}` : `${pct(key)}=${pct(value)}`;
          })
          .join("&"),
        label: "PHP form with random bracket keys",
      })),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      "a[",
      "a]=1",
      "[a]=1",
      "a[b=1",
      "a[]]=1",
      "a[b]c[d]=1",
      "a.b=1&a b=2",
      "=1",
      "&&&",
      "%",
      "%zz=1",
      "a=%E0%A4",
      "a=%ED%A0%80",
      "a=%C0%AF",
      "a=%FF%FE",
      "+=+",
      "botId=456&botId[]=457",
      "botId[]=456&botId=457",
      "fields=x&fields[message]=y",
      "fields[message]=y&fields=x",
      "__proto__[polluted]=yes",
      "constructor[prototype][polluted]=yes",
      "fields[__proto__][polluted]=yes&fields[message]=x",
      "a[__proto__][__proto__][polluted]=yes",
      "cmd[__proto__]=imbot.v2.Revision.get",
      "cmd[constructor][prototype]=x",
      "botToken=my_bot_token&botId=456&dialogId=chat5&fields[message]=hi",
    ).map((text) => ({ text, label: "PHP form edge case" })),
  },
  {
    weight: 1,
    arbitrary: fc.record({ depth: fc.integer({ min: 30, max: 400 }), key: fc.constantFrom("a", "", "__proto__", "0") }).map(({ depth, key }) => ({
      text: `fields${`[${key}]`.repeat(depth)}=1&botToken=my_bot_token&botId=456`,
      label: `PHP form key nested ${depth} levels`,
    })),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ count: fc.oneof(fc.integer({ min: 9_990, max: 10_010 }), fc.integer({ min: 100, max: 3_000 })), style: fc.constantFrom("flat", "append", "nested") })
      .map(({ count, style }) => {
        const parts: string[] = [];
        for (let i = 0; i < count; i++) {
          parts.push(style === "flat" ? `k${i}=${i}` : style === "append" ? `ids[]=${i}` : `fields[k${i % 50}][${i}]=${i}`);
        }
        return { text: parts.join("&"), label: `PHP form with ${count} keys (${style})` };
      }),
  },
);

// ---------------------------------------------------------------------------------------------
// Multipart

export function multipartBody(pairs: readonly [string, string][], boundary: string, file?: { name: string; bytes: Buffer }): Buffer {
  const chunks: Buffer[] = [];
  for (const [name, value] of pairs) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name.replace(/"/g, "%22")}"\r\n\r\n${value}\r\n`));
  }
  if (file) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`));
    chunks.push(file.bytes, Buffer.from("\r\n"));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

// ---------------------------------------------------------------------------------------------
// Whole bodies

export const CONTENT_TYPES = [
  "application/json",
  "application/json; charset=utf-8",
  "application/json; charset=latin1",
  "APPLICATION/JSON",
  "application/vnd.api+json",
  "application/x-www-form-urlencoded",
  "application/x-www-form-urlencoded; charset=utf-16",
  "multipart/form-data",
  "multipart/form-data; boundary=",
  "multipart/form-data; boundary=nope",
  "text/plain",
  "text/html",
  "application/xml",
  "text/xml",
  "application/octet-stream",
  "image/png",
  "",
  ";",
  "garbage",
  "application/json;;;",
  "*/*",
] as const;

const anyContentType = fc.oneof(fc.constantFrom<string | undefined>(...CONTENT_TYPES, undefined), fc.string({ maxLength: 20 }).map((s) => s.replace(/[^\x20-\x7e]/g, "")));

/** Random bytes, often invalid UTF-8. */
const randomBytes = fc.oneof(
  fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a)),
  fc.constantFrom(
    Buffer.from([0xff, 0xfe, 0x7b, 0x7d]),
    Buffer.from([0xc0, 0xaf]),
    Buffer.from([0xed, 0xa0, 0x80]),
    Buffer.from('{"botId":"\xff"}', "latin1"),
    Buffer.concat([Buffer.from('{"botToken":"my_bot_token","botId":456,"dialogId":"chat5","fields":{"message":"'), Buffer.from([0xe2, 0x82]), Buffer.from('"}}')]),
    Buffer.from("botToken=my_bot_token&botId=456&fields[message]=\xe9", "latin1"),
  ),
);

/**
 * Every kind of body the suites send, as wire bytes, by family. `params` are valid-looking
 * parameter trees; they go out as JSON, as a PHP form, or as multipart.
 */
export function bodyFamilies(methodNames: readonly string[]): Record<BodyFamily, fc.Arbitrary<WireBody>> {
  const params = paramsObject(methodNames);
  const json = (contentType: string | undefined, text: string, label: string): WireBody => ({ contentType, body: Buffer.from(text, "utf8"), label });
  return {
    // valid-looking params with random values, as typed JSON, a PHP form and multipart
    params: fc.oneof(
      { weight: 4, arbitrary: params.map((t) => json("application/json", renderJson(t), "JSON params")) },
      { weight: 3, arbitrary: params.map((t) => json("application/x-www-form-urlencoded", formText(formPairs(t)), "form params")) },
      {
        weight: 1,
        arbitrary: fc.tuple(params, fc.constantFrom("b0undary", "----x", "a b", "x".repeat(70)), fc.boolean()).map(([t, boundary, file]) => ({
          contentType: `multipart/form-data; boundary=${boundary.includes(" ") ? `"${boundary}"` : boundary}`,
          body: multipartBody(formPairs(t), boundary, file ? { name: "a.png", bytes: Buffer.from([0x89, 0x50, 0x4e, 0x47]) } : undefined),
          label: "multipart params",
        })),
      },
    ),
    // JSON values of every type where the parameter object belongs, malformed JSON, lone surrogates
    json: fc.oneof(
      jsonTree.map((t) => json("application/json", renderJson(t), "any JSON value")),
      malformedJsonText.map((text) => json("application/json", text, "malformed JSON")),
    ),
    // deep JSON, PHP bracket forms: deep, huge, prototype keys, odd syntax
    nesting: fc.oneof(
      deepJsonText.map(({ text, label }) => json("application/json", text, label)),
      rawFormText.map(({ text, label }) => json("application/x-www-form-urlencoded", text, label)),
    ),
    // huge strings, up to and over the body limit
    size: fc
      .record({
        size: fc.oneof(fc.integer({ min: 100_000, max: BODY_LIMIT - 200 }), fc.integer({ min: BODY_LIMIT - 200, max: BODY_LIMIT + 64 })),
        unit: fc.constantFrom("a", "я", "😀", "\\ud800"),
        form: fc.boolean(),
      })
      .map(({ size, unit, form }) => {
        const head = form ? "botToken=my_bot_token&botId=456&dialogId=chat5&fields[message]=" : '{"botToken":"my_bot_token","botId":456,"dialogId":"chat5","fields":{"message":"';
        const tail = form ? "" : '"}}';
        const piece = form ? pct(unit === "\\ud800" ? "\ud800" : unit) : unit;
        const count = Math.max(0, Math.floor((size - head.length - tail.length) / Buffer.byteLength(piece)));
        const text = head + piece.repeat(count) + tail;
        return json(form ? "application/x-www-form-urlencoded" : "application/json", text, `huge ${form ? "form" : "JSON"} string of ~${size} bytes (${unit})`);
      }),
    // invalid UTF-8, random bytes, empty bodies, wrong or no content types, garbage multipart, encodings
    bytes: fc.oneof(
      fc.tuple(randomBytes, anyContentType).map(([body, contentType]) => ({ contentType, body, label: "random bytes" })),
      anyContentType.map((contentType) => ({ contentType, body: Buffer.alloc(0), label: "empty body" })),
      fc.tuple(params, anyContentType).map(([t, contentType]) => json(contentType, renderJson(t), "JSON params, any content type")),
      fc.tuple(params, fc.constantFrom("multipart/form-data; boundary=", "multipart/form-data", "multipart/form-data; boundary=zzz", 'multipart/form-data; boundary="unterminated')).map(([t, contentType]) => ({
        contentType,
        body: multipartBody(formPairs(t), "actual-boundary").subarray(0, 1 + (renderJson(t).length % 200)),
        label: "multipart with a garbage boundary",
      })),
      fc.tuple(params, fc.constantFrom("gzip", "deflate", "br", "identity", "x-unknown", "gzip, gzip"), fc.boolean()).map(([t, encoding, valid]) => ({
        contentType: "application/json",
        body: valid && encoding === "gzip" ? gzipSync(renderJson(t)) : Buffer.from(renderJson(t)),
        headers: { "Content-Encoding": encoding },
        label: `Content-Encoding ${encoding}${valid && encoding === "gzip" ? "" : " (not encoded)"}`,
      })),
    ),
    // batch commands in `cmd`, sent to every method (others must ignore them)
    batch: fc
      .tuple(cmdValue(methodNames), boolValue, fc.boolean())
      .map(([cmd, halt, form]) => {
        const tree = obj([["cmd", cmd], ["halt", halt]]);
        return form ? json("application/x-www-form-urlencoded", formText(formPairs(tree)), "batch cmd as form") : json("application/json", renderJson(tree), "batch cmd as JSON");
      }),
  };
}

export const BODY_FAMILIES = ["params", "json", "nesting", "size", "bytes", "batch"] as const;
export type BodyFamily = (typeof BODY_FAMILIES)[number];

/** Every body kind at once. */
export function wireBody(methodNames: readonly string[]): fc.Arbitrary<WireBody> {
  return fc.oneof(...Object.values(bodyFamilies(methodNames)));
}

/** Extra query text: random keys, conflicts with the body (`botId` here, another there), odd escapes. */
export function extraQuery(methodNames: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant("") },
    { weight: 3, arbitrary: paramsObject(methodNames, 0).map((t) => formText(formPairs(t)).slice(0, 4000)) },
    { weight: 1, arbitrary: fc.constantFrom("botId=457", "botToken=other_bot_token", "botId=0&botToken=", "bx24_request_id=1", "%zz", "a=%ED%A0%80", "__proto__[polluted]=yes", "auth[]=x", "fields[message]=from+query") },
  );
}
