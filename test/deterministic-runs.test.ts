import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "../src/index.js";
import { httpClient } from "./support/http-client.js";

/**
 * Deterministic runs: with a seed and a frozen clock, the same calls give the same answers and the
 * same stored data, byte for byte, so a test can compare whole responses with a snapshot. Each run
 * is a fresh listening emulator with its own data file, on the same port (URLs appear in answers).
 */
const START = "2026-03-01T09:00:00Z";
const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

interface Run {
  answers: string[];
  stored: string;
  port: number;
  hookPort: number;
}

/** One scripted session: a portal, a bot, a user, events, an answer, the OAuth dance, the clock. */
async function run(options: EmulatorOptions, port = 0, hookPort = 0): Promise<Run> {
  const dataDir = await mkdtemp(join(tmpdir(), "b24-emulator-seed-"));
  dirs.push(dataDir);
  const handler = createServer((_req, res) => res.writeHead(200).end("ok"));
  await new Promise<void>((resolve) => handler.listen(hookPort, "127.0.0.1", resolve));
  const handlerUrl = `http://127.0.0.1:${(handler.address() as AddressInfo).port}/echo`;
  const emulator: RunningEmulator = await startEmulator({ ...options, store: "file", dataDir, port });
  const answers: string[] = [];
  try {
    const http = httpClient(emulator.httpUrl!);
    const keep = async (reply: Promise<{ status: number; body: Record<string, unknown> }>) => {
      const { status, body } = await reply;
      answers.push(`${status} ${JSON.stringify(body)}`);
      return body;
    };
    const portal = await keep(http.call("POST", "/_emulator/portals", {}));
    const id = portal.id as string;
    const hook = `/rest/1/${(portal.webhooks as { code: string }[])[0]!.code}`;
    const token = portal.accessToken as string;

    const bot = await keep(
      http.call("POST", `${hook}/imbot.v2.Bot.register`, {
        fields: { code: "echo", botToken: "echo_token", eventMode: "webhook", webhookUrl: handlerUrl, properties: { name: "Echo" } },
      }),
    );
    const botId = ((bot.result as { bot: { id: number } }).bot).id;
    await keep(http.call("POST", `/_emulator/portals/${id}/chats/chat5/members`, { userIds: [botId] }));
    await keep(http.call("POST", `/_emulator/portals/${id}/messages`, { authorId: 1, dialogId: "chat5", text: `hi [USER=${botId}]Echo[/USER]` }));
    // Both webhook events (JOINCHAT, MESSAGEADD) delivered, with their portal-clock times and durations.
    const joined = await keep(http.get(`/_emulator/portals/${id}/wait?for=delivery&event=ONIMBOTV2JOINCHAT&timeout=5000`));
    await keep(http.get(`/_emulator/portals/${id}/wait?for=delivery&afterId=${(joined.match as { id: number }).id}&timeout=5000`));
    await keep(http.get(`/_emulator/portals/${id}/deliveries`));
    await keep(http.call("POST", `/rest/imbot.v2.Event.get`, { auth: token, botId: 456 }));
    const said = await keep(http.call("POST", `/_emulator/portals/${id}/messages`, { authorId: 1, dialogId: "chat5", text: "/help" }));
    const messageId = (said.message as { id: number }).id;
    await keep(http.call("POST", `/rest/imbot.v2.Command.answer`, { auth: token, botId: 456, commandId: 42, messageId, dialogId: "chat5", fields: { message: "help!" } }));
    await keep(http.call("POST", `/rest/batch`, { auth: token, cmd: { t: "server.time", p: "profile" } }));

    const grant = await keep(http.get(`/oauth/authorize/?client_id=${portal.clientId as string}&state=x`));
    const secret = { client_id: portal.clientId as string, client_secret: portal.clientSecret as string };
    const tokens = await keep(http.form("/oauth/token/", { grant_type: "authorization_code", ...secret, code: grant.code as string }));
    await keep(http.call("POST", `/_emulator/portals/${id}/clock`, { advanceSeconds: 3601 }));
    await keep(http.get(`/rest/profile?auth=${tokens.access_token as string}`));
    await keep(http.form("/oauth-server/oauth/token/", { grant_type: "refresh_token", ...secret, refresh_token: tokens.refresh_token as string }));
    await keep(http.get(`/oauth-server/rest/app.info?auth=${token}`));

    await keep(http.get(`/_emulator/portals/${id}/chats/chat5/messages`));
    await keep(http.get(`/_emulator/portals/${id}/journal`));
    await keep(http.get(`/_emulator/portals/${id}`));
    await keep(http.get(`/_emulator/portals/${id}/clock`));
  } finally {
    await emulator.close();
    handler.closeAllConnections();
    await new Promise((resolve) => handler.close(resolve));
  }
  return {
    answers,
    stored: await readFile(join(dataDir, "db.json"), "utf8"),
    port: Number(new URL(emulator.httpUrl!).port),
    hookPort: Number(new URL(handlerUrl).port),
  };
}

