import request from "supertest";
import { beforeEach, describe, expect, it } from "vitest";
import { expectMatchesOpenApi } from "./support/openapi.js";
import { createEmulator, type EmulatorApp } from "../src/index.js";
import { testFixture } from "./support/fixtures.js";
import { lastMessageIn, phpQuery, restClient, snapshot } from "./support/rest-client.js";

const params = {
  botId: 456,
  botToken: "my_bot_token",
  commandId: 42,
  messageId: 789,
  dialogId: "chat5",
  fields: { message: "hello" },
};
const oauthParams = { botId: 456, commandId: 42, messageId: 789, dialogId: "chat5", fields: { message: "hello" } };

let app: EmulatorApp;
let client: ReturnType<typeof restClient>;

beforeEach(() => {
  app = createEmulator({ fixture: testFixture() });
  client = restClient(app);
});

describe("URL forms", () => {
  it.each([
    ["canonical", "/rest/1/emulator/imbot.v2.Command.answer"],
    ["lower-case method, as SDKs send", "/rest/1/emulator/imbot.v2.command.answer"],
    [".json suffix, as CRest sends", "/rest/1/emulator/imbot.v2.Command.answer.json"],
    ["trailing slash", "/rest/1/emulator/imbot.v2.Command.answer/"],
    ["double slash from an endpoint ending in /", "/rest/1/emulator//imbot.v2.Command.answer"],
    ["unknown query params", "/rest/1/emulator/imbot.v2.Command.answer?bx24_request_id=abc&bx24_sdk_ver=2.2.0"],
  ])("webhook: %s", async (_name, url) => {
    const reply = await client.post(url, params);
    expect(reply.status).toBe(200);
    expect(reply.body.result).toEqual({ result: true });
  });

  it("OAuth: auth in the JSON body", async () => {
    expect((await client.post("/rest/imbot.v2.Command.answer", { ...oauthParams, auth: "emulator-token" })).status).toBe(200);
  });

  it("OAuth: auth in the query string, params in a form body", async () => {
    const reply = await client.post("/rest/imbot.v2.Command.answer.json?auth=emulator-token", oauthParams, "form");
    expect(reply.status).toBe(200);
  });

  it("OAuth: Authorization: Bearer", async () => {
    const reply = await client.post("/rest/imbot.v2.Command.answer", oauthParams, "json", { Authorization: "Bearer emulator-token" });
    expect(reply.status).toBe(200);
  });

  it("OAuth: the Bearer header wins over the auth param, which wins over access_token", async () => {
    const header = await client.post("/rest/imbot.v2.Command.answer", { ...oauthParams, auth: "nope" }, "json", {
      Authorization: "Bearer emulator-token",
    });
    expect(header.status).toBe(200);
    const wrongHeader = await client.post("/rest/imbot.v2.Command.answer", oauthParams, "json", { Authorization: "Bearer nope" });
    expect([wrongHeader.status, wrongHeader.body.error]).toEqual([401, "NO_AUTH_FOUND"]);
    const accessToken = await client.post("/rest/imbot.v2.Command.answer", { ...oauthParams, access_token: "emulator-token" });
    expect(accessToken.status).toBe(200);
    const authFirst = await client.post("/rest/imbot.v2.Command.answer", { ...oauthParams, auth: "nope", access_token: "emulator-token" });
    expect([authFirst.status, authFirst.body.error]).toEqual([401, "NO_AUTH_FOUND"]);
  });

  it("GET with everything in the query string, PHP brackets and all", async () => {
    const reply = await client.get(`/rest/1/emulator/imbot.v2.Command.answer?${phpQuery({ ...params, fields: { message: "via GET" } })}`);
    expect(reply.status).toBe(200);
    expect(lastMessageIn(app, 5)!.text).toBe("via GET");
  });

  it("query and body params merge, the body winning", async () => {
    const reply = await client.post(
      `/rest/1/emulator/imbot.v2.Command.answer?botToken=wrong&messageId=789`,
      { ...params, messageId: undefined, fields: { message: "merged" } },
    );
    expect(reply.status).toBe(200);
    expect(lastMessageIn(app, 5)!.text).toBe("merged");
  });

  it(".xml transport is refused with a JSON error", async () => {
    const reply = await client.post("/rest/1/emulator/imbot.v2.Command.answer.xml", params);
    expect(reply.body.error).toBe("ERROR_UNSUPPORTED_TRANSPORT");
    expect(reply.status).toBe(400);
  });
});

