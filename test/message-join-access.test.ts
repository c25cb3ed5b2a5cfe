/* eslint-disable @typescript-eslint/no-explicit-any -- reads wire JSON the way a bot would */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../src/index.js";
import { freshPortal } from "./support/fresh-portal.js";

/**
 * A bot that joins a chat late cannot read what was said before it joined (spec v2-complete.md §1,
 * server `Message::checkAccess`): MESSAGE_ACCESS_DENIED, after MESSAGE_NOT_FOUND and ACCESS_DENIED.
 */
let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.close();
});

/** A fresh portal where a `type` bot joins chat5 after two more messages; two come after its join. */
async function lateJoiner(type: "supervisor" | "bot") {
  const portal = await freshPortal(emulator);
  const control = (path: string, body: unknown) => portal.control("POST", path, body);
  const says = async (text: string) => {
    const said = await control("/messages", { authorId: 1, dialogId: "chat5", text });
    expect(said.status).toBe(201);
    return (said.body as any).message.id as number;
  };

  const registered = await portal.rest(
    "imbot.v2.Bot.register",
    { fields: { code: `late_${type}`, botToken: "late-token", type, eventMode: "fetch", properties: { name: "Late" } } },
    {},
  );
  expect(registered.status).toBe(200);
  const botId = registered.body.result.bot.id as number;
  const call = (method: string, params: Record<string, unknown>, asSeedBot = false) =>
    asSeedBot ? portal.rest(method, params) : portal.rest(method, params, { botId, botToken: "late-token" });

  const before = [await says("before one"), await says("before two")];
  expect((await control("/chats/chat5/members", { userIds: [botId], addedBy: 1 })).status).toBe(200);
  const after = [await says("after one"), await says("after two")];
  return { call, control, before, after, botId };
}

const refusedWith = (reply: { status: number; body: any }) => [reply.status, reply.body.error];

describe("MESSAGE_ACCESS_DENIED: messages from before the bot joined", () => {
  it("Chat.Message.get refuses them, and reads what came after the join", async () => {
    const { call, before, after } = await lateJoiner("supervisor");
    for (const messageId of [789, ...before]) {
      expect(refusedWith(await call("imbot.v2.Chat.Message.get", { messageId }))).toEqual([400, "MESSAGE_ACCESS_DENIED"]);
    }
    const read = await call("imbot.v2.Chat.Message.get", { messageId: after[0] });
    expect(read.status).toBe(200);
    expect(read.body.result.message).toMatchObject({ id: after[0], text: "after one" });
  });

  it("comes after MESSAGE_NOT_FOUND and ACCESS_DENIED, and before BOT_TYPE_NOT_ALLOWED", async () => {
    const supervisor = await lateJoiner("supervisor");
    expect(refusedWith(await supervisor.call("imbot.v2.Chat.Message.get", { messageId: 99_999 }))).toEqual([400, "MESSAGE_NOT_FOUND"]);
    const elsewhere = await supervisor.control("/chats", { title: "Elsewhere", ownerId: 1, members: [2] });
    expect(elsewhere.status).toBe(201);
    const outside = await supervisor.control("/messages", { authorId: 1, dialogId: (elsewhere.body as any).dialogId, text: "not for bots" });
    const outsideId = (outside.body as any).message.id as number;
    expect(refusedWith(await supervisor.call("imbot.v2.Chat.Message.get", { messageId: outsideId }))).toEqual([400, "ACCESS_DENIED"]);

    const plainBot = await lateJoiner("bot");
    expect(refusedWith(await plainBot.call("imbot.v2.Chat.Message.get", { messageId: plainBot.before[0] }))).toEqual([400, "MESSAGE_ACCESS_DENIED"]);
    expect(refusedWith(await plainBot.call("imbot.v2.Chat.Message.get", { messageId: plainBot.after[0] }))).toEqual([400, "BOT_TYPE_NOT_ALLOWED"]);
  });

  it("Chat.Message.getContext never reaches back past the join", async () => {
    const { call, before, after } = await lateJoiner("supervisor");
    expect(refusedWith(await call("imbot.v2.Chat.Message.getContext", { messageId: before[1] }))).toEqual([400, "MESSAGE_ACCESS_DENIED"]);
    const context = await call("imbot.v2.Chat.Message.getContext", { messageId: after[1], range: 50 });
    expect(context.status).toBe(200);
    const ids = context.body.result.messages.map((m: any) => m.id as number);
    expect(ids).toContain(after[0]);
    expect(ids.at(-1)).toBe(after[1]);
    expect(Math.min(...ids)).toBeGreaterThan(before[1]!);
    expect(context.body.result.hasPrevPage).toBe(false);
  });

  it("Reaction.add and Chat.Message.read with such a messageId refuse; reading everything marks only what came after", async () => {
    const { call, before, after, botId } = await lateJoiner("bot");
    expect(refusedWith(await call("imbot.v2.Chat.Message.Reaction.add", { messageId: before[0], reaction: "like" }))).toEqual([400, "MESSAGE_ACCESS_DENIED"]);
    expect(refusedWith(await call("imbot.v2.Chat.Message.Reaction.delete", { messageId: before[0], reaction: "like" }))).toEqual([400, "MESSAGE_ACCESS_DENIED"]);
    expect((await call("imbot.v2.Chat.Message.Reaction.add", { messageId: after[0], reaction: "like" })).status).toBe(200);
    expect(refusedWith(await call("imbot.v2.Chat.Message.read", { dialogId: "chat5", messageId: before[1] }))).toEqual([400, "MESSAGE_ACCESS_DENIED"]);

    const chat = (await call("imbot.v2.Chat.get", { dialogId: "chat5" })).body.result.chat;
    expect(chat.unreadId).toBeGreaterThan(before[1]!);
    const read = await call("imbot.v2.Chat.Message.read", { dialogId: "chat5" });
    expect(read.status).toBe(200);
    expect(read.body.result.viewedMessages).toEqual(expect.arrayContaining(after));
    expect(read.body.result.viewedMessages.filter((id: number) => id <= before[1]!)).toEqual([]);
    expect(read.body.result.counter).toBe(0);
    expect(botId).toBeGreaterThan(0);
  });

  it("members since the chat's creation, as in every store written before join times were kept, read all of it", async () => {
    const { call, before } = await lateJoiner("bot");
    expect((await call("imbot.v2.Chat.Message.Reaction.add", { messageId: 789, reaction: "like" }, true)).status).toBe(200);
    expect((await call("imbot.v2.Chat.Message.Reaction.add", { messageId: before[0], reaction: "like" }, true)).status).toBe(200);
  });
});
