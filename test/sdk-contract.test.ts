import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../src/index.js";
import type { Message } from "../src/store/state.js";
import { expectMatchesOpenApi } from "./support/openapi.js";

/**
 * The official JS SDK (@bitrix24/b24jssdk) against a listening emulator over https, trusting the
 * generated certificate through NODE_EXTRA_CA_CERTS exactly as the README tells users to. Each call
 * runs in its own Node process (test/support/sdk-call.mjs), since Node reads that variable only at
 * start. What is asserted is what a user of the SDK sees: the result, or the AjaxError's code/status.
 */

const SCRIPT = fileURLToPath(new URL("./support/sdk-call.mjs", import.meta.url));
const ANSWER = "imbot.v2.Command.answer";

type SdkOutcome =
  | { ok: true; status: number; result: unknown; time: Record<string, unknown> }
  | { ok: false; code: string; status: number; description: string };

let emulator: RunningEmulator;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "b24-emulator-sdk-"));
  emulator = await startEmulator({ https: true, http: false, dataDir });
});

afterAll(async () => {
  await emulator?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/**
 * One `b24.actions.v2.call.make({method, params})` in a child process; resolves to its JSON line,
 * after checking the response it describes against openapi.yaml.
 */
async function sdkCall(method: string, params: Record<string, unknown>, webhookUrl = emulator.webhookUrl, maxRetries = 1): Promise<SdkOutcome> {
  const outcome = await runSdkScript(method, params, webhookUrl, maxRetries);
  checkContract(method, webhookUrl, outcome);
  return outcome;
}

function runSdkScript(method: string, params: Record<string, unknown>, webhookUrl: string, maxRetries: number): Promise<SdkOutcome> {
  if (!emulator.certPath) throw new Error("the emulator reported no certificate for https");
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_EXTRA_CA_CERTS: emulator.certPath, NO_PROXY: "127.0.0.1,localhost", no_proxy: "127.0.0.1,localhost" };
  delete env.NODE_TLS_REJECT_UNAUTHORIZED;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SCRIPT, webhookUrl], { env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      const line = stdout.trim().split("\n").at(-1) ?? "";
      if (code !== 0 || !line.startsWith("{")) {
        reject(new Error(`sdk-call.mjs exited ${code}\nstdout: ${stdout}\nstderr: ${stderr}`));
        return;
      }
      try {
        resolve(JSON.parse(line) as SdkOutcome);
      } catch (error) {
        reject(error as Error);
      }
    });
    child.stdin.end(JSON.stringify({ method, params, maxRetries }));
  });
}

/** The wire response the SDK saw, rebuilt from what it reports, checked against openapi.yaml. */
function checkContract(method: string, webhookUrl: string, outcome: SdkOutcome): void {
  const url = `${new URL(webhookUrl).pathname}${encodeURIComponent(method)}`;
  const body = outcome.ok
    ? { result: outcome.result, time: outcome.time }
    : { error: outcome.code, error_description: outcome.description };
  expectMatchesOpenApi({ method: "POST", url }, { status: outcome.status, body, contentType: "application/json; charset=utf-8" });
}

function messages(): Message[] {
  const portal = emulator.app.store.state.portals.default;
  if (!portal) throw new Error("no default portal");
  return Object.values(portal.messages);
}

function answersWith(text: string): Message[] {
  return messages().filter((m) => m.chatId === 5 && m.authorId === 456 && m.text === text);
}

/** The doc's example, with a message of the caller's choosing. */
function docExample(message: string): Record<string, unknown> {
  return { botId: 456, botToken: "my_bot_token", commandId: 42, messageId: 789, dialogId: "chat5", fields: { message } };
}

const unique = (label: string) => `${label} ${randomUUID()}`;

