import { describe, expect, it } from "vitest";
import { createEmulator, FixtureError } from "../src/index.js";
import { defaultFixture } from "./support/fixtures.js";

describe("fixtures are validated at load", () => {
  it("loads the bundled default fixture", () => {
    const app = createEmulator();
    const portal = app.store.state.portals.default!;
    expect(portal.bots[456]).toMatchObject({ code: "support_bot", botToken: "my_bot_token" });
    expect(portal.commands[42]).toMatchObject({ command: "help", botId: 456 });
    expect(portal.chats[5]!.members).toEqual([1, 456]);
    expect(portal.messages[789]).toMatchObject({ chatId: 5, authorId: 1, text: "/help" });
  });

  it("names the JSON path of a field of the wrong type", () => {
    const fixture = defaultFixture();
    (fixture.bots![0] as Record<string, unknown>).botToken = 5;
    expect(() => createEmulator({ fixture })).toThrow(FixtureError);
    expect(() => createEmulator({ fixture })).toThrow(/\$\.bots\[0\]\.botToken/);
  });

  it("names a dangling reference", () => {
    const fixture = defaultFixture();
    fixture.messages = [{ id: 1, chatId: 99, authorId: 1, text: "x" }];
    expect(() => createEmulator({ fixture })).toThrow(/\$\.messages\[0\]\.chatId: no chat 99/);
  });

  it("refuses unknown keys, so typos do not pass silently", () => {
    const fixture = { ...defaultFixture(), chatz: [] } as Record<string, unknown>;
    expect(() => createEmulator({ fixture })).toThrow(/chatz/);
  });

  it("names the file when it cannot be read", () => {
    expect(() => createEmulator({ fixture: "/nonexistent/fixture.json" })).toThrow(/\/nonexistent\/fixture\.json/);
  });
});
