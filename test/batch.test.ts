import { beforeEach, describe, expect, it } from "vitest";
import { createEmulator, type EmulatorApp } from "../src/index.js";
import type { Portal } from "../src/store/state.js";
import { testFixture } from "./support/fixtures.js";
import { messagesIn, phpQuery, restClient, snapshot } from "./support/rest-client.js";

const WEBHOOK = "/rest/1/emulator/batch";
const OAUTH = "/rest/batch";
const REVISION = { rest: 36, web: 130, mobile: 23, desktop: 6 };
const BOT = "botId=456&botToken=my_bot_token";
const TIME_KEYS = ["date_finish", "date_start", "duration", "finish", "processing", "start"];

let app: EmulatorApp;
let client: ReturnType<typeof restClient>;
const portal = (): Portal => app.store.state.portals.default!;

beforeEach(() => {
  app = createEmulator({ fixture: testFixture() });
  client = restClient(app);
});

interface BatchResult {
  result: Record<string, Record<string, unknown>> | unknown[];
  result_error: Record<string, { error: string; error_description: string }> | unknown[];
  result_total: unknown;
  result_next: unknown;
  result_time: Record<string, Record<string, unknown>> | unknown[];
}

async function batch(cmd: unknown, extra: Record<string, unknown> = {}, url = WEBHOOK): Promise<BatchResult> {
  const reply = await client.post(url, { cmd, ...extra });
  expect(reply.status).toBe(200);
  expect(reply.body).toHaveProperty("time");
  return reply.body.result as BatchResult;
}

const botMessages = (chatId: number) => messagesIn(app, chatId).filter((m) => m.authorId === 456);

describe("a client runs several calls in one request", () => {
  it("runs a map of named commands and answers five maps keyed by those names", async () => {
    const out = await batch({
      rev: "imbot.v2.Revision.get",
      send: `imbot.v2.Chat.Message.send?${BOT}&dialogId=chat5&fields[message]=From%20a%20batch`,
    });
    expect(out.result).toEqual({ rev: REVISION, send: expect.objectContaining({ id: expect.any(Number) }) });
    expect(out.result_error).toEqual([]);
    expect(out.result_total).toEqual([]);
    expect(out.result_next).toEqual([]);
    expect(Object.keys(out.result_time)).toEqual(["rev", "send"]);
    for (const time of Object.values(out.result_time)) expect(Object.keys(time as object).sort()).toEqual(TIME_KEYS);

    const stored = botMessages(5).at(-1);
    expect(stored).toMatchObject({ id: (out.result as Record<string, Record<string, unknown>>).send!.id, text: "From a batch" });
  });

  it("keys a list of commands 0, 1, ... and answers lists when every key landed in one map", async () => {
    const out = await batch(["imbot.v2.Revision.get", `imbot.v2.Event.get?${BOT}`]);
    expect(out.result).toEqual([REVISION, { events: [], nextOffset: 0, hasMore: false }]);
    expect(out.result_error).toEqual([]);
    expect(Array.isArray(out.result_time)).toBe(true);
    expect(out.result_time).toHaveLength(2);
  });

  it("answers objects for a list whose keys have gaps, as PHP does", async () => {
    const out = await batch(["imbot.v2.Revision.get", "imbot.v2.No.such", "imbot.v2.Revision.get"]);
    expect(out.result).toEqual({ 0: REVISION, 2: REVISION });
    expect(out.result_error).toEqual({
      1: { error: "ERROR_METHOD_NOT_FOUND", error_description: 'Method not found! (b24-emulator: no method "imbot.v2.No.such")' },
    });
    expect(Array.isArray(out.result_time)).toBe(true); // all three ran: keys 0..2
  });

  it("accepts a form-encoded batch as CRest sends it (each command URL-encoded once more)", async () => {
    const answer = phpQuery({ botId: 456, botToken: "my_bot_token", commandId: 42, messageId: 789, dialogId: "chat5", fields: { message: "Hi there & welcome" } });
    const reply = await client.post(WEBHOOK, { halt: 0, cmd: { a: "imbot.v2.Revision.get", b: `imbot.v2.Command.answer?${answer}` } }, "form");
    expect(reply.status).toBe(200);
    expect(reply.body.result).toMatchObject({ result: { a: REVISION, b: { result: true } }, result_error: [] });
    expect(botMessages(5).at(-1)).toMatchObject({ text: "Hi there & welcome" });
  });

  it("accepts the same literal wire text", async () => {
    const body =
      "halt=0&cmd%5Ba%5D=imbot.v2.Revision.get" +
      "&cmd%5Bb%5D=imbot.v2.Command.answer%3FbotId%3D456%26botToken%3Dmy_bot_token%26commandId%3D42%26messageId%3D789%26dialogId%3Dchat5%26fields%255Bmessage%255D%3DHi%2520there";
    const reply = await client.raw(WEBHOOK, body, "application/x-www-form-urlencoded");
    expect(reply.status).toBe(200);
    expect(reply.body.result).toMatchObject({ result: { a: REVISION, b: { result: true } } });
    expect(botMessages(5).at(-1)).toMatchObject({ text: "Hi there" });
  });

  it("runs commands under OAuth with the batch's token: no botToken needed, a command's own auth ignored", async () => {
    const out = await batch(
      { mine: "imbot.v2.Event.get?botId=456", theirs: "imbot.v2.Event.get?botId=457&auth=other-token" },
      { auth: "emulator-token" },
      OAUTH,
    );
    expect(out.result).toEqual({ mine: { events: [], nextOffset: 0, hasMore: false } });
    expect(out.result_error).toEqual({ theirs: { error: "BOT_OWNERSHIP_ERROR", error_description: expect.any(String) } });
  });

  it("answers five empty lists for an empty or missing cmd", async () => {
    const empty = { result: [], result_error: [], result_total: [], result_next: [], result_time: [] };
    expect(await batch({})).toEqual(empty);
    expect(await batch([])).toEqual(empty);
    const reply = await client.post(WEBHOOK, {});
    expect(reply.status).toBe(200);
    expect(reply.body.result).toEqual(empty);
  });
});

