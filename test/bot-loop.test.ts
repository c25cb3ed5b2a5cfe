/* eslint-disable @typescript-eslint/no-explicit-any -- reads wire JSON the way a bot would; typing every nested event field here adds nothing the assertions do not check */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../src/index.js";

/**
 * The whole bot test loop through a listening emulator, from outside the process as a bot sees it:
 * register bot and command over REST, a user types the command (control API), the event arrives
 * (Event.get or a webhook POST), the bot answers with the event's ids, the test reads the chat.
 */
let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.close();
});

async function json(method: string, url: string, body?: unknown): Promise<{ status: number; body: Record<string, any> }> {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

async function newPortal() {
  const created = await json("POST", `${emulator.httpUrl}/_emulator/portals`, {});
  expect(created.status).toBe(201);
  return created.body as { id: string; webhookUrl: string; restUrl: string; accessToken: string };
}

const control = (portalId: string, path: string) => `${emulator.httpUrl}/_emulator/portals/${portalId}${path}`;

describe("the bot test loop, fetch mode", () => {
  it("register, type /help, Event.get, Command.answer, read the answer", async () => {
    const portal = await newPortal();
    const rest = (method: string, params: Record<string, unknown>) => json("POST", `${portal.webhookUrl}${method}`, params);

    const registered = await rest("imbot.v2.Bot.register", {
      fields: { code: "helper", botToken: "helper-token", properties: { name: "Helper" }, eventMode: "fetch" },
    });
    expect(registered.status).toBe(200);
    const botId = registered.body.result.bot.id as number;

    const command = await rest("imbot.v2.Command.register", {
      botId,
      botToken: "helper-token",
      fields: { command: "help", title: { en: "Help" } },
    });
    expect(command.status).toBe(200);

    const joined = await json("POST", control(portal.id, "/chats/chat5/members"), { userIds: [botId], addedBy: 1 });
    expect(joined.status).toBe(200);

    const typed = await json("POST", control(portal.id, "/messages"), { authorId: 1, dialogId: "chat5", text: "/help topics" });
    expect(typed.status).toBe(201);
    // The fixture's bot 456 also has /help in chat5: both bots are invoked, each its own way.
    expect((typed.body.commands as { botId: number }[]).filter((c) => c.botId === botId)).toHaveLength(1);

    const polled = await rest("imbot.v2.Event.get", { botId, botToken: "helper-token" });
    expect(polled.status).toBe(200);
    const events = polled.body.result.events as { type: string; data: Record<string, any> }[];
    expect(events.map((e) => e.type)).toEqual(["ONIMBOTV2JOINCHAT", "ONIMBOTV2COMMANDADD"]);
    const call = events[1]!.data;
    expect(call.command).toMatchObject({ command: "/help", params: "topics", context: "textarea" });

    const answered = await rest("imbot.v2.Command.answer", {
      botId,
      botToken: "helper-token",
      commandId: call.command.id,
      messageId: call.message.id,
      dialogId: call.chat.dialogId,
      fields: { message: "Topics: billing, login" },
    });
    expect(answered.status).toBe(200);

    const confirmed = await rest("imbot.v2.Event.get", { botId, botToken: "helper-token", offset: polled.body.result.nextOffset });
    expect(confirmed.body.result.events).toEqual([]);

    const history = await json("GET", control(portal.id, "/chats/chat5/messages"));
    expect(history.body.messages.at(-1)).toMatchObject({ authorId: botId, text: "Topics: billing, login", isSystem: false });
  });
});

describe("the bot test loop, webhook mode", () => {
  let handler: Server;
  let handlerUrl: string;
  const received: URLSearchParams[] = [];
  let answerVia: (form: URLSearchParams) => Promise<void> = async () => {};

  beforeAll(async () => {
    handler = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => {
        const form = new URLSearchParams(body);
        received.push(form);
        res.writeHead(200).end("ok");
        if (form.get("event") === "ONIMBOTV2COMMANDADD") void answerVia(form);
      });
    });
    await new Promise<void>((resolve) => handler.listen(0, "127.0.0.1", resolve));
    handlerUrl = `http://127.0.0.1:${(handler.address() as AddressInfo).port}/bot`;
  });
  afterAll(() => new Promise<void>((resolve) => handler.close(() => resolve())));

  it("the event arrives as a PHP-style form POST and the bot answers with the OAuth token it carries", async () => {
    const portal = await newPortal();
    const rest = (method: string, params: Record<string, unknown>) => json("POST", `${portal.webhookUrl}${method}`, params);
    const registered = await rest("imbot.v2.Bot.register", {
      fields: { code: "hooked", botToken: "hook-token", properties: { name: "Hooked" }, eventMode: "webhook", webhookUrl: handlerUrl },
    });
    expect(registered.status).toBe(200);
    const botId = registered.body.result.bot.id as number;
    expect((await rest("imbot.v2.Command.register", { botId, botToken: "hook-token", fields: { command: "help", title: { en: "Help" } } })).status).toBe(200);
    await json("POST", control(portal.id, "/chats/chat5/members"), { userIds: [botId], addedBy: 1 });

    answerVia = async (form) => {
      const clientEndpoint = form.get("data[bot][auth][client_endpoint]");
      await json("POST", `${clientEndpoint}imbot.v2.Command.answer`, {
        auth: form.get("data[bot][auth][access_token]"),
        botId: Number(form.get("data[bot][id]")),
        commandId: Number(form.get("data[command][id]")),
        messageId: Number(form.get("data[message][id]")),
        dialogId: form.get("data[chat][dialogId]"),
        fields: { message: `You asked for ${form.get("data[command][command]")}` },
      });
    };

    const typed = await json("POST", control(portal.id, "/messages"), { authorId: 1, dialogId: "chat5", text: "/help" });
    const afterId = typed.body.message.id as number;
    const waited = await json("GET", control(portal.id, `/wait?for=message&dialogId=chat5&authorId=${botId}&afterId=${afterId}&timeout=5000`));
    expect(waited.status).toBe(200);
    expect(waited.body.match.text).toBe("You asked for /help");

    const commandPost = received.find((f) => f.get("event") === "ONIMBOTV2COMMANDADD")!;
    expect(commandPost.get("data[bot][id]")).toBe(String(botId));
    expect(commandPost.get("data[bot][code]")).toBe("hooked");
    expect(commandPost.get("data[message][isSystem]")).toBe("0");
    expect(commandPost.get("auth[application_token]")).toMatch(/^[0-9a-f]{32}$/);
    expect(commandPost.get("auth[member_id]")).toBeTruthy();

    const deliveries = await json("GET", control(portal.id, "/deliveries"));
    const types = (deliveries.body.deliveries as { event: string; status: number; url: string }[]).map((d) => [d.event, d.status, d.url]);
    expect(types).toEqual([
      ["ONIMBOTV2JOINCHAT", 200, handlerUrl],
      ["ONIMBOTV2COMMANDADD", 200, handlerUrl],
    ]);
  });
});
