import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../src/index.js";
import type { Message } from "../src/store/state.js";
import { expectMatchesOpenApi } from "./support/openapi.js";

/**
 * The doc's curl examples for imbot.v2.Command.answer, run by the real curl binary against a
 * listening emulator, plus the curl shapes real clients produce (CRest form POST and GET, Bearer,
 * `?auth=`, multipart) and the transport errors. Every answer must be JSON with the right status.
 */

const CURL = "/usr/bin/curl";
const run = promisify(execFile);

let emulator: RunningEmulator;
let host: string;

beforeAll(async () => {
  emulator = await startEmulator();
  host = new URL(emulator.httpUrl ?? "").host;
});

afterAll(async () => {
  await emulator?.close();
});

interface CurlReply {
  status: number;
  contentType: string;
  body: Record<string, unknown>;
}

/**
 * Runs curl with the given arguments (no shell), appending only what is needed to read the
 * outcome: the status and content type after the body. The reply must be JSON, whatever happens.
 */
async function curl(args: string[], request: { method: string; url: string }): Promise<CurlReply> {
  const { stdout } = await run(CURL, ["-sS", "--max-time", "10", ...args, "-w", "\n%{http_code}\n%{content_type}"], {
    env: { ...process.env, NO_PROXY: "*", no_proxy: "*" },
    maxBuffer: 1024 * 1024,
  });
  const lines = stdout.split("\n");
  const contentType = lines.pop() ?? "";
  const status = Number(lines.pop());
  const text = lines.join("\n");
  expect(contentType, `content type of ${text}`).toMatch(/^application\/json\b/);
  expect(text, "an HTML page instead of JSON").not.toMatch(/^\s*</);
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new Error(`curl ${args.join(" ")}: not JSON (status ${status}): ${text}`);
  }
  expectMatchesOpenApi(request, { status, body, contentType });
  return { status, contentType, body };
}

/** The path (and query) of a URL as the request line carries it, for the OpenAPI check. */
function target(url: string): string {
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}`;
}

function answers(text: string, app = emulator.app): Message[] {
  const portal = app.store.state.portals.default;
  if (!portal) throw new Error("no default portal");
  return Object.values(portal.messages).filter((m) => m.chatId === 5 && m.authorId === 456 && m.text === text);
}

function allMessages(app = emulator.app): number {
  return Object.keys(app.store.state.portals.default?.messages ?? {}).length;
}

function expectSuccess(reply: CurlReply): void {
  expect(reply.status).toBe(200);
  expect(reply.contentType).toMatch(/^application\/json/);
  expect(reply.body.result).toEqual({ result: true });
  expect(Object.keys(reply.body).sort()).toEqual(["result", "time"]);
  const time = reply.body.time as Record<string, unknown>;
  expect(Object.keys(time).sort()).toEqual(["date_finish", "date_start", "duration", "finish", "processing", "start"]);
  for (const key of ["start", "finish", "duration", "processing"]) expect(typeof time[key]).toBe("number");
}

function expectError(reply: CurlReply, status: number, code: string): void {
  expect(reply.status).toBe(status);
  expect(reply.body.error).toBe(code);
  expect(typeof reply.body.error_description).toBe("string");
  expect(reply.body).not.toHaveProperty("result");
}

const DOC_TEXT = "Here is the help text...";

describe("the doc's curl examples, verbatim but for the host", () => {
  const webhookExample = () => {
    const url = `http://${host}/rest/1/emulator/imbot.v2.Command.answer`;
    return {
      url,
      args: [
        "-X", "POST",
        "-H", "Content-Type: application/json",
        "-H", "Accept: application/json",
        "-d", '{"botId":456,"botToken":"my_bot_token","commandId":42,"messageId":789,"dialogId":"chat5","fields":{"message":"Here is the help text..."}}',
        url,
      ],
    };
  };
  const oauthExample = () => {
    const url = `http://${host}/rest/imbot.v2.Command.answer`;
    return {
      url,
      args: [
        "-X", "POST",
        "-H", "Content-Type: application/json",
        "-H", "Accept: application/json",
        "-d", '{"botId":456,"commandId":42,"messageId":789,"dialogId":"chat5","fields":{"message":"Here is the help text..."},"auth":"emulator-token"}',
        url,
      ],
    };
  };

  for (const [name, example] of [["webhook", webhookExample], ["OAuth", oauthExample]] as const) {
    for (const attempt of [1, 2, 3]) {
      it(`${name} example, run ${attempt} of 3: 200 {result: {result: true}, time} and one more stored answer`, async () => {
        const { url, args } = example();
        const before = answers(DOC_TEXT).length;
        const reply = await curl(args, { method: "POST", url: target(url) });
        expectSuccess(reply);
        expect(answers(DOC_TEXT)).toHaveLength(before + 1);
      });
    }
  }
});