describe("$result references", () => {
  it("answers a polled command in the same batch with ids taken from the event", async () => {
    await app.portal().userSays({ authorId: 1, dialogId: "chat5", text: "/help please" });
    const event = "$result[poll][events][0][data]";
    const out = await batch({
      poll: `imbot.v2.Event.get?${BOT}&limit=1`,
      answer:
        `imbot.v2.Command.answer?${BOT}&commandId=${event}[command][id]&messageId=${event}[message][id]` +
        `&dialogId=${event}[chat][dialogId]&fields[message]=You%20asked%20for%20${event}[command][command]%20${event}[command][params]`,
    });
    expect(out.result_error).toEqual([]);
    expect((out.result as Record<string, unknown>).answer).toEqual({ result: true });
    expect(botMessages(5).at(-1)).toMatchObject({ text: "You asked for /help please" });
  });

  it("passes the URL-encoded form of a reference, as the docs write it", async () => {
    const out = await batch({
      send: `imbot.v2.Chat.Message.send?${BOT}&dialogId=chat5&fields%5Bmessage%5D=first`,
      edit: `imbot.v2.Chat.Message.update?${BOT}&messageId=%24result%5Bsend%5D%5Bid%5D&fields%5Bmessage%5D=edited`,
    });
    expect(out.result_error).toEqual([]);
    const id = (out.result as Record<string, Record<string, unknown>>).send!.id as number;
    expect(portal().messages[id]).toMatchObject({ text: "edited" });
  });

  it("leaves a reference to a failed or unknown command as written, so the command fails on it", async () => {
    const out = await batch({
      bad: "imbot.v2.Event.get?botId=999&botToken=my_bot_token",
      edit: `imbot.v2.Chat.Message.update?${BOT}&messageId=$result[bad][id]&fields[message]=x`,
      later: `imbot.v2.Chat.Message.update?${BOT}&messageId=$result[later_key][id]&fields[message]=x`,
    });
    expect(out.result).toEqual([]);
    expect(out.result_error).toMatchObject({
      bad: { error: "BOT_NOT_FOUND" },
      edit: { error: "ERROR_ARGUMENT" },
      later: { error: "ERROR_ARGUMENT" },
    });
  });
});

