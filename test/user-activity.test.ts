import { describe, expect, it } from "vitest";
import type { PortalHandle } from "../src/index.js";
import { httpClient } from "./support/http-client.js";
import { webhookRest } from "./support/webhook-rest.js";
import { defaultFixture } from "./support/fixtures.js";
import { useListeningEmulator } from "./support/v1-bot.js";

/**
 * A User's `lastActivityDate` is the person's last act on the portal's clock (spec events.md §4:
 * follow the examples, which show a date): seeded from the fixture, moved by every act, `false`
 * for someone who never acted and for bots. Read through REST and in events of both modes.
 */

const listening = useListeningEmulator();
const client = () => httpClient(listening.emulator().httpUrl!);
const BOT_456 = { botId: 456, botToken: "my_bot_token" };

type Result = Record<string, unknown>;
type UserSeen = { id: number; lastActivityDate: string | false };

const rest = (portal: PortalHandle) => webhookRest(listening.emulator().httpUrl!, portal);

async function control(portal: PortalHandle, path: string, body: Record<string, unknown>, status = 200): Promise<Result> {
  const reply = await client().call("POST", `/_emulator/portals/${portal.id}${path}`, body);
  expect(reply.status, `${path}: ${JSON.stringify(reply.body)}`).toBe(status);
  return reply.body;
}

async function setClock(portal: PortalHandle, now: string): Promise<void> {
  await control(portal, "/clock", { now });
}

async function members(portal: PortalHandle, dialogId: string): Promise<Map<number, string | false>> {
  const listed = await rest(portal)("imbot.v2.Chat.User.list", { ...BOT_456, dialogId });
  return new Map((listed as unknown as UserSeen[]).map((u) => [u.id, u.lastActivityDate]));
}

describe("lastActivityDate", () => {
  it("the default fixture: Anna last acted when she typed /help (09:41:27), the bot never", async () => {
    const portal = await listening.emulator().createPortal();
    const seen = await members(portal, "chat5");
    expect(seen.get(1)).toBe("2026-01-01T09:41:27+00:00");
    expect(seen.get(456)).toBe(false);
  });

  it("moves with each act on the portal's clock, and events carry it (fetch mode)", async () => {
    const portal = await listening.emulator().createPortal();
    await control(portal, "/chats/chat5/members", { userIds: [2], addedBy: 1 });
    expect((await members(portal, "chat5")).get(2)).toBe(false);

    await setClock(portal, "2030-03-01T10:00:00Z");
    await control(portal, "/messages", { authorId: 2, dialogId: "chat5", text: "[USER=456]Support Bot[/USER] hello" }, 201);
    await setClock(portal, "2030-03-01T10:05:00Z");
    const answer = (await rest(portal)("imbot.v2.Chat.Message.send", { ...BOT_456, dialogId: "chat5", fields: { message: "hi Boris" } })).id as number;
    await setClock(portal, "2030-03-01T10:07:30Z");
    await control(portal, "/reactions", { userId: 2, messageId: answer, reaction: "like" });

    const events = (await rest(portal)("imbot.v2.Event.get", BOT_456)).events as { type: string; data: { user: UserSeen } }[];
    const byType = Object.fromEntries(events.map((e) => [e.type, e.data.user]));
    expect(byType.ONIMBOTV2MESSAGEADD).toMatchObject({ id: 2, lastActivityDate: "2030-03-01T10:00:00+00:00" });
    expect(byType.ONIMBOTV2REACTIONCHANGE).toMatchObject({ id: 2, lastActivityDate: "2030-03-01T10:07:30+00:00" });
    const seen = await members(portal, "chat5");
    expect(seen.get(2)).toBe("2030-03-01T10:07:30+00:00");
    expect(seen.get(456)).toBe(false);
  });

  it("a webhook bot gets it form-encoded in data[user][lastActivityDate]", async () => {
    const portal = await listening.emulator().createPortal();
    const handler = await listening.handler();
    const registered = await rest(portal)("imbot.v2.Bot.register", {
      botToken: "activity-hook",
      fields: { code: "activity_hook", eventMode: "webhook", webhookUrl: handler.url, properties: { name: "Watcher" } },
    });
    const botId = (registered.bot as { id: number }).id;
    await setClock(portal, "2031-07-04T08:30:00Z");
    await control(portal, "/dialogs", { userId: 2, botId });
    const joined = await handler.next("ONIMBOTV2JOINCHAT");
    expect(joined.form).toMatchObject({ "data[user][id]": "2", "data[user][lastActivityDate]": "2031-07-04T08:30:00+00:00" });
  });

  it("a fixture may give it; a person without one or a message is false", async () => {
    const fixture = defaultFixture();
    fixture.users = [
      { id: 1, firstName: "Anna", lastActivityDate: "2025-12-31T23:00:00+01:00" },
      { id: 2, firstName: "Boris" },
    ];
    const portal = await listening.emulator().createPortal({ fixture });
    const seen = await members(portal, "chat5");
    expect(seen.get(1)).toBe("2025-12-31T22:00:00+00:00");
    await control(portal, "/chats/chat5/members", { userIds: [2], addedBy: 1 });
    expect((await members(portal, "chat5")).get(2)).toBe(false);
  });
});
