import { beforeEach, describe, expect, it } from "vitest";
import { createEmulator, type EmulatorApp } from "../src/index.js";
import type { Portal } from "../src/store/state.js";
import { testFixture } from "./support/fixtures.js";
import { expectRefusal, restClient } from "./support/rest-client.js";

/** Chat.update, Chat.leave, Chat.setOwner, Chat.Manager.add/delete (spec v2-complete.md §2). */

const HOOK = "/rest/1/emulator/";
const asBot = (params: Record<string, unknown>) => ({ botId: 456, botToken: "my_bot_token", ...params });
let app: EmulatorApp;
let client: ReturnType<typeof restClient>;
let portal: Portal;

beforeEach(() => {
  app = createEmulator({ fixture: testFixture() });
  client = restClient(app);
  portal = app.store.state.portals.default!;
});

async function ok(method: string, params: Record<string, unknown>): Promise<unknown> {
  const reply = await client.post(HOOK + method, asBot(params));
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply.body.result;
}
const refused = (method: string, params: Record<string, unknown>, code: string) => expectRefusal(app, HOOK + method, asBot(params), code, 400);

/** A group chat the bot owns, with users 1 and 2. */
async function ownChat(): Promise<string> {
  const result = (await ok("imbot.v2.Chat.add", { fields: { title: "Bot's room", userIds: [1, 2] } })) as { chat: { id: number } };
  return `chat${result.chat.id}`;
}

describe("imbot.v2.Chat.update", () => {
  it("changes only the keys given, leaves a system notice, and shows in Chat.get", async () => {
    expect(await ok("imbot.v2.Chat.update", { dialogId: "chat5", fields: { title: `  ${"T".repeat(300)} `, color: "LIGHT_BLUE" } })).toEqual({ result: true });
    expect(portal.chats[5]!.title).toBe("T".repeat(255));
    const chat = (await ok("imbot.v2.Chat.get", { dialogId: "chat5" })) as { chat: { name: string; description: string } };
    expect(chat.chat.name).toBe("T".repeat(255));
    const notices = Object.values(portal.messages).filter((m) => m.chatId === 5 && m.isSystem);
    expect(notices.length).toBe(2);
    expect(await ok("imbot.v2.Chat.update", { dialogId: "chat5", fields: {} })).toEqual({ result: true });
    expect(await ok("imbot.v2.Chat.update", { dialogId: "chat5", fields: { color: "no-such-colour" } })).toEqual({ result: true });
    expect(portal.events).toEqual([]);
  });
  it("refusals: a 1:1 dialog or a chat the bot is not in is ACCESS_DENIED, an unknown one CHAT_NOT_FOUND", async () => {
    await refused("imbot.v2.Chat.update", { dialogId: "1", fields: { title: "x" } }, "ACCESS_DENIED");
    await refused("imbot.v2.Chat.update", { dialogId: "chat6", fields: { title: "x" } }, "ACCESS_DENIED");
    await refused("imbot.v2.Chat.update", { dialogId: "chat999", fields: { title: "x" } }, "CHAT_NOT_FOUND");
  });
});

describe("imbot.v2.Chat.leave", () => {
  it("the bot leaves; ownership passes to a person who is a member", async () => {
    const dialogId = await ownChat();
    expect(await ok("imbot.v2.Chat.leave", { dialogId })).toEqual({ result: true });
    const chat = portal.chats[Number(dialogId.slice(4))]!;
    expect(chat.members).not.toContain(456);
    expect(chat.ownerId).toBe(1);
    await refused("imbot.v2.Chat.leave", { dialogId }, "ACCESS_DENIED");
    await refused("imbot.v2.Chat.leave", { dialogId: "1" }, "ACCESS_DENIED");
  });
});

describe("imbot.v2.Chat.setOwner and Chat.Manager.add/delete", () => {
  it("the owner hands over and stays a manager; then it may no longer do so", async () => {
    const dialogId = await ownChat();
    expect(await ok("imbot.v2.Chat.setOwner", { dialogId, userId: 2 })).toEqual({ result: true });
    const chat = portal.chats[Number(dialogId.slice(4))]!;
    expect(chat.ownerId).toBe(2);
    expect(chat.managers).toContain(456);
    await refused("imbot.v2.Chat.setOwner", { dialogId, userId: 1 }, "ACCESS_DENIED");
    expect((await refused("imbot.v2.Chat.setOwner", { dialogId }, "100")).body.error_description).toBe("Could not find value for parameter {userId}");
  });
  it("managers: owner only, non-members skipped, EMPTY_USER_IDS after the chat checks", async () => {
    const dialogId = await ownChat();
    expect(await ok("imbot.v2.Chat.Manager.add", { dialogId, userIds: [1, 3] })).toEqual({ result: true });
    const got = (await ok("imbot.v2.Chat.get", { dialogId })) as { chat: { managerList: number[] } };
    expect(got.chat.managerList).toEqual([1]);
    expect(await ok("imbot.v2.Chat.Manager.delete", { dialogId, userIds: [1] })).toEqual({ result: true });
    expect(portal.chats[Number(dialogId.slice(4))]!.managers).toEqual([]);
    await refused("imbot.v2.Chat.Manager.add", { dialogId, userIds: [] }, "EMPTY_USER_IDS");
    await refused("imbot.v2.Chat.Manager.add", { dialogId: "chat999", userIds: [] }, "CHAT_NOT_FOUND");
    await refused("imbot.v2.Chat.Manager.add", { dialogId: "chat5", userIds: [1] }, "ACCESS_DENIED"); // chat5 is user 1's
  });
});
