import { createServer } from "node:net";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli, startCli } from "./support/cli-process.js";

const answer = (message: string) => ({
  botId: 456,
  botToken: "my_bot_token",
  commandId: 42,
  messageId: 789,
  dialogId: "chat5",
  fields: { message },
});

async function post(url: string, body: unknown) {
  const res = await fetch(`${url}/rest/1/emulator/imbot.v2.Command.answer`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "b24-cli-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("the CLI", () => {
  it("seeds a lowdb file on first start, keeps answers across restarts, and exits 0 on SIGTERM", async () => {
    const first = await startCli(["--port", "0"], dir);
    expect((await post(first.httpUrl, answer("persisted answer"))).status).toBe(200);
    expect(await first.stop()).toBe(0);

    const file = JSON.parse(await readFile(join(dir, ".emulator", "db.json"), "utf8")) as {
      portals: { default: { messages: Record<string, { text: string }> } };
    };
    expect(Object.values(file.portals.default.messages).map((m) => m.text)).toContain("persisted answer");

    const second = await startCli(["--port", "0"], dir);
    expect((await post(second.httpUrl, answer("second run"))).status).toBe(200);
    expect(await second.stop("SIGINT")).toBe(0);
    const texts = Object.values(
      (JSON.parse(await readFile(join(dir, ".emulator", "db.json"), "utf8")) as typeof file).portals.default.messages,
    ).map((m) => m.text);
    expect(texts).toEqual(expect.arrayContaining(["persisted answer", "second run"]));
  });

  it("--memory writes nothing", async () => {
    const cli = await startCli(["--port", "0", "--memory"], dir);
    expect((await post(cli.httpUrl, answer("ephemeral"))).status).toBe(200);
    await cli.stop();
    await expect(stat(join(dir, ".emulator", "db.json"))).rejects.toThrow();
  });

  it("--reset reseeds from the fixture and keeps the old file as a backup", async () => {
    const first = await startCli(["--port", "0"], dir);
    await post(first.httpUrl, answer("before reset"));
    await first.stop();
    const second = await startCli(["--port", "0", "--reset"], dir);
    await second.stop();
    const current = await readFile(join(dir, ".emulator", "db.json"), "utf8");
    expect(current).not.toContain("before reset");
    const backups = (await readdir(join(dir, ".emulator"))).filter((f) => f.endsWith(".bak"));
    expect(backups).toHaveLength(1);
    expect(await readFile(join(dir, ".emulator", backups[0]!), "utf8")).toContain("before reset");
  });

  it("stops on a bad fixture with the file and JSON path, and no stack trace", async () => {
    const fixture = join(dir, "bad.json");
    await writeFile(fixture, JSON.stringify({ bots: [{ id: "x", code: "c", name: "n", botToken: "t" }] }));
    const { code, output } = await runCli(["--port", "0", "--fixture", fixture], dir);
    expect(code).toBe(1);
    expect(output).toContain(fixture);
    expect(output).toContain("$.bots[0].id");
    expect(output).not.toMatch(/\n\s+at /);
  });

  it("refuses a corrupt data file with a clear message and leaves it untouched", async () => {
    await writeFile(join(dir, "db.json"), "{ half a file");
    const { code, output } = await runCli(["--port", "0", "--data-file", join(dir, "db.json")], dir);
    expect(code).toBe(1);
    expect(output).toContain("Cannot load data file");
    expect(output).not.toMatch(/\n\s+at /);
    expect(await readFile(join(dir, "db.json"), "utf8")).toBe("{ half a file");
  });

  it("reports a port in use in one line", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as { port: number }).port;
    const { code, output } = await runCli(["--port", String(port), "--memory"], dir);
    blocker.close();
    expect(code).toBe(1);
    expect(output.trim().split("\n")).toHaveLength(1);
    expect(output).toContain("EADDRINUSE");
  });

  it("refuses unknown flags and bad values in one line", async () => {
    const unknown = await runCli(["--nope"], dir);
    expect(unknown.code).toBe(2);
    expect(unknown.output).toBe("b24-emulator: unknown flag --nope (b24-emulator --help lists the flags)\n");
    const bad = await runCli(["--boolean-result", "flat"], dir);
    expect(bad.code).toBe(2);
    expect(bad.output).toContain("--boolean-result takes nested or bare");
  });

  it("--seed with --clock frozen and --clock-start starts every run at the same instant with the same credentials", async () => {
    const args = ["--port", "0", "--memory", "--seed", "3", "--clock", "frozen", "--clock-start", "2026-05-01T08:00:00Z"];
    const runs = [];
    for (let i = 0; i < 2; i++) {
      const cli = await startCli(args, dir);
      const clock = (await (await fetch(`${cli.httpUrl}/_emulator/clock`)).json()) as Record<string, unknown>;
      const created = (await (await fetch(`${cli.httpUrl}/_emulator/portals`, { method: "POST" })).json()) as Record<string, unknown>;
      await cli.stop();
      runs.push({ clock, id: created.id, secret: created.clientSecret, token: created.accessToken, code: (created.webhooks as { code: string }[])[0]?.code });
    }
    expect(runs[0]).toMatchObject({ clock: { now: "2026-05-01T08:00:00.000Z", frozen: true } });
    expect(runs[1]).toEqual(runs[0]);
    const bad = await runCli(["--clock-start", "next tuesday"], dir);
    expect(bad.code).toBe(2);
    expect(bad.output).toContain("--clock-start takes an ISO 8601 date-time");
  });

  it("--server-shapes, --numeric-binder-code, --strict-chat-update and --attach-error-codes reach the REST answers", async () => {
    const cli = await startCli(["--port", "0", "--memory", "--server-shapes", "--numeric-binder-code", "--strict-chat-update", "--attach-error-codes", "docs"], dir);
    const call = async (method: string, params: Record<string, unknown>) => {
      const res = await fetch(`${cli.httpUrl}/rest/1/emulator/${method}`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ botId: 456, botToken: "my_bot_token", ...params }),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    const chat = await call("imbot.v2.Chat.get", { dialogId: "chat5" });
    const binder = await call("imbot.v2.Chat.InputAction.notify", {});
    const update = await call("imbot.v2.Chat.update", { dialogId: "chat5", fields: { title: "x" } });
    const attach = await call("imbot.v2.Chat.Message.send", { dialogId: "chat5", fields: { message: "x", attach: [{ NOPE: 1 }] } });
    await cli.stop();
    expect((chat.body.result as { chat: { textFieldEnabled: unknown } }).chat.textFieldEnabled).toBe(true);
    expect([binder.status, binder.body.error]).toEqual([400, 100]);
    expect([update.status, update.body.error]).toEqual([400, "ACCESS_DENIED"]);
    expect([attach.status, attach.body.error]).toEqual([400, "ATTACH_ERROR"]);
    const bad = await runCli(["--attach-error-codes", "loose"], dir);
    expect(bad.code).toBe(2);
    expect(bad.output).toContain("--attach-error-codes takes server or docs");
  });

  it("reads settings from B24_EMULATOR_* variables", async () => {
    const cli = await startCli([], dir, { B24_EMULATOR_PORT: "0", B24_EMULATOR_MEMORY: "1", B24_EMULATOR_BOOLEAN_RESULT: "bare" });
    const reply = await post(cli.httpUrl, answer("env"));
    await cli.stop();
    expect(reply.status).toBe(200);
    expect(reply.body.result).toBe(true);
  });
});