describe("halt and the 50-command limit", () => {
  const withFailure = () => ({
    a: "imbot.v2.Revision.get",
    b: "imbot.v2.Chat.Message.send?botId=999&botToken=my_bot_token&dialogId=chat5&fields[message]=x",
    c: `imbot.v2.Chat.Message.send?${BOT}&dialogId=chat5&fields[message]=after%20the%20failure`,
  });

  it("runs on past a failing command by default", async () => {
    const out = await batch(withFailure());
    expect(Object.keys(out.result)).toEqual(["a", "c"]);
    expect(out.result_error).toMatchObject({ b: { error: "BOT_NOT_FOUND" } });
    expect(botMessages(5).at(-1)).toMatchObject({ text: "after the failure" });
  });

  it.each([true, 1, "1", "Y", "true"])("stops at the first failing command with halt=%s", async (halt) => {
    const before = botMessages(5).length;
    const out = await batch(withFailure(), { halt });
    expect(out.result).toEqual({ a: REVISION });
    expect(out.result_error).toEqual({ b: { error: "BOT_NOT_FOUND", error_description: expect.any(String) } });
    expect(Object.keys(out.result_time)).toEqual(["a", "b"]);
    expect(botMessages(5)).toHaveLength(before);
  });

  it("runs the first 50 commands and fails each further one with ERROR_BATCH_LENGTH_EXCEEDED, HTTP 200", async () => {
    const cmd = Object.fromEntries(
      Array.from({ length: 53 }, (_, i) => [`m${i}`, `imbot.v2.Chat.Message.send?${BOT}&dialogId=chat5&fields[message]=n${i}`]),
    );
    const before = botMessages(5).length;
    const out = await batch(cmd);
    expect(Object.keys(out.result)).toHaveLength(50);
    expect(Object.keys(out.result_time)).toHaveLength(50);
    expect(out.result_error).toEqual({
      m50: { error: "ERROR_BATCH_LENGTH_EXCEEDED", error_description: expect.any(String) },
      m51: { error: "ERROR_BATCH_LENGTH_EXCEEDED", error_description: expect.any(String) },
      m52: { error: "ERROR_BATCH_LENGTH_EXCEEDED", error_description: expect.any(String) },
    });
    expect(botMessages(5)).toHaveLength(before + 50);
    expect(botMessages(5).at(-1)).toMatchObject({ text: "n49" });
  });

  it("keeps a list of 50 successes a list and keys the extra errors by index", async () => {
    const out = await batch(Array.from({ length: 52 }, () => "imbot.v2.Revision.get"));
    expect(out.result).toHaveLength(50);
    expect(out.result_error).toEqual({
      50: { error: "ERROR_BATCH_LENGTH_EXCEEDED", error_description: expect.any(String) },
      51: { error: "ERROR_BATCH_LENGTH_EXCEEDED", error_description: expect.any(String) },
    });
  });

  it("with halt, reports only the first command over the limit", async () => {
    const out = await batch(Array.from({ length: 52 }, () => "imbot.v2.Revision.get"), { halt: true });
    expect(out.result).toHaveLength(50);
    expect(Object.keys(out.result_error)).toEqual(["50"]);
  });
});

