import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type PortalInfo, type RunningEmulator, type StreamEvent } from "../src/index.js";
import { expectMatchesOpenApi, schemaValidatorAt } from "./support/openapi.js";
import { openEventStream, type ReceivedEvent } from "./support/sse.js";

/** The portal event stream over real HTTP (server-sent events) and through the programmatic API. */
let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.close();
});

async function call(method: string, url: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const reply = { status: res.status, body: (await res.json()) as Record<string, unknown>, contentType: res.headers.get("content-type") ?? "" };
  expectMatchesOpenApi({ method, url }, reply);
  return reply;
}

async function newPortal(): Promise<PortalInfo & { botToken: string }> {
  const created = await call("POST", `${emulator.httpUrl}/_emulator/portals`, {});
  const info = created.body as unknown as PortalInfo;
  return { ...info, botToken: info.bots[0]!.botToken! };
}

const control = (portalId: string, path: string) => `${emulator.httpUrl}/_emulator/portals/${portalId}${path}`;
const validStreamEvent = schemaValidatorAt("/components/schemas/ControlStreamEvent");

/** Every item must be what openapi.yaml promises, and its SSE name its type. */
function checked(e: ReceivedEvent): ReceivedEvent {
  expect(validStreamEvent(e.data), JSON.stringify(validStreamEvent.errors)).toBe(true);
  expect(e.data.type).toBe(e.event);
  return e;
}

async function subscribe(portalId: string) {
  const stream = await openEventStream(control(portalId, "/stream"));
  expect(stream.status).toBe(200);
  expect(stream.contentType).toMatch(/^text\/event-stream/);
  await stream.next((e) => checked(e).event === "ready");
  return {
    close: stream.close,
    next: (match: (e: ReceivedEvent) => boolean) => stream.next((e) => match(checked(e))),
  };
}

const isMessage = (change: string, text?: string) => (e: ReceivedEvent) => {
  const message = e.data.message as { text?: string } | undefined;
  return e.event === "message" && e.data.change === change && (text === undefined || message?.text === text);
};