describe("official JS SDK over https (NODE_EXTRA_CA_CERTS)", () => {
  it("serves https only, with the certificate under dataDir/tls", () => {
    expect(emulator.httpUrl).toBeNull();
    expect(emulator.httpsUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(emulator.webhookUrl).toBe(`${emulator.httpsUrl}/rest/1/emulator/`);
    expect(emulator.certPath).toBe(join(dataDir, "tls", "emulator-cert.pem"));
  });

  it("runs the doc's example: result {result: true}, a time block, and the answer is stored", async () => {
    const text = unique("Here is the help text...");
    const outcome = await sdkCall(ANSWER, docExample(text));

    expect(outcome).toMatchObject({ ok: true, status: 200, result: { result: true } });
    if (!outcome.ok) throw new Error("unreachable");
    expect(Object.keys(outcome.time).sort()).toEqual(["date_finish", "date_start", "duration", "finish", "processing", "start"]);
    for (const key of ["start", "finish", "duration", "processing"]) expect(typeof outcome.time[key]).toBe("number");
    expect(outcome.time.date_start).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
    expect(outcome.time.date_finish).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
    // The SDK keeps to the documented contract: the conformance check finds nothing in its call.
    expect(emulator.portal().journal().at(-1)).toMatchObject({ method: ANSWER, status: 200 });
    expect(emulator.portal().journal().at(-1)?.conformance).toBeUndefined();

    const stored = answersWith(text);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ chatId: 5, authorId: 456, text, isSystem: false });
  });

  it("retries an injected QUERY_LIMIT_EXCEEDED and succeeds once the fault is used up", async () => {
    const portal = emulator.portal();
    const rule = portal.addFault({ method: ANSWER, error: "QUERY_LIMIT_EXCEEDED", status: 503, times: 2 });
    const text = unique("answered after two refusals");
    try {
      const outcome = await sdkCall(ANSWER, docExample(text), emulator.webhookUrl, 3);

      expect(outcome).toMatchObject({ ok: true, status: 200, result: { result: true } });
      expect(answersWith(text)).toHaveLength(1);
      const attempts = portal.journal().filter((c) => c.params.fields && JSON.stringify(c.params.fields).includes(text));
      expect(attempts.map((c) => [c.status, c.fault])).toEqual([
        [503, rule.id],
        [503, rule.id],
        [200, undefined],
      ]);
    } finally {
      portal.clearFaults();
    }
  });

  it("accepts the method name in lower case, as SDKs send it", async () => {
    const text = unique("lower case");
    const outcome = await sdkCall(ANSWER.toLowerCase(), docExample(text));
    expect(outcome).toMatchObject({ ok: true, status: 200, result: { result: true } });
    expect(answersWith(text)).toHaveLength(1);
  });

  describe("errors surface as AjaxError code + HTTP status, and store nothing", () => {
    const cases: { name: string; method?: string; params: (text: string) => Record<string, unknown>; hook?: "wrong"; code: string; status: number }[] = [
      { name: "wrong botToken", params: (t) => ({ ...docExample(t), botToken: "not_my_bot_token" }), code: "BOT_OWNERSHIP_ERROR", status: 400 },
      {
        name: "missing botToken",
        params: (t) => {
          const { botToken: _omitted, ...rest } = docExample(t);
          return rest;
        },
        code: "BOT_TOKEN_NOT_SPECIFIED",
        status: 400,
      },
      { name: "unknown bot 999", params: (t) => ({ ...docExample(t), botId: 999 }), code: "BOT_NOT_FOUND", status: 400 },
      { name: "wrong webhook code", params: docExample, hook: "wrong", code: "NO_AUTH_FOUND", status: 401 },
      { name: "unknown method", method: "imbot.v2.Command.nope", params: docExample, code: "ERROR_METHOD_NOT_FOUND", status: 404 },
    ];

    for (const c of cases) {
      it(`${c.name} -> ${c.code} ${c.status}`, async () => {
        const text = unique(c.name);
        const before = messages().length;
        const hook = c.hook === "wrong" ? emulator.webhookUrl.replace("/rest/1/emulator/", "/rest/1/not-the-code/") : undefined;
        const outcome = await sdkCall(c.method ?? ANSWER, c.params(text), hook);

        expect(outcome).toMatchObject({ ok: false, code: c.code, status: c.status });
        if (outcome.ok) throw new Error("unreachable");
        expect(outcome.description).not.toBe("");
        expect(messages()).toHaveLength(before);
        expect(answersWith(text)).toHaveLength(0);
      });
    }
  });

  describe("message length is counted in code points (20,000)", () => {
    const EMOJI = "\u{1F600}";

    /** A unique ASCII tag padded with emoji to exactly `codePoints` code points. */
    function textOf(codePoints: number): string {
      const tag = randomUUID().slice(0, 8);
      return tag + EMOJI.repeat(codePoints - tag.length);
    }

    it("20,001 code points -> COMMAND_ANSWER_FAILED 400, nothing stored", async () => {
      const text = textOf(20_001);
      expect([...text]).toHaveLength(20_001);
      const before = messages().length;

      const outcome = await sdkCall(ANSWER, docExample(text));

      expect(outcome).toMatchObject({ ok: false, code: "COMMAND_ANSWER_FAILED", status: 400 });
      expect(messages()).toHaveLength(before);
      expect(messages().filter((m) => m.text.startsWith(text.slice(0, 8)))).toHaveLength(0);
    });

    it("20,000 code points (40,000 UTF-16 units) succeeds and is stored whole", async () => {
      const text = textOf(20_000);
      expect(text.length).toBeGreaterThan(39_000);

      const outcome = await sdkCall(ANSWER, docExample(text));

      expect(outcome).toMatchObject({ ok: true, status: 200, result: { result: true } });
      const stored = answersWith(text);
      expect(stored).toHaveLength(1);
      expect([...(stored[0]?.text ?? "")]).toHaveLength(20_000);
    });
  });
});
