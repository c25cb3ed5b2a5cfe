import { describe, expect, it } from "vitest";
import { createEmulator, type FixtureInput, type PortalHandle } from "../src/index.js";
import { httpClient } from "./support/http-client.js";
import { webhookRest } from "./support/webhook-rest.js";
import { defaultFixture } from "./support/fixtures.js";
import { useListeningEmulator } from "./support/v1-bot.js";

/**
 * A fixture declares open-line chats as the control API makes them (`type: "lines"`, or entity type
 * LINES in any case): the chat has both, and only member bots that support open lines hear it
 * (spec v1.md §6.2). Bad entity fields are refused at load with their JSON path.
 */

const listening = useListeningEmulator();
const client = () => httpClient(listening.emulator().httpUrl!);

const LINES_BOT = { botId: 601, botToken: "lines-owner" };
const PLAIN_BOT = { botId: 602, botToken: "plain-owner" };

function openLineFixture(): FixtureInput {
  const base = defaultFixture();
  return {
    ...base,
    bots: [
      ...(base.bots ?? []),
      { id: 601, code: "lines_helper", name: "Lines Helper", botToken: "lines-owner", isSupportOpenline: true },
      { id: 602, code: "plain_helper", name: "Plain Helper", botToken: "plain-owner", type: "supervisor" },
    ],
    chats: [
      ...(base.chats ?? []),
      { id: 7, type: "lines", title: "Client #7", ownerId: 1, members: [2, 601, 602] },
      { id: 8, entityType: "lines", entityId: "12|34", title: "Client #8", ownerId: 1, members: [2, 601] },
      { id: 9, entityType: "CRM", entityId: "DEAL|5", title: "Deal 5", ownerId: 1, members: [1, 2] },
    ],
  };
}

const rest = (portal: PortalHandle) => webhookRest(listening.emulator().httpUrl!, portal);

describe("open-line chats in a fixture", () => {
  it("type lines and entity LINES both give an open-line chat; another entity stays a group chat", async () => {
    const portal = await listening.emulator().createPortal({ fixture: openLineFixture() });
    const chatOf = async (dialogId: string) => (await rest(portal)("imbot.v2.Chat.get", { ...LINES_BOT, dialogId })).chat;
    expect(await chatOf("chat7")).toMatchObject({ id: 7, type: "lines", messageType: "L", entityType: "LINES" });
    expect(await chatOf("chat8")).toMatchObject({ id: 8, type: "lines", messageType: "L", entityType: "LINES", entityId: "12|34" });
    const found = await client().call("POST", `${new URL(portal.webhookUrl!).pathname}im.chat.get`, { ENTITY_TYPE: "CRM", ENTITY_ID: "DEAL|5" });
    expect(found.status, JSON.stringify(found.body)).toBe(200);
    expect(found.body.result).toEqual({ ID: 9 });
  });

  it("a person's message there reaches the open-line bot only, mentioned or supervising bots not", async () => {
    const portal = await listening.emulator().createPortal({ fixture: openLineFixture() });
    const said = await client().call("POST", `/_emulator/portals/${portal.id}/messages`, {
      authorId: 2,
      dialogId: "chat7",
      text: "[USER=602]Plain Helper[/USER], where is my order?",
    });
    expect(said.status, JSON.stringify(said.body)).toBe(201);
    const heard = async (bot: typeof LINES_BOT) => ((await rest(portal)("imbot.v2.Event.get", bot)).events as { type: string; data: Record<string, unknown> }[]);
    const linesEvents = await heard(LINES_BOT);
    expect(linesEvents.map((e) => e.type)).toEqual(["ONIMBOTV2MESSAGEADD"]);
    expect(linesEvents[0]!.data).toMatchObject({ chat: { dialogId: "chat7", type: "lines", entityType: "LINES" }, user: { id: 2 } });
    expect(await heard(PLAIN_BOT)).toEqual([]);
  });

  it("refuses what the control API refuses, and an entity on a private chat, naming the path", () => {
    const tooLong = openLineFixture();
    tooLong.chats![1] = { id: 7, entityType: "X".repeat(51), ownerId: 1, members: [2, 601] };
    expect(() => createEmulator({ fixture: tooLong })).toThrow(/\$\.chats\[1\]\.entityType/);

    const badType = openLineFixture();
    badType.chats![1] = { id: 7, type: "line" as "lines", ownerId: 1, members: [2, 601] };
    expect(() => createEmulator({ fixture: badType })).toThrow(/\$\.chats\[1\]\.type/);
    expect(() => createEmulator({ fixture: openLineFixture() })).not.toThrow();

    const privateLines = openLineFixture();
    privateLines.chats![1] = { id: 7, type: "private", entityType: "LINES", ownerId: 1, members: [1, 2] };
    expect(() => createEmulator({ fixture: privateLines })).toThrow(/\$\.chats\[1\]\.entityType: a private chat has no entity/);
  });
});