describe("curl shapes real clients send", () => {
  const CREST_BODY = "botId=456&botToken=my_bot_token&commandId=42&messageId=789&dialogId=chat5&fields%5Bmessage%5D=Hi";

  async function expectAnswered(text: string, send: () => Promise<CurlReply>): Promise<void> {
    const before = answers(text).length;
    expectSuccess(await send());
    expect(answers(text)).toHaveLength(before + 1);
  }

  it("CRest: form POST (curl --data default content type) to the .json URL", async () => {
    const url = `http://${host}/rest/1/emulator/imbot.v2.Command.answer.json`;
    await expectAnswered("Hi", () => curl(["--data", CREST_BODY, url], { method: "POST", url: target(url) }));
  });

  it("older CRest: GET with the params in the query string, raw brackets (curl -g)", async () => {
    const url = `http://${host}/rest/1/emulator/imbot.v2.Command.answer.json?botId=456&botToken=my_bot_token&commandId=42&messageId=789&dialogId=chat5&fields[message]=Hi`;
    await expectAnswered("Hi", () => curl(["-g", url], { method: "GET", url: target(url) }));
  });

  it("OAuth with Authorization: Bearer", async () => {
    const url = `http://${host}/rest/imbot.v2.Command.answer`;
    const body = JSON.stringify({ botId: 456, commandId: 42, messageId: 789, dialogId: "chat5", fields: { message: "bearer answer" } });
    await expectAnswered("bearer answer", () =>
      curl(["-H", "Authorization: Bearer emulator-token", "-H", "Content-Type: application/json", "-d", body, url], { method: "POST", url: target(url) }),
    );
  });

  it("OAuth with auth in the query string", async () => {
    const url = `http://${host}/rest/imbot.v2.Command.answer?auth=emulator-token`;
    const body = JSON.stringify({ botId: 456, commandId: 42, messageId: 789, dialogId: "chat5", fields: { message: "query auth answer" } });
    await expectAnswered("query auth answer", () =>
      curl(["-H", "Content-Type: application/json", "-d", body, url], { method: "POST", url: target(url) }),
    );
  });

  it("multipart/form-data (curl -F)", async () => {
    const url = `http://${host}/rest/1/emulator/imbot.v2.Command.answer`;
    const fields = ["botId=456", "botToken=my_bot_token", "commandId=42", "messageId=789", "dialogId=chat5", "fields[message]=multipart answer"];
    await expectAnswered("multipart answer", () =>
      curl([...fields.flatMap((f) => ["-F", f]), url], { method: "POST", url: target(url) }),
    );
  });
});

describe("errors through curl are JSON with the documented status", () => {
  it("malformed JSON body -> 400 INVALID_REQUEST_BODY, nothing stored", async () => {
    const url = `http://${host}/rest/1/emulator/imbot.v2.Command.answer`;
    const before = allMessages();
    const reply = await curl(["-H", "Content-Type: application/json", "-d", '{"botId":456,"botToken":', url], { method: "POST", url: target(url) });
    expectError(reply, 400, "INVALID_REQUEST_BODY");
    expect(allMessages()).toBe(before);
  });

  it("unknown path /nope -> 404 NOT_FOUND", async () => {
    const url = `http://${host}/nope`;
    expectError(await curl([url], { method: "GET", url: target(url) }), 404, "NOT_FOUND");
    expectError(await curl(["-d", "x=1", url], { method: "POST", url: target(url) }), 404, "NOT_FOUND");
  });

  it("wrong webhook code -> 401 NO_AUTH_FOUND, nothing stored", async () => {
    const url = `http://${host}/rest/1/not-the-code/imbot.v2.Command.answer`;
    const before = allMessages();
    const reply = await curl(
      ["-H", "Content-Type: application/json", "-d", '{"botId":456,"botToken":"my_bot_token","commandId":42,"messageId":789,"dialogId":"chat5","fields":{"message":"no"}}', url],
      { method: "POST", url: target(url) },
    );
    expectError(reply, 401, "NO_AUTH_FOUND");
    expect(allMessages()).toBe(before);
  });

  describe("with bodyLimit 1024", () => {
    let small: RunningEmulator;
    beforeAll(async () => {
      small = await startEmulator({ bodyLimit: 1024 });
    });
    afterAll(async () => {
      await small?.close();
    });

    it("a 2 KB body -> 413 REQUEST_TOO_LARGE (curl sends Expect: 100-continue), nothing stored", async () => {
      const url = `${small.webhookUrl}imbot.v2.Command.answer`;
      const message = "x".repeat(2048);
      const body = JSON.stringify({ botId: 456, botToken: "my_bot_token", commandId: 42, messageId: 789, dialogId: "chat5", fields: { message } });
      expect(Buffer.byteLength(body)).toBeGreaterThan(2048);
      const before = allMessages(small.app);
      const reply = await curl(["-H", "Content-Type: application/json", "--data-binary", body, url], { method: "POST", url: target(url) });
      expectError(reply, 413, "REQUEST_TOO_LARGE");
      expect(allMessages(small.app)).toBe(before);
    });

    it("a body under the limit still works on that emulator", async () => {
      const url = `${small.webhookUrl}imbot.v2.Command.answer`;
      const before = answers("small", small.app).length;
      const reply = await curl(
        ["-H", "Content-Type: application/json", "-d", '{"botId":456,"botToken":"my_bot_token","commandId":42,"messageId":789,"dialogId":"chat5","fields":{"message":"small"}}', url],
        { method: "POST", url: target(url) },
      );
      expectSuccess(reply);
      expect(answers("small", small.app)).toHaveLength(before + 1);
    });
  });
});