describe("the success envelope", () => {
  it("carries result and all six time keys, as JSON", async () => {
    const reply = await client.post("/rest/1/emulator/imbot.v2.Command.answer", params);
    expect(reply.contentType).toBe("application/json; charset=utf-8");
    expect(Object.keys(reply.body).sort()).toEqual(["result", "time"]);
    const time = reply.body.time as Record<string, unknown>;
    for (const key of ["start", "finish", "duration", "processing"]) expect(typeof time[key]).toBe("number");
    expect(time.date_start).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$/);
    expect(time.date_finish).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$/);
    expect(time.finish as number).toBeGreaterThanOrEqual(time.start as number);
    expect(time.processing as number).toBeLessThanOrEqual(time.duration as number);
  });
});

describe("parameter coercion", () => {
  it("reads Y/N, 1/0 and true/false for booleans", async () => {
    for (const [system, expected] of [["Y", true], ["y", true], ["1", true], ["true", true], ["N", false], ["0", false], [true, true], [false, false]] as const) {
      await client.post("/rest/1/emulator/imbot.v2.Command.answer", { ...params, fields: { message: "b", system } });
      expect(lastMessageIn(app, 5)!.isSystem).toBe(expected);
    }
  });

  it("reads integers given as strings and a dialogId given as a number", async () => {
    const reply = await client.post("/rest/1/emulator/imbot.v2.Command.answer", {
      ...params,
      botId: "456",
      commandId: "42",
      messageId: "789",
      messageIdExtra: 1,
      dialogId: "chat5",
    });
    expect(reply.status).toBe(200);
    const p2p = await client.post("/rest/1/emulator/imbot.v2.Command.answer", { ...params, messageId: 791, dialogId: 1 });
    expect(p2p.status).toBe(200);
  });

  it("treats __proto__ and constructor keys as plain data", async () => {
    const body = `${phpQuery(params)}&__proto__[polluted]=1&constructor[prototype][polluted]=1&fields[__proto__][x]=1`;
    const reply = await client.raw("/rest/1/emulator/imbot.v2.Command.answer", body, "application/x-www-form-urlencoded");
    expect(reply.status).toBe(200);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const json = `{"__proto__":{"polluted":1},${JSON.stringify(params).slice(1)}`;
    expect((await client.raw("/rest/1/emulator/imbot.v2.Command.answer", json, "application/json")).status).toBe(200);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("system errors", () => {
  async function expectError(reply: Promise<{ status: number; body: Record<string, unknown> }>, code: string, status: number) {
    const before = snapshot(app);
    const { status: actual, body } = await reply;
    expect(body.error).toBe(code);
    expect(actual).toBe(status);
    expect(typeof body.error_description).toBe("string");
    expect(snapshot(app)).toBe(before);
  }

  it("ERROR_METHOD_NOT_FOUND 404 for an unknown method, before auth is checked", async () => {
    await expectError(client.post("/rest/1/wrong-code/imbot.v2.Nope.nope", params), "ERROR_METHOD_NOT_FOUND", 404);
    await expectError(client.post("/rest/no.such.method", {}), "ERROR_METHOD_NOT_FOUND", 404);
    await expectError(client.get("/rest/"), "ERROR_METHOD_NOT_FOUND", 404);
  });

  it("NO_AUTH_FOUND 401 for a wrong webhook code, user id, or an expired webhook", async () => {
    await expectError(client.post("/rest/1/wrong/imbot.v2.Command.answer", params), "NO_AUTH_FOUND", 401);
    await expectError(client.post("/rest/2/emulator/imbot.v2.Command.answer", params), "NO_AUTH_FOUND", 401);
    await expectError(client.post("/rest/1/expired-hook/imbot.v2.Command.answer", params), "NO_AUTH_FOUND", 401);
  });

  it("NO_AUTH_FOUND 401 for an unknown or missing access token", async () => {
    await expectError(client.post("/rest/imbot.v2.Command.answer", { ...oauthParams, auth: "who?" }), "NO_AUTH_FOUND", 401);
    await expectError(client.post("/rest/imbot.v2.Command.answer", oauthParams), "NO_AUTH_FOUND", 401);
  });

  it("expired_token 401 for an expired access token", async () => {
    await expectError(client.post("/rest/imbot.v2.Command.answer", { ...oauthParams, auth: "stale-token" }), "expired_token", 401);
  });

  it("insufficient_scope 403 without the imbot scope, webhook or OAuth", async () => {
    await expectError(client.post("/rest/2/im-only/imbot.v2.Command.answer", params), "insufficient_scope", 403);
    await expectError(client.post("/rest/imbot.v2.Command.answer", { ...oauthParams, auth: "im-only-token" }), "insufficient_scope", 403);
  });

  it("INVALID_REQUEST 400 for a webhook call over http when https is required", async () => {
    app = createEmulator({ fixture: testFixture(), requireHttps: true });
    client = restClient(app);
    await expectError(client.post("/rest/1/emulator/imbot.v2.Command.answer", params), "INVALID_REQUEST", 400);
  });
});

describe("bodies and paths that are not REST calls still get JSON", () => {
  const url = "/rest/1/emulator/imbot.v2.Command.answer";

  it("malformed JSON: 400 INVALID_REQUEST_BODY", async () => {
    const reply = await client.raw(url, '{"botId":456,', "application/json");
    expect([reply.status, reply.body.error]).toEqual([400, "INVALID_REQUEST_BODY"]);
  });

  it("a JSON body that is not an object: 400 INVALID_REQUEST_BODY", async () => {
    for (const body of ["[1,2]", '"text"', "42", "null"]) {
      const reply = await client.raw(url, body, "application/json");
      expect([reply.status, reply.body.error]).toEqual([400, "INVALID_REQUEST_BODY"]);
    }
  });

  it("invalid UTF-8: 400 INVALID_REQUEST_BODY", async () => {
    const reply = await client.raw(url, Buffer.from([0x62, 0x6f, 0x74, 0x49, 0x64, 0x3d, 0xff, 0xfe]), "application/x-www-form-urlencoded");
    expect([reply.status, reply.body.error]).toEqual([400, "INVALID_REQUEST_BODY"]);
  });

  it("an unsupported content type: 415 UNSUPPORTED_MEDIA_TYPE", async () => {
    const reply = await client.raw(url, "<xml/>", "text/xml");
    expect([reply.status, reply.body.error]).toEqual([415, "UNSUPPORTED_MEDIA_TYPE"]);
  });

  it("a body over the limit: 413 REQUEST_TOO_LARGE", async () => {
    app = createEmulator({ fixture: testFixture(), bodyLimit: 1024 });
    client = restClient(app);
    const reply = await client.post(url, { ...params, fields: { message: "x".repeat(2048) } });
    expect([reply.status, reply.body.error]).toEqual([413, "REQUEST_TOO_LARGE"]);
  });

  it("parameter nesting beyond the limit: 400 INVALID_REQUEST_BODY naming the limit", async () => {
    const deep = `${phpQuery(params)}&x${"[a]".repeat(40)}=1`;
    const reply = await client.raw(url, deep, "application/x-www-form-urlencoded");
    expect([reply.status, reply.body.error]).toEqual([400, "INVALID_REQUEST_BODY"]);
    expect(reply.body.error_description).toContain("32");
  });

  it("an unknown path: 404 NOT_FOUND, as JSON", async () => {
    // "/" is the inspector page; any other path outside the APIs is JSON.
    for (const path of ["/index.html", "/nope", "/restx/imbot.v2.Command.answer"]) {
      const reply = await client.get(path);
      expect([reply.status, reply.body.error]).toEqual([404, "NOT_FOUND"]);
      expect(reply.contentType).toContain("application/json");
    }
  });
});

describe("broken transfer encodings", () => {
  it("a corrupt gzip body: 400 INVALID_REQUEST_BODY, not a 500", async () => {
    const reply = await client.raw("/rest/1/emulator/imbot.v2.Command.answer", '{"a":1}', "application/json", {
      "Content-Encoding": "gzip",
    });
    expect([reply.status, reply.body.error]).toEqual([400, "INVALID_REQUEST_BODY"]);
  });
});

describe("HTTP methods", () => {
  it("PUT, DELETE and PATCH on a REST method are 405 HTTP_METHOD_NOT_ALLOWED and change nothing", async () => {
    const before = snapshot(app);
    for (const method of ["PUT", "DELETE", "PATCH"] as const) {
      const res = await request(app)[method.toLowerCase() as "put" | "delete" | "patch"]("/rest/1/emulator/imbot.v2.Command.answer").send(params);
      expectMatchesOpenApi({ method, url: "/rest/1/emulator/imbot.v2.Command.answer" }, { status: res.status, body: res.body });
      expect([res.status, res.body.error, res.headers.allow]).toEqual([405, "HTTP_METHOD_NOT_ALLOWED", "GET, POST"]);
    }
    expect(snapshot(app)).toBe(before);
  });
});