describe("GET /_emulator/portals/{id}/stream", () => {
  it("reports a message a bot posts over REST, and the call that stored it, linked by id", async () => {
    const portal = await newPortal();
    const stream = await subscribe(portal.id);
    const sent = await call("POST", `${portal.webhookUrl}imbot.v2.Chat.Message.send`, {
      botId: 456,
      botToken: portal.botToken,
      dialogId: "chat5",
      fields: { message: "[b]Hello[/b] from REST" },
    });
    expect(sent.status).toBe(200);
    const added = await stream.next(isMessage("added", "[b]Hello[/b] from REST"));
    const message = added.data.message as { id: number; authorId: number; chatId: number };
    expect(message).toMatchObject({ authorId: 456, chatId: 5 });
    const journaled = await stream.next((e) => e.event === "call");
    expect(journaled.data.call).toMatchObject({
      method: "imbot.v2.Chat.Message.send",
      caller: "webhook of user 1",
      status: 200,
      error: null,
      messageIds: [message.id],
      response: { result: { id: message.id } },
    });
    stream.close();
  });

  it("reports a user's command, the event it raised (naming the message), and a refused call", async () => {
    const portal = await newPortal();
    const stream = await subscribe(portal.id);
    const typed = await call("POST", control(portal.id, "/messages"), { authorId: 1, dialogId: "chat5", text: "/help" });
    const messageId = (typed.body.message as { id: number }).id;
    await stream.next(isMessage("added", "/help"));
    const raised = await stream.next((e) => e.event === "event");
    expect(raised.data.event).toMatchObject({ type: "ONIMBOTV2COMMANDADD", botId: 456, mode: "fetch", messageId });

    await call("POST", `${portal.webhookUrl}imbot.v2.Command.answer`, { botId: 456, botToken: "wrong", commandId: 42, messageId, dialogId: "chat5" });
    const refused = await stream.next((e) => e.event === "call");
    expect(refused.data.call).toMatchObject({
      method: "imbot.v2.Command.answer",
      status: 400,
      error: "BOT_OWNERSHIP_ERROR",
      params: { botToken: "***" },
      response: { error: "BOT_OWNERSHIP_ERROR" },
    });
    stream.close();
  });

  it("reports edits and deletions of a message", async () => {
    const portal = await newPortal();
    const rest = (method: string, params: Record<string, unknown>) =>
      call("POST", `${portal.webhookUrl}${method}`, { botId: 456, botToken: portal.botToken, ...params });
    const sent = await rest("imbot.v2.Chat.Message.send", { dialogId: "chat5", fields: { message: "first" } });
    const id = (sent.body.result as { id: number }).id;
    const stream = await subscribe(portal.id);
    await rest("imbot.v2.Chat.Message.update", { messageId: id, fields: { message: "second" } });
    const edited = await stream.next(isMessage("edited"));
    expect(edited.data.message).toMatchObject({ id, text: "second", edited: true, deleted: false });
    await rest("imbot.v2.Chat.Message.delete", { messageId: id });
    const deleted = await stream.next(isMessage("deleted"));
    expect(deleted.data.message).toMatchObject({ id, text: "", deleted: true });
    stream.close();
  });

  it("reports a reaction set and taken back, a read and a reply, with what the chat shows of them", async () => {
    const portal = await newPortal();
    const sent = await call("POST", `${portal.webhookUrl}imbot.v2.Chat.Message.send`, { botId: 456, botToken: portal.botToken, dialogId: "chat5", fields: { message: "rate me" } });
    const id = (sent.body.result as { id: number }).id;
    const stream = await subscribe(portal.id);
    await call("POST", control(portal.id, "/reactions"), { userId: 1, messageId: id, reaction: "fire" });
    const reacted = await stream.next(isMessage("edited", "rate me"));
    expect(reacted.data.message).toMatchObject({ id, reactions: { fire: [1] } });
    await call("POST", control(portal.id, "/reactions"), { userId: 1, messageId: id, reaction: "fire", action: "delete" });
    const taken = await stream.next(isMessage("edited", "rate me"));
    expect(taken.data.message).not.toHaveProperty("reactions");
    expect((await call("POST", control(portal.id, "/chats/chat5/read"), { userId: 1 })).body).toEqual({ viewedMessages: [id] });
    const read = await stream.next(isMessage("edited", "rate me"));
    expect(read.data.message).toMatchObject({ id, viewedByOthers: true });
    await call("POST", control(portal.id, "/messages"), { authorId: 1, dialogId: "chat5", text: "thanks", replyId: id });
    const reply = await stream.next(isMessage("added", "thanks"));
    expect(reply.data.message).toMatchObject({ replyId: id });
    stream.close();
  });

  it("reports a person's file with what the chat shows of it", async () => {
    const portal = await newPortal();
    const stream = await subscribe(portal.id);
    const sent = await call("POST", control(portal.id, "/files"), { userId: 1, dialogId: "chat5", name: "notes.txt", contentBase64: Buffer.from("abc").toString("base64"), text: "see file" });
    expect(sent.status).toBe(201);
    const added = await stream.next(isMessage("added", "see file"));
    expect(added.data.message).toMatchObject({ params: { FILE_ID: [(sent.body.file as { id: number }).id] }, files: [{ name: "notes.txt", size: 3, type: "file", authorId: 1 }] });
    const page = await call("GET", control(portal.id, "/chats/chat5/messages?limit=1"));
    expect(page.body.messages).toEqual([added.data.message]);
    stream.close();
  });

  it("reports new chats, members and users, then a reset, then the deletion that ends it", async () => {
    const portal = await newPortal();
    const stream = await subscribe(portal.id);
    await call("POST", control(portal.id, "/users"), { firstName: "Carla" });
    await stream.next((e) => e.event === "directory");
    await call("POST", control(portal.id, "/chats"), { title: "Sales", ownerId: 1, members: [2] });
    const chat = await stream.next((e) => e.event === "chat" && e.data.change === "added");
    expect(chat.data.chat).toMatchObject({ title: "Sales", members: [1, 2], type: "chat" });
    await call("POST", control(portal.id, "/reset"));
    await stream.next((e) => e.event === "reset");
    await call("DELETE", control(portal.id, ""));
    await stream.next((e) => e.event === "deleted");
    stream.close();
  });

  it("never carries another portal's changes", async () => {
    const [mine, other] = [await newPortal(), await newPortal()];
    const stream = await subscribe(mine.id);
    await call("POST", control(other.id, "/messages"), { authorId: 1, dialogId: "chat5", text: "other portal" });
    await call("POST", control(mine.id, "/messages"), { authorId: 1, dialogId: "chat5", text: "my portal" });
    const first = await stream.next((e) => e.event === "message");
    expect((first.data.message as { text: string }).text).toBe("my portal");
    stream.close();
  });

  it("answers 404 PORTAL_NOT_FOUND as JSON for a portal that does not exist", async () => {
    const missing = await call("GET", control("no-such-portal", "/stream"));
    expect(missing).toMatchObject({ status: 404, body: { error: "PORTAL_NOT_FOUND" } });
  });
});

