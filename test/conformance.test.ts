import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type JournalEntry, type PortalInfo, type RunningEmulator } from "../src/index.js";
import { runCli } from "./support/cli-process.js";
import { docAnswerParams } from "./support/fixtures.js";
import { httpClient } from "./support/http-client.js";

/**
 * The conformance report (issue 12 item 6), through listening emulators: calls a portal lets pass
 * but the documented contract does not are reported on their journal entry and counted per rule at
 * /conformance; with `strict` they are refused with CONFORMANCE_VIOLATION naming the rule.
 */

let lenient: RunningEmulator;
let strict: RunningEmulator;
beforeAll(async () => {
  [lenient, strict] = await Promise.all([startEmulator(), startEmulator({ strict: true })]);
});
afterAll(async () => {
  await Promise.all([lenient.close(), strict.close()]);
});

const hook = (portal: PortalInfo) => new URL(portal.webhookUrl as string).pathname;

async function lastCall(emulator: RunningEmulator, portal: PortalInfo): Promise<JournalEntry> {
  const calls = (await httpClient(emulator.httpUrl as string).call("GET", `/_emulator/portals/${portal.id}/journal`)).body.calls as JournalEntry[];
  return calls.at(-1) as JournalEntry;
}

const rulesOf = (entry: JournalEntry) => (entry.conformance ?? []).map((f) => [f.rule, f.param]);

describe("conformance findings on the journal entry", () => {
  const http = () => httpClient(lenient.httpUrl as string);

  it("a call that keeps to the contract has none", async () => {
    const portal = await lenient.createPortal();
    expect((await http().call("POST", `${hook(portal)}imbot.v2.Command.answer`, docAnswerParams("fine"))).status).toBe(200);
    expect((await lastCall(lenient, portal)).conformance).toBeUndefined();
    expect((await http().call("GET", `/_emulator/portals/${portal.id}/conformance`)).body).toEqual({ calls: 1, rules: [] });
  });

  it("reports JSON values a portal coerces: a string for an integer, text for a boolean, a number for a string", async () => {
    const portal = await lenient.createPortal();
    const params = { ...docAnswerParams("x"), botId: "456", fields: { message: 42, system: "Y" } };
    expect((await http().call("POST", `${hook(portal)}imbot.v2.Command.answer`, params)).status).toBe(200);
    expect(rulesOf(await lastCall(lenient, portal))).toEqual([
      ["integer-as-string", "botId"],
      ["number-for-string", "fields.message"],
      ["boolean-as-text", "fields.system"],
    ]);
  });

  it("names a secret sent the wrong way without showing it", async () => {
    const portal = await lenient.createPortal();
    await http().call("POST", `${hook(portal)}imbot.v2.Command.answer`, { ...docAnswerParams("x"), botToken: 987654 });
    const [finding] = (await lastCall(lenient, portal)).conformance ?? [];
    expect(finding).toMatchObject({ rule: "number-for-string", param: "botToken" });
    expect(finding?.detail).not.toContain("987654");
  });

  it("does not hold form encoding against a client: every form value is text", async () => {
    const portal = await lenient.createPortal();
    const form = { botId: "456", botToken: "my_bot_token", commandId: "42", messageId: "789", dialogId: "chat5", "fields[message]": "hi", "fields[system]": "N" };
    expect((await http().form(`${hook(portal)}imbot.v2.Command.answer`, form)).status).toBe(200);
    expect((await lastCall(lenient, portal)).conformance).toBeUndefined();
  });

  it("reports unknown parameters, upper-case aliases and method parameters in the query of a POST", async () => {
    const portal = await lenient.createPortal();
    const { botId: _botId, ...rest } = docAnswerParams("x");
    const params = { ...rest, BOT_ID: 456, colour: "red", fields: { message: "x", colour: "red" } };
    await http().call("POST", `${hook(portal)}imbot.v2.Command.answer?botId=456`, params);
    expect(rulesOf(await lastCall(lenient, portal)).sort()).toEqual([
      ["query-param-in-post", "botId"],
      ["unknown-param", "colour"],
      ["unknown-param", "fields.colour"],
      ["upper-case-alias", "BOT_ID"],
    ]);
  });

  it("reports the legacy flat Command.register, which still works", async () => {
    const portal = await lenient.createPortal();
    const reply = await http().call("POST", `${hook(portal)}imbot.v2.Command.register`, {
      botId: 456,
      botToken: "my_bot_token",
      command: "flat",
      title: { en: "Flat" },
    });
    expect(reply.status).toBe(200);
    expect(rulesOf(await lastCall(lenient, portal))).toEqual([
      ["deprecated-flat-command-register", "command"],
      ["deprecated-flat-command-register", "title"],
    ]);
  });

  it("counts findings per rule with the first examples at /conformance", async () => {
    const portal = await lenient.createPortal();
    for (const botId of ["456", "456", 456]) {
      await http().call("POST", `${hook(portal)}imbot.v2.Command.answer`, { ...docAnswerParams("x"), botId });
    }
    const calls = (await http().call("GET", `/_emulator/portals/${portal.id}/journal`)).body.calls as JournalEntry[];
    const report = await http().call("GET", `/_emulator/portals/${portal.id}/conformance`);
    expect(report.body).toEqual({
      calls: 3,
      rules: [
        {
          rule: "integer-as-string",
          count: 2,
          examples: [0, 1].map((i) => ({
            callId: calls[i]?.id,
            method: "imbot.v2.Command.answer",
            param: "botId",
            detail: 'botId is an integer; "456" is text a portal converts',
          })),
        },
      ],
    });
    expect(portal.control.conformance()).toEqual(report.body);
  });
});

