import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createEmulator, FixtureError, type FixtureInput } from "../src/index.js";
import { restClient } from "./support/rest-client.js";

/**
 * A fixture as large as a generated load-test portal (20,000 users, chats and messages, every one
 * referring to others) validates and loads, and a mistake deep inside it is still named by file and
 * JSON path. Validation used to search the arrays once per reference, which took minutes at this size.
 */
const SIZE = 20_000;
const BOT = 900_000;
const folder = mkdtempSync(join(tmpdir(), "b24-fixture-size-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function largeFixture(): FixtureInput {
  const ids = Array.from({ length: SIZE }, (_, i) => i + 1);
  return {
    users: ids.map((id) => ({ id, firstName: `User ${id}` })),
    webhooks: ids.map((id) => ({ userId: id, code: `hook${id}` })),
    apps: [{ clientId: "app.load", applicationToken: "load-app-token", tokens: [{ accessToken: "load-token", userId: SIZE }] }],
    bots: [{ id: BOT, code: "load_bot", name: "Load", clientId: "app.load" }],
    commands: [{ id: 1, botId: BOT, command: "help" }],
    chats: ids.map((id) => ({ id, type: "private" as const, ownerId: id, members: [id, BOT] })),
    messages: ids.map((id) => ({ id, chatId: id, authorId: id, text: `/help ${id}` })),
    answerWindows: ids.map((id) => ({ botId: BOT, commandId: 1, messageId: id })),
  };
}

function writeFixture(name: string, fixture: FixtureInput): string {
  const path = join(folder, name);
  writeFileSync(path, JSON.stringify(fixture));
  return path;
}

describe("a fixture with 20,000 users, chats and messages", () => {
  it("loads, and its last user's webhook and chat work", async () => {
    const app = createEmulator({ fixture: writeFixture("large.json", largeFixture()) });
    const portal = app.store.state.portals.default!;
    expect(Object.keys(portal.users)).toHaveLength(SIZE + 1);
    expect(portal.chats[SIZE]).toMatchObject({ members: [SIZE, BOT], lastMessageId: SIZE, messageCount: 1 });

    const client = restClient(app);
    const profile = await client.post(`/rest/${SIZE}/hook${SIZE}/profile`, {});
    expect([profile.status, (profile.body.result as { ID: string }).ID]).toEqual([200, String(SIZE)]);
  }, 120_000);

  it("names the file and the JSON path of a dangling reference at the end", () => {
    const fixture = largeFixture();
    fixture.messages![SIZE - 1]!.chatId = SIZE + 5;
    fixture.answerWindows![SIZE - 1]!.commandId = 7;
    const path = writeFixture("broken.json", fixture);
    let error: unknown;
    try {
      createEmulator({ fixture: path });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(FixtureError);
    const message = (error as Error).message;
    expect(message).toContain(path);
    expect(message).toContain(`$.messages[${SIZE - 1}].chatId: no chat ${SIZE + 5}`);
    expect(message).toContain(`$.answerWindows[${SIZE - 1}].commandId: no command 7`);
  }, 120_000);
});
