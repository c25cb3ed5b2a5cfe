import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type PortalHandle, type RunningEmulator } from "../src/index.js";
import { testFixture } from "./support/fixtures.js";
import { httpClient } from "./support/http-client.js";
import { expectMatchesOpenApi } from "./support/openapi.js";

/**
 * A File.upload body may run to --upload-limit (160 MiB). When the credentials are in the URL (the
 * webhook's code, `auth` or `access_token` in the query) or in a Bearer header, a refusal is answered
 * before the body is read; credentials only in the body are checked after it, as before.
 */

let emulator: RunningEmulator;
let portal: PortalHandle;
let hook: string;
let client: ReturnType<typeof httpClient>;
beforeAll(async () => {
  emulator = await startEmulator();
  client = httpClient(emulator.httpUrl!);
  portal = await emulator.createPortal({ fixture: testFixture() });
  hook = new URL(portal.webhookUrl!).pathname;
});
afterAll(() => emulator.close());

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

/** A keep-alive connection read by hand: requests written as raw text, answers parsed as they come. */
function rawConnection() {
  const { hostname, port } = new URL(emulator.httpUrl!);
  const socket = connect(Number(port), hostname);
  let received = Buffer.alloc(0);
  let waiting: (() => void) | undefined;
  socket.on("data", (chunk: Buffer) => {
    received = Buffer.concat([received, chunk]);
    waiting?.();
  });
  return {
    write: (data: string | Buffer) => new Promise<void>((resolve, reject) => socket.write(data, (error) => (error ? reject(error) : resolve()))),
    /** The next whole answer (head and Content-Length bytes of JSON), checked against openapi.yaml. */
    answer: (path: string) =>
      new Promise<Answer>((resolve, reject) => {
        const attempt = () => {
          const headEnd = received.indexOf("\r\n\r\n");
          if (headEnd === -1) return;
          const [statusLine = "", ...lines] = received.subarray(0, headEnd).toString("latin1").split("\r\n");
          const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(":")).toLowerCase(), line.slice(line.indexOf(":") + 1).trim()]));
          const length = Number(headers["content-length"]);
          if (received.length < headEnd + 4 + length) return;
          const text = received.subarray(headEnd + 4, headEnd + 4 + length).toString("utf8");
          received = received.subarray(headEnd + 4 + length);
          waiting = undefined;
          const answer = { status: Number(statusLine.split(" ")[1]), headers, body: JSON.parse(text) as Record<string, unknown> };
          try {
            expectMatchesOpenApi({ method: "POST", url: path }, { ...answer, contentType: headers["content-type"] ?? "" });
            resolve(answer);
          } catch (error) {
            reject(error as Error);
          }
        };
        waiting = attempt;
        socket.once("error", reject);
        attempt();
      }),
    close: () => socket.destroy(),
  };
}

const UPLOAD_START = '{"botId":456,"botToken":"my_bot_token","dialogId":"chat5","fields":{"name":"a.bin","content":"';

/**
 * The answer to a POST that announces `declared` bytes of body and sends only its start: a server
 * that read the body first would never answer (the test would time out).
 */
async function answerBeforeBody(path: string, headers: Record<string, string> = {}, declared = 150_000_000): Promise<Answer> {
  const connection = rawConnection();
  try {
    const head = [`POST ${path} HTTP/1.1`, "Host: 127.0.0.1", "Content-Type: application/json", `Content-Length: ${declared}`];
    for (const [name, value] of Object.entries(headers)) head.push(`${name}: ${value}`);
    await connection.write(`${head.join("\r\n")}\r\n\r\n${UPLOAD_START}AAAA`);
    return await connection.answer(path);
  } finally {
    connection.close();
  }
}

/** The path of the portal's nth webhook of a user (the test fixture gives user 1 an expired second one, user 2 one without imbot). */
const webhookOf = (userId: number, nth = 0) => new URL(portal.webhooks.filter((w) => w.userId === userId)[nth]!.url).pathname;
const files = () => Object.keys(emulator.app.store.state.portals[portal.id]?.files ?? {}).length;

