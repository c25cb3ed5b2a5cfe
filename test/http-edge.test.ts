import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../src/index.js";
import { expectMatchesOpenApi } from "./support/openapi.js";

let emulator: RunningEmulator;
let port: number;

beforeAll(async () => {
  emulator = await startEmulator();
  port = Number(new URL(emulator.httpUrl as string).port);
});
afterAll(() => emulator.close());

/** Sends bytes as they are, as a broken client would, and reads the whole answer. */
function rawExchange(bytes: string): Promise<{ status: number; headers: Record<string, string>; body: unknown; raw: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let raw = "";
    socket.on("data", (d: Buffer) => (raw += d.toString("latin1")));
    socket.on("error", reject);
    socket.on("close", () => {
      const [head = "", text = ""] = raw.split("\r\n\r\n");
      const [statusLine = "", ...lines] = head.split("\r\n");
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(":")).toLowerCase(), l.slice(l.indexOf(":") + 1).trim()]));
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // left as text: the assertions below say what was expected
      }
      resolve({ status: Number(statusLine.split(" ")[1]), headers, body, raw });
    });
    socket.end(bytes);
  });
}

describe("HTTP the parser cannot read is answered in JSON", () => {
  it.each([
    ["a malformed header line", "GET /_emulator/health HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header\r\n\r\n", 400, "MALFORMED_REQUEST"],
    [
      "a bad chunk size",
      "POST /rest/1/emulator/server.time HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
      400,
      "MALFORMED_REQUEST",
    ],
    ["a 20 KB header", `GET /_emulator/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`, 431, "HEADERS_TOO_LARGE"],
    [
      "oversized chunk extensions",
      `POST /rest/1/emulator/server.time HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n2;${"x".repeat(20_000)}\r\n{}\r\n0\r\n\r\n`,
      413,
      "REQUEST_TOO_LARGE",
    ],
  ])("%s", async (_what, bytes, status, code) => {
    const reply = await rawExchange(bytes);
    expect(reply.status).toBe(status);
    expect(reply.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(reply.body).toMatchObject({ error: code });
    expect(Number(reply.headers["content-length"])).toBe(Buffer.byteLength(JSON.stringify(reply.body)));
    expectMatchesOpenApi({ method: "GET", url: "/_emulator/health" }, { status: reply.status, body: reply.body, contentType: reply.headers["content-type"] });
  });

  it("keeps serving well-formed requests on other connections", async () => {
    const reply = await rawExchange("GET /_emulator/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    expect(reply.status).toBe(200);
  });
});