describe("--seed with --clock frozen: two runs of the same test are byte-identical", () => {
  const deterministic: EmulatorOptions = { seed: 7, clockMode: "frozen", clockStart: START };
  let first: Run;

  it("gives the same answers and the same data file, byte for byte", async () => {
    first = await run(deterministic);
    const second = await run(deterministic, first.port, first.hookPort);
    expect(second.answers).toHaveLength(first.answers.length);
    second.answers.forEach((answer, i) => expect(answer, `answer ${i}`).toBe(first.answers[i]));
    expect(second.stored).toBe(first.stored);
  });

  it("stands the clock still: every time block starts at --clock-start and lasts 0", () => {
    const blocks = first.answers.flatMap((a) => [...a.matchAll(/"time":(\{[^}]*\})/g)].map((m) => JSON.parse(m[1]!) as Record<string, unknown>));
    expect(blocks.length).toBeGreaterThanOrEqual(4);
    // Both 401s are the portal's clock at work: an hour on, the tokens issued before have expired.
    const statuses = "201 200 200 201 200 200 200 200 201 200 200 200 200 200 401 200 401 200 200 200 200".split(" ");
    expect(first.answers.map((a) => a.slice(0, 3))).toEqual(statuses);
    for (const block of blocks) {
      expect(block).toMatchObject({ duration: 0, processing: 0 });
      expect(block.start).toBe(block.finish);
    }
    expect(first.answers.some((a) => a.includes('"date_start":"2026-03-01T09:00:00+00:00"'))).toBe(true);
    const journal = JSON.parse(first.answers.at(-3)!.slice(4)) as { calls: { durationMs: number }[] };
    expect(journal.calls.every((c) => c.durationMs === 0)).toBe(true);
    const deliveries = JSON.parse(first.answers[6]!.slice(4)) as { deliveries: { durationMs: number; time: string; status: number }[] };
    expect(deliveries.deliveries.map((d) => [d.time, d.durationMs, d.status])).toEqual([
      ["2026-03-01T09:00:00.000Z", 0, 200],
      ["2026-03-01T09:00:00.000Z", 0, 200],
    ]);
  });

  it("another seed gives other ids and secrets", async () => {
    const other = await run({ ...deterministic, seed: 8 }, first.port, first.hookPort);
    expect(other.answers[0]).not.toBe(first.answers[0]);
    expect(other.stored).not.toBe(first.stored);
  });

  it("without a seed, credentials stay random as before", async () => {
    const a = await startEmulator();
    const b = await startEmulator();
    try {
      const [pa, pb] = [await a.createPortal(), await b.createPortal()];
      expect(pa.clientSecret).not.toBe(pb.clientSecret);
      expect(pa.accessToken).not.toBe(pb.accessToken);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