describe("commands a batch refuses one by one (HTTP 200 all the same)", () => {
  it("refuses a nested batch with ERROR_BATCH_METHOD_NOT_ALLOWED and runs nothing inside it", async () => {
    const before = botMessages(5).length;
    const inner = encodeURIComponent(`imbot.v2.Chat.Message.send?${BOT}&dialogId=chat5&fields[message]=nested`);
    const out = await batch({ inner: `batch?cmd[a]=${inner}`, upper: "BATCH", ok: "imbot.v2.Revision.get" });
    expect(out.result).toEqual({ ok: REVISION });
    expect(out.result_error).toEqual({
      inner: { error: "ERROR_BATCH_METHOD_NOT_ALLOWED", error_description: "Method is not allowed for batch usage" },
      upper: { error: "ERROR_BATCH_METHOD_NOT_ALLOWED", error_description: "Method is not allowed for batch usage" },
    });
    expect(botMessages(5)).toHaveLength(before);
  });

  it("reports each command's own error code and description", async () => {
    const out = await batch({
      unknown: "imbot.v2.Nothing.here?x=1",
      noToken: "imbot.v2.Event.get?botId=456",
      noBot: "imbot.v2.Event.get?botToken=my_bot_token",
      missing: "imbot.v2.Event.get?botId=999&botToken=my_bot_token",
      foreign: "imbot.v2.Event.get?botId=457&botToken=my_bot_token",
      noCommand: `imbot.v2.Command.answer?${BOT}&commandId=99&messageId=789&dialogId=chat5&fields[message]=x`,
      notText: 42,
    });
    expect(out.result).toEqual([]);
    expect(out.result_error).toEqual({
      unknown: { error: "ERROR_METHOD_NOT_FOUND", error_description: 'Method not found! (b24-emulator: no method "imbot.v2.Nothing.here")' },
      noToken: { error: "BOT_TOKEN_NOT_SPECIFIED", error_description: expect.any(String) },
      noBot: { error: "BOT_ID_REQUIRED", error_description: expect.any(String) },
      missing: { error: "BOT_NOT_FOUND", error_description: expect.any(String) },
      foreign: { error: "BOT_OWNERSHIP_ERROR", error_description: expect.any(String) },
      noCommand: { error: "COMMAND_NOT_FOUND", error_description: expect.any(String) },
      notText: { error: "ERROR_ARGUMENT", error_description: expect.any(String) },
    });
    expect(Object.keys(out.result_time)).toEqual(["unknown", "noToken", "noBot", "missing", "foreign", "noCommand"]);
  });

  it("checks each command's scope: a webhook without imbot gets insufficient_scope per command", async () => {
    const out = await batch({ rev: "imbot.v2.Revision.get" }, {}, "/rest/2/im-only/batch");
    expect(out.result_error).toEqual({ rev: { error: "insufficient_scope", error_description: expect.any(String) } });
  });

  it("reports ERROR_METHOD_NOT_FOUND for Revision.get on a portal older than revision 33", async () => {
    app = createEmulator({ fixture: testFixture(), restRevision: 32 });
    client = restClient(app);
    const out = await batch({ rev: "imbot.v2.Revision.get" });
    expect(out.result_error).toEqual({ rev: { error: "ERROR_METHOD_NOT_FOUND", error_description: "Method not found!" } });
  });

  it("changes nothing when every command is refused", async () => {
    const before = snapshot(app);
    await batch({ a: "imbot.v2.Event.get?botId=457&botToken=my_bot_token&offset=1000", b: "batch" });
    expect(snapshot(app)).toBe(before);
  });
});

describe("refusals of the batch itself", () => {
  it("NO_AUTH_FOUND (401) for a wrong webhook or a missing token, expired_token (401) for an old one", async () => {
    const before = snapshot(app);
    for (const [url, params, code] of [
      ["/rest/1/wrong-code/batch", { cmd: { a: "imbot.v2.Revision.get" } }, "NO_AUTH_FOUND"],
      [OAUTH, { cmd: { a: "imbot.v2.Revision.get" } }, "NO_AUTH_FOUND"],
      [OAUTH, { auth: "stale-token", cmd: { a: "imbot.v2.Revision.get" } }, "expired_token"],
    ] as const) {
      const reply = await client.post(url, params);
      expect(reply.status).toBe(401);
      expect(reply.body.error).toBe(code);
    }
    expect(snapshot(app)).toBe(before);
  });

  it("INVALID_REQUEST_BODY (400) for a body that is not JSON", async () => {
    const reply = await client.raw(WEBHOOK, "{not json", "application/json");
    expect(reply.status).toBe(400);
    expect(reply.body.error).toBe("INVALID_REQUEST_BODY");
  });
});
