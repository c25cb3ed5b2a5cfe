import { readFileSync } from "node:fs";
import request from "supertest";
import { describe, it, expect } from "vitest";
import { createEmulator } from "../src/index.js";
import { ERROR_CATALOGUE } from "../src/errors/catalogue.js";
import {
  expectMatchesOpenApi,
  loadOpenApiDocument,
  pointerText,
  resolvePointer,
  schemaValidatorAt,
} from "./support/openapi.js";

const doc = loadOpenApiDocument();
const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;
type Json = Record<string, unknown>;

const isRecord = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

/** Every node of the document with its pointer segments. */
function* walk(node: unknown, path: string[] = []): Generator<[string[], unknown]> {
  yield [path, node];
  if (Array.isArray(node)) for (const [i, child] of node.entries()) yield* walk(child, [...path, String(i)]);
  else if (isRecord(node)) for (const [key, child] of Object.entries(node)) yield* walk(child, [...path, key]);
}

function deref(node: unknown): unknown {
  let current = node;
  for (let hops = 0; isRecord(current) && typeof current.$ref === "string"; hops++) {
    if (hops > 10) throw new Error("$ref loop");
    current = resolvePointer(current.$ref);
  }
  return current;
}

interface OperationRef {
  path: string;
  method: string;
  operation: Json;
}

function operations(): OperationRef[] {
  const out: OperationRef[] = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of HTTP_METHODS) {
      const operation = (item as Json | undefined)?.[method];
      if (isRecord(operation)) out.push({ path, method, operation });
    }
  }
  return out;
}

/** The `error` codes an error response allows: every `properties.error.enum` reachable from its schema. */
function errorCodesOf(response: unknown): string[] {
  const resolved = deref(response);
  if (!isRecord(resolved) || !isRecord(resolved.content)) return [];
  const media = resolved.content["application/json"];
  const codes: string[] = [];
  const visit = (schema: unknown, depth: number): void => {
    const s = deref(schema);
    if (!isRecord(s) || depth > 10) return;
    const error = isRecord(s.properties) ? deref(s.properties.error) : undefined;
    // The binder's code is listed twice, as text and as the number the numericBinderCode switch sends: one code.
    if (isRecord(error) && Array.isArray(error.enum)) {
      for (const code of (error.enum as (string | number)[]).map(String)) if (!codes.includes(code)) codes.push(code);
    }
    for (const key of ["allOf", "anyOf", "oneOf"]) {
      if (Array.isArray(s[key])) for (const sub of s[key] as unknown[]) visit(sub, depth + 1);
    }
  };
  visit(isRecord(media) ? media.schema : undefined, 0);
  return codes;
}

/** (code, status) pairs a Responses object documents. */
function documentedErrors(responses: unknown): { code: string; status: number }[] {
  if (!isRecord(responses)) return [];
  return Object.entries(responses)
    .filter(([status]) => /^[45]\d\d$/.test(status))
    .flatMap(([status, response]) => errorCodesOf(response).map((code) => ({ code, status: Number(status) })));
}

const commandAnswerOps = operations().filter((o) => o.operation["x-bitrix-method"] === "imbot.v2.Command.answer");
const generic = (doc as Json)["x-generic-responses"] as Json;

/** Catalogue codes imbot.v2.Command.answer can answer with (src/rest/*, src/methods/imbot/*). */
const COMMAND_ANSWER_CODES = [
  "INTERNAL_SERVER_ERROR",
  "CONFORMANCE_VIOLATION",
  "ERROR_METHOD_NOT_FOUND",
  "NO_AUTH_FOUND",
  "expired_token",
  "APPLICATION_NOT_FOUND",
  "insufficient_scope",
  "INVALID_REQUEST",
  "QUERY_LIMIT_EXCEEDED",
  "STORAGE_UNAVAILABLE",
  "BOT_TOKEN_NOT_SPECIFIED",
  "BOT_ID_REQUIRED",
  "BOT_NOT_FOUND",
  "BOT_OWNERSHIP_ERROR",
  "COMMAND_NOT_FOUND",
  "COMMAND_ANSWER_FAILED",
  "100",
  "ERROR_ARGUMENT",
  "ERROR_UNSUPPORTED_TRANSPORT",
  "INVALID_REQUEST_BODY",
  "REQUEST_TOO_LARGE",
  "UNSUPPORTED_MEDIA_TYPE",
] as const;