describe("findings stay within their bounds", () => {
  const http = () => httpClient(lenient.httpUrl as string);

  it("cuts a huge wrong-typed value and a huge unknown name to 300 characters, saying how long they were", async () => {
    const portal = await lenient.createPortal();
    const long = "4".repeat(200_000);
    const name = `x${"y".repeat(100_000)}`;
    await http().call("POST", `${hook(portal)}imbot.v2.Command.answer`, { ...docAnswerParams("x"), botId: long, [name]: 1 });
    const findings = (await lastCall(lenient, portal)).conformance ?? [];
    expect(findings.map((f) => f.rule).sort()).toEqual(["integer-as-string", "unknown-param"]);
    for (const f of findings) {
      expect(f.param.length + f.detail.length).toBeLessThan(1_000);
    }
    expect(findings.find((f) => f.rule === "integer-as-string")?.detail).toMatch(/… \(200\d{3} characters\)$/);
    expect(findings.find((f) => f.rule === "unknown-param")?.param).toMatch(/^xyyy.*… \(100001 characters\)$/);
    const report = await http().call("GET", `/_emulator/portals/${portal.id}/conformance`);
    expect(JSON.stringify(report.body).length).toBeLessThan(3_000);
  });

  it("keeps the first 50 findings on the entry and counts them all in the report", async () => {
    const portal = await lenient.createPortal();
    const extras = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`extra${i}`, i]));
    expect((await http().call("POST", `${hook(portal)}imbot.v2.Command.answer`, { ...docAnswerParams("x"), ...extras })).status).toBe(200);
    const findings = (await lastCall(lenient, portal)).conformance ?? [];
    expect(findings).toHaveLength(50);
    expect(findings[0]).toMatchObject({ rule: "unknown-param", param: "extra0" });
    const report = await http().call("GET", `/_emulator/portals/${portal.id}/conformance`);
    expect(report.body).toMatchObject({ calls: 1, rules: [{ rule: "unknown-param", count: 300 }] });
  });

  it("under --strict the refusal's description is as short", async () => {
    const portal = await strict.createPortal();
    const reply = await httpClient(strict.httpUrl as string).call("POST", `${hook(portal)}imbot.v2.Command.answer`, { ...docAnswerParams("x"), botId: "4".repeat(200_000) });
    expect(reply.status).toBe(400);
    expect(reply.body.error).toBe("CONFORMANCE_VIOLATION");
    expect(String(reply.body.error_description).length).toBeLessThan(500);
  });
});

describe("--strict refuses what the report flags", () => {
  const http = () => httpClient(strict.httpUrl as string);

  it("refuses a coerced value with CONFORMANCE_VIOLATION naming the rule, and stores nothing", async () => {
    const portal = await strict.createPortal();
    const before = JSON.stringify(strict.app.store.state.portals[portal.id]);
    const reply = await http().call("POST", `${hook(portal)}imbot.v2.Command.answer`, { ...docAnswerParams("x"), botId: "456" });
    expect(reply.status).toBe(400);
    expect(reply.body.error).toBe("CONFORMANCE_VIOLATION");
    expect(reply.body.error_description).toMatch(/^integer-as-string: botId is an integer/);
    expect(JSON.stringify(strict.app.store.state.portals[portal.id])).toBe(before);
    expect(await lastCall(strict, portal)).toMatchObject({ status: 400, error: "CONFORMANCE_VIOLATION", conformance: [{ rule: "integer-as-string" }] });
  });

  it("refuses the legacy flat Command.register and an unknown parameter", async () => {
    const portal = await strict.createPortal();
    const flat = await http().call("POST", `${hook(portal)}imbot.v2.Command.register`, { botId: 456, botToken: "my_bot_token", command: "flat" });
    expect(flat.body.error_description).toMatch(/^deprecated-flat-command-register:/);
    const unknown = await http().call("POST", `${hook(portal)}imbot.v2.Command.answer`, { ...docAnswerParams("x"), extra: 1 });
    expect(unknown.body.error_description).toMatch(/^unknown-param:/);
  });

  it("answers a conformant call as usual", async () => {
    const portal = await strict.createPortal();
    expect((await http().call("POST", `${hook(portal)}imbot.v2.Command.answer`, docAnswerParams("fine"))).status).toBe(200);
  });
});