describe("File.upload refused on the URL's credentials before its body is read", () => {
  const wrongCredentials: [string, () => [string, Record<string, string>], number, string][] = [
    ["a wrong webhook code", () => [hook.replace(/\/[^/]+\/$/, "/wrong-code/") + "imbot.v2.File.upload", {}], 401, "NO_AUTH_FOUND"],
    ["the code of another user", () => [hook.replace(/^\/rest\/1\//, "/rest/2/") + "imbot.v2.File.upload.json", {}], 401, "NO_AUTH_FOUND"],
    ["an expired webhook", () => [`${webhookOf(1, 1)}imbot.v2.file.upload`, {}], 401, "NO_AUTH_FOUND"],
    ["a webhook without the imbot scope", () => [`${webhookOf(2)}imbot.v2.File.upload`, {}], 403, "insufficient_scope"],
    ["a wrong auth in the query", () => ["/rest/imbot.v2.File.upload?auth=wrong-token", {}], 401, "NO_AUTH_FOUND"],
    ["a wrong access_token in the query", () => ["/rest/imbot.v2.File.upload.json?access_token=wrong-token", {}], 401, "NO_AUTH_FOUND"],
    ["a wrong Bearer token", () => ["/rest/imbot.v2.File.upload", { Authorization: "Bearer wrong-token" }], 401, "NO_AUTH_FOUND"],
  ];
  it.each(wrongCredentials)("%s: the error the REST path gives, in JSON, before the body", async (_, request, status, code) => {
    const before = files();
    const [path, headers] = request();
    const answer = await answerBeforeBody(path, headers);
    expect([answer.status, answer.body.error]).toEqual([status, code]);
    expect(files()).toBe(before);
  });

  it("a client still sending gets the answer first, sends the rest, and goes on using the connection", async () => {
    const path = `${hook.replace(/\/[^/]+\/$/, "/wrong-code/")}imbot.v2.File.upload`;
    const rest = Buffer.from(`${"A".repeat(4 * 1024 * 1024)}"}}`);
    const start = Buffer.from(UPLOAD_START);
    const connection = rawConnection();
    try {
      const head = `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${start.length + rest.length}\r\n\r\n`;
      await connection.write(head + UPLOAD_START);
      const refused = await connection.answer(path);
      expect([refused.status, refused.body.error]).toEqual([401, "NO_AUTH_FOUND"]);
      await connection.write(rest);
      const next = `${hook}profile`;
      await connection.write(`POST ${next} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}`);
      const listed = await connection.answer(next);
      expect(listed.status, JSON.stringify(listed.body)).toBe(200);
    } finally {
      connection.close();
    }
  });

  it("a real client sending a whole big body to a wrong code gets the same error; the right code uploads it", async () => {
    const big = Buffer.alloc(4 * 1024 * 1024, 9);
    const params = { botId: 456, botToken: "my_bot_token", dialogId: "chat5", fields: { name: "big.bin", content: big.toString("base64") } };
    const before = files();
    const wrong = await client.call("POST", `${hook.replace(/\/[^/]+\/$/, "/wrong-code/")}imbot.v2.File.upload`, params);
    expect([wrong.status, wrong.body.error]).toEqual([401, "NO_AUTH_FOUND"]);
    expect(files()).toBe(before);

    const right = await client.call("POST", `${hook}imbot.v2.File.upload`, params);
    expect(right.status, JSON.stringify(right.body).slice(0, 300)).toBe(200);
    expect((right.body.result as { file: { size: number } }).file.size).toBe(big.length);
    expect(files()).toBe(before + 1);
  });

  it("credentials only in the body are checked once it is read, as for any call", async () => {
    const reply = await client.call("POST", "/rest/imbot.v2.File.upload", { auth: "wrong-token", botId: 456, botToken: "my_bot_token", dialogId: "chat5", fields: { name: "a.bin", content: "QUJD" } });
    expect([reply.status, reply.body.error]).toEqual([401, "NO_AUTH_FOUND"]);
  });
});