describe("the stream in the programmatic API", () => {
  it("portal.control.stream() iterates the same items; leaving the loop ends it", async () => {
    const portal = await emulator.createPortal();
    const stream = portal.control.stream();
    await portal.control.userSays({ authorId: 1, dialogId: "chat5", text: "hello" });
    const seen: StreamEvent["type"][] = [];
    for await (const event of stream) {
      seen.push(event.type);
      if (event.type === "message") {
        expect(event.message).toMatchObject({ text: "hello", authorId: 1 });
        break;
      }
    }
    expect(seen).toEqual(["ready", "message"]);
    expect(await stream.next()).toEqual({ value: undefined, done: true });
  });

  it("portal.control.subscribe() calls back until stopped", async () => {
    const portal = await emulator.createPortal();
    const texts: string[] = [];
    const stop = portal.control.subscribe((e) => {
      if (e.type === "message") texts.push(e.message.text);
    });
    await portal.control.userSays({ authorId: 1, dialogId: "chat5", text: "one" });
    await portal.control.waitFor({ for: "message", textContains: "one" });
    await new Promise<void>((resolve) => setImmediate(resolve));
    stop();
    await portal.control.userSays({ authorId: 1, dialogId: "chat5", text: "two" });
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(texts).toEqual(["one"]);
  });
});

describe("what the inspector reads: users, bots, chats and paged history", () => {
  it("lists users and bots by name, bots with their commands' titles", async () => {
    const portal = await newPortal();
    const users = await call("GET", control(portal.id, "/users"));
    expect(users.body.users).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: 1, name: "Anna Admin", bot: false }),
        expect.objectContaining({ id: 456, name: "Support Bot", bot: true }),
      ]),
    );
    const bots = await call("GET", control(portal.id, "/bots"));
    expect(bots.body.bots).toEqual([
      expect.objectContaining({ id: 456, name: "Support Bot", eventMode: "fetch", commands: [expect.objectContaining({ command: "/help", title: "Show help" })] }),
    ]);
  });

  it("lists chats with members and the last message", async () => {
    const portal = await newPortal();
    const chats = await call("GET", control(portal.id, "/chats"));
    expect(chats.body.chats).toEqual([
      expect.objectContaining({ dialogId: "chat5", title: "Support", members: [1, 456], lastMessage: expect.objectContaining({ id: 789, text: "/help" }) }),
    ]);
  });

  it("pages history back with before and limit", async () => {
    const portal = await emulator.createPortal();
    for (const text of ["a", "b", "c"]) await portal.control.userSays({ authorId: 1, dialogId: "chat5", text });
    const last = await call("GET", control(portal.id, "/chats/chat5/messages?limit=2"));
    const lastTexts = (last.body.messages as { id: number; text: string }[]).map((m) => m.text);
    expect(lastTexts).toEqual(["b", "c"]);
    expect(last.body.hasMore).toBe(true);
    const firstId = (last.body.messages as { id: number }[])[0]!.id;
    const older = await call("GET", control(portal.id, `/chats/chat5/messages?limit=2&before=${firstId}`));
    expect((older.body.messages as { text: string }[]).map((m) => m.text)).toEqual(["/help", "a"]);
    expect(older.body.hasMore).toBe(false);
    const refused = await call("GET", control(portal.id, "/chats/chat5/messages?limit=0"));
    expect(refused).toMatchObject({ status: 400, body: { error: "CONTROL_ARGUMENT" } });
  });
});