describe("batch sub-calls are checked like top-level calls", () => {
  const asBot = "botId=456&botToken=my_bot_token";
  const cmd = {
    odd: `imbot.v2.Bot.get?${asBot}&colour=red`,
    flat: `imbot.v2.Command.register?${asBot}&command=flatbatch&title[en]=Flat`,
    fine: `imbot.v2.Command.list?${asBot}`,
  };

  it("attaches each sub-call's findings to the batch's journal entry, with the sub-call key", async () => {
    const portal = await lenient.createPortal();
    const http = httpClient(lenient.httpUrl as string);
    const reply = await http.call("POST", `${hook(portal)}batch`, { cmd });
    expect(reply.status).toBe(200);
    expect(reply.body.result).toMatchObject({ result_error: [] });
    const entry = await lastCall(lenient, portal);
    expect(entry.method).toBe("batch");
    expect((entry.conformance ?? []).map((f) => [f.batchKey, f.rule, f.param])).toEqual([
      ["odd", "unknown-param", "colour"],
      ["flat", "deprecated-flat-command-register", "command"],
      ["flat", "deprecated-flat-command-register", "title"],
    ]);
    expect(entry.conformance?.[0]?.detail).toMatch(/^cmd\[odd\] imbot\.v2\.Bot\.get: /);
    const report = (await http.call("GET", `/_emulator/portals/${portal.id}/conformance`)).body;
    expect(report.rules).toEqual([
      expect.objectContaining({ rule: "unknown-param", count: 1 }),
      expect.objectContaining({ rule: "deprecated-flat-command-register", count: 2 }),
    ]);
  });

  it("under --strict refuses only the deviating sub-calls, with CONFORMANCE_VIOLATION naming the rule", async () => {
    const portal = await strict.createPortal();
    const http = httpClient(strict.httpUrl as string);
    const reply = await http.call("POST", `${hook(portal)}batch`, { cmd });
    expect(reply.status).toBe(200);
    const { result, result_error } = reply.body.result as { result: Record<string, unknown>; result_error: Record<string, { error: string; error_description: string }> };
    expect(Object.keys(result)).toEqual(["fine"]);
    expect(result_error.odd).toMatchObject({ error: "CONFORMANCE_VIOLATION", error_description: expect.stringContaining("unknown-param: cmd[odd]") });
    expect(result_error.flat).toMatchObject({ error: "CONFORMANCE_VIOLATION", error_description: expect.stringContaining("deprecated-flat-command-register") });
    const commands = (await http.call("POST", `${hook(portal)}imbot.v2.Command.list`, { botId: 456, botToken: "my_bot_token" })).body.result as { commands: { command: string }[] };
    expect(commands.commands.map((c) => c.command)).not.toContain("flatbatch");
  });
});

/* Every category probed with a real request each, and the one pair of switches that cannot hold together. */

const lastFindings = async (emulator: RunningEmulator, portal: PortalInfo) => rulesOf(await lastCall(emulator, portal));