const WEBHOOK_ONLY = ["BOT_TOKEN_NOT_SPECIFIED", "INVALID_REQUEST"];
const OAUTH_ONLY = ["expired_token", "APPLICATION_NOT_FOUND"];

const TIME = {
  start: 1778754392.123,
  finish: 1778754392.131,
  duration: 0.008,
  processing: 0.002,
  date_start: "2026-05-14T10:26:32+00:00",
  date_finish: "2026-05-14T10:26:32+00:00",
};
const JSON_TYPE = "application/json; charset=utf-8";
const WEBHOOK_URL = "/rest/1/emulator/imbot.v2.Command.answer";
const OAUTH_URL = "/rest/imbot.v2.Command.answer";
const post = (url: string) => ({ method: "POST", url });

function failureOf(fn: () => void): string {
  try {
    fn();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected the validator to reject the response, but it accepted it");
}

describe("openapi.yaml is a well-formed OpenAPI 3.1 document", () => {
  it("declares OpenAPI 3.1.0 and the package's name and version", () => {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info.title).toBe("b24-emulator");
    expect(doc.info.version).toBe(pkg.version);
    expect(doc.info.description?.length ?? 0).toBeGreaterThan(0);
    expect(doc.servers?.map((s) => s.url)).toEqual(["http://127.0.0.1:3000", "https://127.0.0.1:3443"]);
  });

  it("resolves every $ref inside the document", () => {
    const refs = [...walk(doc)].filter(([path, node]) => path.at(-1) === "$ref" && typeof node === "string");
    expect(refs.length).toBeGreaterThan(20);
    const broken = refs
      .map(([path, ref]) => ({ at: pointerText(path), ref: ref as string }))
      .filter(({ ref }) => !ref.startsWith("#/") || resolvePointer(ref) === undefined);
    expect(broken).toEqual([]);
  });

  it("gives every operation a unique operationId, x-bitrix-method (REST) or a control tag, and a success response", () => {
    const ops = operations();
    expect(ops.length).toBeGreaterThanOrEqual(4);
    const ids = ops.map((o) => o.operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    const tagNames = new Set((doc.tags ?? []).map((t) => t.name));
    for (const { path, method, operation } of ops) {
      const where = `${method.toUpperCase()} ${path}`;
      expect(typeof operation.operationId, where).toBe("string");
      if (path.startsWith("/rest/")) expect(operation["x-bitrix-method"], where).toBe(path.split("/").at(-1));
      else if (path.startsWith("/oauth")) expect(operation.tags, where).toContain("oauth server");
      else expect(operation.tags, where).toContain("emulator control");
      expect(Array.isArray(operation.tags) && operation.tags.length > 0, where).toBe(true);
      for (const tag of operation.tags as string[]) expect(tagNames.has(tag), `${where} tag ${tag}`).toBe(true);
      const responses = operation.responses as Json;
      expect(Object.keys(responses).some((status) => status === "200" || status === "201"), where).toBe(true);
      for (const status of Object.keys(responses)) expect(status, where).toMatch(/^([1-5]\d\d|[1-5]XX|default)$/);
    }
  });

  it("serves Command.answer under the webhook and the OAuth path, each with GET and POST", () => {
    const forms = commandAnswerOps.map((o) => `${o.method} ${o.path}`).sort();
    expect(forms).toEqual([
      "get /rest/imbot.v2.Command.answer",
      "get /rest/{userId}/{webhookCode}/imbot.v2.Command.answer",
      "post /rest/imbot.v2.Command.answer",
      "post /rest/{userId}/{webhookCode}/imbot.v2.Command.answer",
    ]);
    for (const { path, method, operation } of commandAnswerOps) {
      if (method === "post") {
        const body = deref(operation.requestBody) as Json;
        expect(Object.keys(body.content as Json).sort()).toEqual([
          "application/json",
          "application/x-www-form-urlencoded",
          "multipart/form-data",
        ]);
      } else {
        expect(operation.requestBody).toBeUndefined();
        const names = (operation.parameters as unknown[]).map((p) => (deref(p) as Json).name);
        expect(names).toEqual(expect.arrayContaining(["botId", "commandId", "messageId", "dialogId", "fields"]));
        expect(names.includes("auth")).toBe(!path.includes("{userId}"));
      }
    }
  });

  it("declares every path template parameter as a required path parameter", () => {
    for (const [path, item] of Object.entries(doc.paths ?? {})) {
      const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      for (const method of HTTP_METHODS) {
        const operation = (item as Json)[method] as Json | undefined;
        if (!operation) continue;
        const params = [...((item as Json).parameters as unknown[] | undefined ?? []), ...((operation.parameters as unknown[] | undefined) ?? [])]
          .map((p) => deref(p) as Json)
          .filter((p) => p.in === "path");
        expect(params.map((p) => p.name).sort(), `${method} ${path}`).toEqual([...templated].sort());
        for (const p of params) expect(p.required, `${method} ${path} ${String(p.name)}`).toBe(true);
      }
    }
  });

  it("references only declared security schemes", () => {
    const schemes = Object.keys(doc.components?.securitySchemes ?? {});
    for (const { operation } of operations()) {
      for (const requirement of (operation.security as Json[] | undefined) ?? []) {
        for (const name of Object.keys(requirement)) expect(schemes).toContain(name);
      }
    }
  });

  it("follows the object rules of the official OAS 3.1 schema", () => {
    for (const [kind, entries] of Object.entries(doc.components ?? {})) {
      for (const name of Object.keys(entries as Json)) expect(name, `components.${kind}`).toMatch(/^[a-zA-Z0-9._-]+$/);
    }
    const problems: string[] = [];
    for (const [path, node] of walk(doc)) {
      if (!isRecord(node)) continue;
      const at = pointerText(path);
      const parent = path.at(-2);
      // Reference Objects outside schemas carry nothing but $ref, summary and description.
      if (typeof node.$ref === "string" && !path.includes("schemas") && !path.includes("schema")) {
        const extra = Object.keys(node).filter((k) => !["$ref", "summary", "description"].includes(k));
        if (extra.length > 0) problems.push(`${at}: reference with ${extra.join(", ")}`);
        continue;
      }
      const isResponse = (parent === "responses" && path.length >= 3) || (/^[1-5]\d\d$/.test(path.at(-1) ?? "") && !path.includes("examples"));
      if (isResponse && path[0] !== "x-generic-responses" && typeof node.description !== "string") problems.push(`${at}: response without description`);
      if (parent === "parameters" || path.at(-3) === "parameters") {
        if (typeof node.in === "string" && ("schema" in node) === ("content" in node)) problems.push(`${at}: parameter needs schema xor content`);
      }
      if (parent === "requestBodies" && !isRecord(node.content)) problems.push(`${at}: request body without content`);
    }
    expect(problems).toEqual([]);
  });

  it("uses no OpenAPI 3.0 leftovers (nullable, boolean exclusiveMinimum/Maximum)", () => {
    const leftovers = [...walk(doc.components?.schemas)].filter(
      ([path, node]) =>
        path.at(-1) === "nullable" || (["exclusiveMinimum", "exclusiveMaximum"].includes(path.at(-1) ?? "") && typeof node === "boolean"),
    );
    expect(leftovers.map(([path]) => pointerText(path))).toEqual([]);
  });

  // The suite's heaviest CPU-bound test: compiling the ~1,000 schemas takes about 1.5 s of CPU, and
  // 12-18 s on a loaded 2-core machine, too near the default 20 s limit.
  it("compiles every schema in ajv (components, media types and parameters)", () => {
    const pointers = Object.keys(doc.components?.schemas ?? {}).map((name) => `/components/schemas/${name}`);
    for (const [path, node] of walk(doc)) {
      if (path.at(-1) !== "schema" || !isRecord(node)) continue;
      const parent = resolvePointer(pointerText(path.slice(0, -1)));
      const inMediaType = path.at(-3) === "content";
      const inParameter = isRecord(parent) && typeof parent.in === "string";
      if (inMediaType || inParameter) pointers.push(pointerText(path));
    }
    expect(pointers.length).toBeGreaterThan(40);
    for (const pointer of pointers) expect(() => schemaValidatorAt(pointer), pointer).not.toThrow();
  }, 60_000);

  it("has only examples that satisfy their own schemas", () => {
    let checked = 0;
    for (const [path, node] of walk(doc)) {
      if (path.at(-1) !== "examples" || path.at(-3) !== "content" || !isRecord(node)) continue;
      const validate = schemaValidatorAt(pointerText([...path.slice(0, -1), "schema"]));
      for (const [name, example] of Object.entries(node)) {
        const value = (deref(example) as Json).value;
        expect(validate(value), `${pointerText(path)}/${name}: ${JSON.stringify(validate.errors)}`).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(30);
  });

  it("answers only application/json, and names an example for every error code it allows", () => {
    for (const [path, node] of walk(doc.components?.responses, ["components", "responses"])) {
      if (path.length !== 3 || !isRecord(node)) continue;
      const content = node.content as Json;
      expect(Object.keys(content), pointerText(path)).toEqual(["application/json"]);
      const examples = Object.keys(((content["application/json"] as Json).examples as Json | undefined) ?? {});
      for (const code of errorCodesOf(node)) expect(examples, `${pointerText(path)} example for ${code}`).toContain(code);
    }
  });

  it("describes the generic 404s for unknown REST methods and unknown paths", () => {
    expect(Object.keys(generic.unknownPath as Json)).toEqual(["404"]);
    expect(documentedErrors(generic.unknownPath)).toEqual([{ code: "NOT_FOUND", status: 404 }]);
    expect(documentedErrors(generic.unknownRestMethod)).toContainEqual({ code: "ERROR_METHOD_NOT_FOUND", status: 404 });
    expect(doc.components?.responses?.NotFound).toBeDefined();
    const served = ["/rest/", "/_emulator/", "/oauth/", "/oauth-server/"];
    expect(Object.keys(doc.paths ?? {}).filter((p) => !served.some((prefix) => p.startsWith(prefix)))).toEqual([]);
    expect(doc.info.description).toMatch(/NOT_FOUND/);
  });
});

describe("openapi.yaml agrees with src/errors/catalogue.ts", () => {
  const catalogue: Record<string, { status: number; alternateStatus?: number }> = ERROR_CATALOGUE;
  // A few codes a portal answers with a second status in some methods (the catalogue says which).
  const statusFits = (code: string, status: number) => catalogue[code]?.status === status || catalogue[code]?.alternateStatus === status;

  it("documents every catalogue code somewhere, at the catalogue's status", () => {
    const documented = [
      ...operations().flatMap((o) => documentedErrors(o.operation.responses)),
      ...Object.values(generic).flatMap((responses) => documentedErrors(responses)),
    ];
    // A new code in the catalogue must be documented on the operations that produce it.
    const undocumented = Object.keys(catalogue).filter((code) => !documented.some((d) => d.code === code));
    expect(undocumented).toEqual([]);
    for (const { code, status } of documented) {
      if (code in catalogue) expect(statusFits(code, status) || code === "BOT_OWNERSHIP_ERROR", `${code} at ${status}`).toBe(true);
    }
  });

  it.each(COMMAND_ANSWER_CODES)("documents %s on Command.answer at the catalogue's status", (code) => {
    const statuses = new Set(
      commandAnswerOps.flatMap((o) => documentedErrors(o.operation.responses).filter((e) => e.code === code).map((e) => e.status)),
    );
    expect([...statuses]).toEqual([catalogue[code]?.status]);
  });

  it("documents on each Command.answer operation exactly the codes its URL form can produce", () => {
    for (const { path, method, operation } of commandAnswerOps) {
      const webhook = path.includes("{userId}");
      const expected = COMMAND_ANSWER_CODES.filter((c) => !(webhook ? OAUTH_ONLY : WEBHOOK_ONLY).includes(c)).sort();
      const codes = [...new Set(documentedErrors(operation.responses).map((e) => e.code))].sort();
      expect(codes, `${method} ${path}`).toEqual(expected);
    }
  });

  it("gives every code anywhere in the document the catalogue's status", () => {
    const all = [
      ...operations().flatMap((o) => documentedErrors(o.operation.responses)),
      ...documentedErrors(generic.unknownRestMethod),
      ...documentedErrors(generic.unknownPath),
    ];
    expect(all.length).toBeGreaterThan(40);
    const wrong = all.filter(({ code, status }) => !statusFits(code, status));
    expect(wrong).toEqual([]);
  });

  it("uses the catalogue's descriptions in the examples of codes with a fixed text", () => {
    const examples = (doc.components?.examples ?? {}) as Record<string, { value: { error: string; error_description: string } }>;
    for (const code of ["NO_AUTH_FOUND", "expired_token", "insufficient_scope", "ERROR_METHOD_NOT_FOUND", "BOT_NOT_FOUND"]) {
      const entry = ERROR_CATALOGUE[code as keyof typeof ERROR_CATALOGUE];
      expect(examples[code]?.value).toEqual({ error: code, error_description: entry.description });
    }
  });
});

describe("expectMatchesOpenApi", () => {
  it("accepts a nested success", () => {
    expectMatchesOpenApi(post(WEBHOOK_URL), { status: 200, body: { result: { result: true }, time: TIME }, contentType: JSON_TYPE });
  });

  it("accepts a bare success, and one carrying the optional cloud keys", () => {
    expectMatchesOpenApi(post(OAUTH_URL), { status: 200, body: { result: true, time: TIME }, contentType: JSON_TYPE });
    const cloudTime = { ...TIME, operating_reset_at: 1778754452, operating: 0.25 };
    expectMatchesOpenApi(post(OAUTH_URL), { status: 200, body: { result: true, time: cloudTime } });
  });

  it("maps method spellings, suffixes, slashes and query strings onto the same operation", () => {
    const ok = { status: 200, body: { result: { result: true }, time: TIME }, contentType: JSON_TYPE };
    for (const url of [
      "/rest/1/emulator/imbot.v2.command.answer",
      "/rest/1/emulator/IMBOT.V2.COMMAND.ANSWER.JSON",
      "/rest//imbot.v2.Command.answer/",
      "http://127.0.0.1:3000/rest/imbot.v2.Command.answer.json?auth=emulator-token&bx24_request_id=1",
    ]) {
      expectMatchesOpenApi({ method: "GET", url }, ok);
      expectMatchesOpenApi({ method: "post", url }, ok);
    }
  });

  it("accepts a 404 NOT_FOUND for /nope, and ERROR_METHOD_NOT_FOUND for an unknown REST method", () => {
    expectMatchesOpenApi({ method: "GET", url: "/nope" }, { status: 404, body: { error: "NOT_FOUND", error_description: "No such path: GET /nope" }, contentType: JSON_TYPE });
    const notFound = { status: 404, body: { error: "ERROR_METHOD_NOT_FOUND", error_description: "Method not found!" }, contentType: JSON_TYPE };
    expectMatchesOpenApi(post("/rest/1/emulator/no.such.method"), notFound);
    expectMatchesOpenApi(post("/rest/a/b"), notFound);
    expectMatchesOpenApi(post("/rest"), notFound);
  });

  it("rejects a success without time", () => {
    const message = failureOf(() => expectMatchesOpenApi(post(WEBHOOK_URL), { status: 200, body: { result: { result: true } } }));
    expect(message).toContain("commandAnswerWebhookPost");
    expect(message).toMatch(/must have required property 'time'/);
  });

  it("rejects a time block with a Z date, a missing key or an extra key", () => {
    const { processing: _processing, ...withoutProcessing } = TIME;
    for (const time of [{ ...TIME, date_start: "2026-05-14T10:26:32.123Z" }, withoutProcessing, { ...TIME, elapsed: 1 }]) {
      expect(() => expectMatchesOpenApi(post(OAUTH_URL), { status: 200, body: { result: true, time } })).toThrow(/\/time/);
    }
  });

  it("rejects results other than {result: true} and true", () => {
    for (const result of [false, { result: false }, { result: true, id: 5 }, "Y", null]) {
      expect(() => expectMatchesOpenApi(post(OAUTH_URL), { status: 200, body: { result, time: TIME } }), JSON.stringify(result)).toThrow(/\/result/);
    }
  });

  it("rejects an error with an extra result key", () => {
    const message = failureOf(() =>
      expectMatchesOpenApi(post(WEBHOOK_URL), {
        status: 400,
        body: { error: "BOT_NOT_FOUND", error_description: "Bot not found", result: null },
        contentType: JSON_TYPE,
      }),
    );
    expect(message).toMatch(/must NOT have additional properties \("result"\)/);
  });

  it("rejects an empty error code or description", () => {
    expect(() => expectMatchesOpenApi(post(OAUTH_URL), { status: 401, body: { error: "NO_AUTH_FOUND", error_description: "" } })).toThrow(/error_description/);
    expect(() => expectMatchesOpenApi(post(OAUTH_URL), { status: 401, body: { error: "NO_AUTH_FOUND" } })).toThrow(/error_description/);
  });

  it("rejects a 400 carrying NO_AUTH_FOUND", () => {
    const message = failureOf(() =>
      expectMatchesOpenApi(post(WEBHOOK_URL), { status: 400, body: { error: "NO_AUTH_FOUND", error_description: "Wrong authorization data" } }),
    );
    expect(message).toContain("status:    400");
    expect(message).toMatch(/\/error must be equal to one of the allowed values/);
  });

  it("rejects codes the URL form cannot produce", () => {
    // botToken is never required under OAuth, and webhooks never answer expired_token.
    expect(() => expectMatchesOpenApi(post(OAUTH_URL), { status: 400, body: { error: "BOT_TOKEN_NOT_SPECIFIED", error_description: "x" } })).toThrow();
    expect(() => expectMatchesOpenApi(post(WEBHOOK_URL), { status: 401, body: { error: "expired_token", error_description: "x" } })).toThrow();
    expect(() => expectMatchesOpenApi({ method: "GET", url: "/nope" }, { status: 404, body: { error: "ERROR_METHOD_NOT_FOUND", error_description: "x" } })).toThrow();
    expect(() => expectMatchesOpenApi(post("/rest/no.such.method"), { status: 404, body: { error: "NOT_FOUND", error_description: "x" } })).toThrow();
  });

  it("rejects an HTML body", () => {
    const html = "<!DOCTYPE html><html><body>Not found</body></html>";
    const message = failureOf(() => expectMatchesOpenApi({ method: "GET", url: "/nope" }, { status: 404, body: html, contentType: "text/html; charset=utf-8" }));
    expect(message).toMatch(/content type is "text\/html; charset=utf-8", not application\/json/);
    expect(message).toMatch(/must be object/);
    // supertest hands an HTML answer over as {} — still no envelope.
    expect(() => expectMatchesOpenApi(post(WEBHOOK_URL), { status: 200, body: {}, contentType: "text/html" })).toThrow(/required property 'result'/);
  });

  it("rejects a correct body sent with a non-JSON content type", () => {
    const body = { result: { result: true }, time: TIME };
    expect(() => expectMatchesOpenApi(post(WEBHOOK_URL), { status: 200, body, contentType: "text/plain" })).toThrow(/content type/);
  });

  it("rejects undocumented statuses and HTTP methods", () => {
    const body = { error: "INTERNAL_SERVER_ERROR", error_description: "x" };
    expect(() => expectMatchesOpenApi(post(WEBHOOK_URL), { status: 418, body })).toThrow(/status 418 is not documented/);
    expect(() => expectMatchesOpenApi({ method: "GET", url: "/nope" }, { status: 500, body })).toThrow(/status 500 is not documented/);
    expect(() => expectMatchesOpenApi({ method: "PUT", url: WEBHOOK_URL }, { status: 200, body: { result: true, time: TIME } })).toThrow(/status 200 is not documented/);
    expectMatchesOpenApi({ method: "PUT", url: WEBHOOK_URL }, { status: 405, body: { error: "HTTP_METHOD_NOT_ALLOWED", error_description: "x" } });
  });

  it("accepts a status moved by statusOverrides only when told about the override", () => {
    const response = { status: 403, body: { error: "BOT_OWNERSHIP_ERROR", error_description: "The bot does not belong to this application" } };
    expect(() => expectMatchesOpenApi(post(WEBHOOK_URL), response)).toThrow(/\/error must be equal to one of the allowed values/);
    expectMatchesOpenApi(post(WEBHOOK_URL), response, { statusOverrides: { BOT_OWNERSHIP_ERROR: 403 } });
    // The override does not license a code the operation never answers with.
    const bogus = { status: 403, body: { error: "NOT_FOUND", error_description: "x" } };
    expect(() => expectMatchesOpenApi(post(WEBHOOK_URL), bogus, { statusOverrides: { NOT_FOUND: 403 } })).toThrow();
  });

  it("truncates long bodies in its message", () => {
    const body = { result: { result: true }, time: TIME, padding: "x".repeat(5000) };
    const message = failureOf(() => expectMatchesOpenApi(post(WEBHOOK_URL), { status: 200, body }));
    expect(message).toMatch(/… \(\d+ chars\)/);
    expect(message.length).toBeLessThan(2000);
  });

  it("returns a private copy of the document", () => {
    const copy = loadOpenApiDocument();
    copy.openapi = "3.0.0";
    expect(loadOpenApiDocument().openapi).toBe("3.1.0");
  });
});

describe("the emulator's real answers match openapi.yaml", () => {
  const valid = {
    botId: 456,
    botToken: "my_bot_token",
    commandId: 42,
    messageId: 789,
    dialogId: "chat5",
    fields: { message: "Hello" },
  };

  const check = (method: string, url: string, res: request.Response) => {
    expectMatchesOpenApi({ method, url }, { status: res.status, body: res.body as unknown, contentType: String(res.headers["content-type"]) });
    return res;
  };

  it("on success, both shapes, JSON, form and GET", async () => {
    const app = createEmulator();
    expect(check("POST", WEBHOOK_URL, await request(app).post(WEBHOOK_URL).send(valid)).status).toBe(200);
    const form = "botId=456&commandId=42&messageId=789&dialogId=chat5&fields%5Bmessage%5D=Hi&auth=emulator-token";
    expect(check("POST", OAUTH_URL, await request(app).post(OAUTH_URL).type("form").send(form)).status).toBe(200);
    const getUrl = `/rest/imbot.v2.command.answer.json?${form}`;
    expect(check("GET", getUrl, await request(app).get(getUrl)).status).toBe(200);

    const bare = createEmulator({ booleanResultShape: "bare" });
    const res = check("POST", WEBHOOK_URL, await request(bare).post(WEBHOOK_URL).send(valid));
    expect(res.body).toMatchObject({ result: true });
  });

  it("on refusals", async () => {
    const app = createEmulator();
    const cases: [string, request.Test, number][] = [
      [WEBHOOK_URL, request(app).post(WEBHOOK_URL).send({ ...valid, botToken: "" }), 400],
      [WEBHOOK_URL, request(app).post(WEBHOOK_URL).send({ ...valid, commandId: 99 }), 400],
      [WEBHOOK_URL, request(app).post(WEBHOOK_URL).set("Content-Type", "application/json").send("{"), 400],
      [WEBHOOK_URL, request(app).post(WEBHOOK_URL).set("Content-Type", "text/plain").send("hi"), 415],
      ["/rest/1/wrong/imbot.v2.Command.answer", request(app).post("/rest/1/wrong/imbot.v2.Command.answer").send(valid), 401],
      [OAUTH_URL, request(app).post(OAUTH_URL).send(valid), 401],
      ["/rest/1/emulator/imbot.v2.Command.answer.xml", request(app).post("/rest/1/emulator/imbot.v2.Command.answer.xml").send(valid), 400],
      ["/rest/no.such.method", request(app).post("/rest/no.such.method").send({}), 404],
      ["/nope", request(app).post("/nope").send({}), 404],
    ];
    for (const [url, pending, status] of cases) {
      const res = check("POST", url, await pending);
      expect(res.status, url).toBe(status);
    }
  });
});