describe("safe defaults", () => {
  it("refuses to listen beyond loopback without an admin key, in one line", async () => {
    const { code, output } = await runCli(["--host", "0.0.0.0", "--port", "0", "--memory"], dir);
    expect(code).toBe(1);
    expect(output).toContain("--admin-key");
    expect(output.trim().split("\n")).toHaveLength(1);
  });

  it("listens beyond loopback with an admin key, warning about it", async () => {
    const cli = await startCli(["--host", "0.0.0.0", "--port", "0", "--memory", "--admin-key", "k"], dir);
    const refused = await fetch(`${cli.httpUrl}/_emulator/portals`);
    expect(refused.status).toBe(401);
    const allowed = await fetch(`${cli.httpUrl}/_emulator/portals`, { headers: { "X-Emulator-Key": "k" } });
    expect(allowed.status).toBe(200);
    await cli.stop();
    expect(cli.output()).toContain("warning: listening on 0.0.0.0");
  });

  it("sends no CORS headers unless --cors", async () => {
    const plain = await startCli(["--port", "0", "--memory"], dir);
    const res = await fetch(`${plain.httpUrl}/_emulator/health`, { headers: { Origin: "http://evil.example" } });
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    await plain.stop();
    const listed = await startCli(["--port", "0", "--memory", "--cors", "http://app.example"], dir);
    const pre = await fetch(`${listed.httpUrl}/rest/imbot.v2.Command.answer`, { method: "OPTIONS", headers: { Origin: "http://app.example" } });
    expect([pre.status, pre.headers.get("access-control-allow-origin")]).toEqual([204, "http://app.example"]);
    await listed.stop();
    expect(listed.output()).not.toContain("warning");
  });

  it("--cors * must be asked for by name, and warns", async () => {
    const open = await startCli(["--port", "0", "--memory", "--cors", "*"], dir);
    const pre = await fetch(`${open.httpUrl}/rest/imbot.v2.Command.answer`, { method: "OPTIONS", headers: { Origin: "http://app.example" } });
    expect([pre.status, pre.headers.get("access-control-allow-origin")]).toEqual([204, "*"]);
    await open.stop();
    expect(open.output()).toContain("warning: --cors *");
  });

  it("refuses an --allowed-origins entry that is not an origin, in one line and the usage", async () => {
    const { code, output } = await runCli(["--memory", "--allowed-origins", "evil.example"], dir);
    expect(code).toBe(2);
    expect(output).toContain('--allowed-origins takes origins like http://localhost:5173, got "evil.example"');
  });
});

describe("graceful shutdown", () => {
  it("SIGTERM answers a pending long-poll, finishes, and exits 0 promptly", async () => {
    const cli = await startCli(["--port", "0"], dir);
    const waiting = fetch(`${cli.httpUrl}/_emulator/portals/default/wait?for=call&method=imbot.v2.Bot.register&timeout=60000`);
    for (;;) {
      const health = (await (await fetch(`${cli.httpUrl}/_emulator/health`)).json()) as { waits: number };
      if (health.waits > 0) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    const exited = cli.stop("SIGTERM");
    const reply = await waiting;
    expect([reply.status, ((await reply.json()) as { error: string }).error]).toEqual([408, "WAIT_TIMEOUT"]);
    expect(await exited).toBe(0);
  });
});