describe("the report names each kind of deviation a portal lets pass", () => {
  const http = () => httpClient(lenient.httpUrl as string);

  it("clientId and CLIENT_ID, older names of botToken, are deprecated aliases, not unknown parameters", async () => {
    const portal = await lenient.createPortal();
    for (const alias of ["clientId", "CLIENT_ID"]) {
      const reply = await http().call("POST", `${hook(portal)}imbot.v2.Bot.get`, { botId: 456, [alias]: "my_bot_token" });
      expect(reply.status).toBe(200);
      expect(await lastFindings(lenient, portal)).toEqual([["deprecated-alias", alias]]);
    }
    const refused = await httpClient(strict.httpUrl as string).call("POST", `${hook(await strict.createPortal())}imbot.v2.Bot.get`, { botId: 456, clientId: "my_bot_token" });
    expect(refused).toMatchObject({ status: 400, body: { error: "CONFORMANCE_VIOLATION" } });
    expect(refused.body.error_description).toContain("deprecated-alias");
  });

  it("a JSON boolean for an integer or a string parameter is a coerced value", async () => {
    const portal = await lenient.createPortal();
    expect((await http().call("POST", `${hook(portal)}imbot.v2.Bot.list`, { botToken: "my_bot_token", limit: true })).status).toBe(200);
    expect(await lastFindings(lenient, portal)).toEqual([["boolean-for-integer", "limit"]]);
    const sent = await http().call("POST", `${hook(portal)}imbot.v2.Chat.Message.send`, { botId: 456, botToken: "my_bot_token", dialogId: "chat5", fields: { message: "hi", templateId: true } });
    expect(sent.status).toBe(200);
    expect(await lastFindings(lenient, portal)).toEqual([["boolean-for-string", "fields.templateId"]]);
  });

  it("checks the parameters a method binds itself: Event.get's offset and limit, messageId, dialogId, Chat.update's fields", async () => {
    const portal = await lenient.createPortal();
    const asBot = { botId: 456, botToken: "my_bot_token" };
    const polled = await http().call("POST", `${hook(portal)}imbot.v2.Event.get`, { ...asBot, offset: "1", limit: true });
    expect(polled.status).toBe(200);
    expect(await lastFindings(lenient, portal)).toEqual([["integer-as-string", "offset"], ["boolean-for-integer", "limit"]]);
    const read = await http().call("POST", `${hook(portal)}imbot.v2.Chat.Message.read`, { ...asBot, dialogId: 5, messageId: "789" });
    // dialogId 5 is the 1:1 dialog with user 5, which the bot has not got
    expect([read.status, read.body.error]).toEqual([400, "CHAT_NOT_FOUND"]);
    expect(await lastFindings(lenient, portal)).toEqual([["number-for-string", "dialogId"], ["integer-as-string", "messageId"]]);
    const updated = await http().call("POST", `${hook(portal)}imbot.v2.Chat.update`, { ...asBot, dialogId: "chat5", fields: { title: "Renamed", topic: "x" } });
    expect(updated.status).toBe(200);
    expect(await lastFindings(lenient, portal)).toEqual([["unknown-param", "fields.topic"]]);
    const refused = await httpClient(strict.httpUrl as string).call("POST", `${hook(await strict.createPortal())}imbot.v2.Event.get`, { ...asBot, limit: "50" });
    expect(refused).toMatchObject({ status: 400, body: { error: "CONFORMANCE_VIOLATION" } });
    expect(refused.body.error_description).toMatch(/^integer-as-string: limit is an integer/);
  });

  it("GET /conformance lists every category after one request of each", async () => {
    const portal = await lenient.createPortal();
    const at = (method: string, query = "") => `${hook(portal)}${method}${query}`;
    const answer = docAnswerParams("x");
    const probes: [string, Record<string, unknown>][] = [
      [at("imbot.v2.Command.answer"), { ...answer, colour: "red" }],
      [at("imbot.v2.Command.answer"), { ...answer, botId: "456" }],
      [at("imbot.v2.Command.answer"), { ...answer, fields: { message: "x", system: "Y" } }],
      [at("imbot.v2.Command.answer"), { ...answer, dialogId: 5 }],
      [at("imbot.v2.Bot.list"), { botToken: "my_bot_token", limit: true }],
      [at("imbot.v2.Chat.Message.send"), { botId: 456, botToken: "my_bot_token", dialogId: "chat5", fields: { message: "hi", templateId: false } }],
      [at("imbot.v2.Bot.get"), { BOT_ID: 456, botToken: "my_bot_token" }],
      [at("imbot.v2.Bot.get"), { botId: 456, clientId: "my_bot_token" }],
      [at("imbot.v2.Bot.get", "?botId=456"), { botToken: "my_bot_token" }],
      [at("imbot.v2.Command.register"), { botId: 456, botToken: "my_bot_token", command: "flat", title: { en: "Flat" } }],
    ];
    for (const [path, params] of probes) await http().call("POST", path, params);
    const report = (await http().call("GET", `/_emulator/portals/${portal.id}/conformance`)).body as { calls: number; rules: { rule: string }[] };
    expect(report.calls).toBe(probes.length);
    expect(report.rules.map((r) => r.rule).sort()).toEqual([
      "boolean-as-text",
      "boolean-for-integer",
      "boolean-for-string",
      "deprecated-alias",
      "deprecated-flat-command-register",
      "integer-as-string",
      "number-for-string",
      "query-param-in-post",
      "unknown-param",
      "upper-case-alias",
    ]);
  });
});

describe("--strict with --event-get-legacy is refused at start", () => {
  it("the CLI exits 2 with one line naming both", async () => {
    const dir = mkdtempSync(join(tmpdir(), "b24-strict-legacy-"));
    try {
      const { code, output } = await runCli(["--memory", "--port", "0", "--strict", "--event-get-legacy"], dir);
      expect(code).toBe(2);
      expect(output.trim().split("\n")).toHaveLength(1);
      expect(output).toContain("--strict (strict) and --event-get-legacy (eventGetLegacy) contradict each other");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the programmatic API throws before listening", async () => {
    await expect(startEmulator({ strict: true, eventGetLegacy: true })).rejects.toThrow(/contradict each other/);
  });
});
