import { beforeEach, describe, expect, it } from "vitest";
import { PortalControl } from "../src/control/portal-control.js";
import { createEmulator, type EmulatorApp } from "../src/index.js";
import type { Portal } from "../src/store/state.js";
import { testFixture } from "./support/fixtures.js";
import { expectRefusal, lastMessageIn, restClient, snapshot, type Reply } from "./support/rest-client.js";

const HOOK = "/rest/1/emulator/";
const OAUTH = "/rest/";
const REGISTER = "imbot.v2.Command.register";
const UPDATE = "imbot.v2.Command.update";
const LIST = "imbot.v2.Command.list";
const UNREGISTER = "imbot.v2.Command.unregister";
const ANSWER = "imbot.v2.Command.answer";

/** The default bot, webhook form. */
const asBot = (params: Record<string, unknown> = {}) => ({ botId: 456, botToken: "my_bot_token", ...params });

let app: EmulatorApp;
let client: ReturnType<typeof restClient>;
let portal: Portal;

beforeEach(() => {
  app = createEmulator({ fixture: testFixture() });
  client = restClient(app);
  portal = app.store.state.portals.default!;
});

const hook = (method: string, params: Record<string, unknown>, encoding: "json" | "form" = "json") =>
  client.post(HOOK + method, params, encoding);

function resultOf(reply: Reply): Record<string, unknown> {
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply.body.result as Record<string, unknown>;
}

function expectRefused(method: string, params: Record<string, unknown>, code: string, status: number, url = HOOK) {
  return expectRefusal(app, url + method, params, code, status);
}

async function register(fields: Record<string, unknown>): Promise<number> {
  const result = resultOf(await hook(REGISTER, asBot({ fields })));
  return (result.command as { id: number }).id;
}

describe("imbot.v2.Command.register", () => {
  it("a bot registers a command in `fields` and gets it back with its slash", async () => {
    const reply = await hook(
      REGISTER,
      asBot({
        fields: {
          command: "/weather",
          title: { EN: "Weather forecast", de: "Wettervorhersage" },
          params: { en: "city", fr: "ville" },
          common: true,
        },
      }),
    );
    expect(resultOf(reply)).toEqual({
      command: { id: 44, botId: 456, command: "/weather", common: true, hidden: false, extranetSupport: false },
    });
    expect(portal.seq.command).toBe(44);
    expect(portal.commands[44]).toEqual({
      id: 44,
      botId: 456,
      command: "weather",
      common: true,
      hidden: false,
      extranetSupport: false,
      title: { en: "Weather forecast", de: "Wettervorhersage" },
      params: { en: "city" },
    });
  });

  it("an OAuth app registers for its bot without a botToken", async () => {
    const reply = await client.post(OAUTH + REGISTER, {
      auth: "emulator-token",
      botId: 456,
      fields: { command: "stats", title: { en: "Statistics" }, extranetSupport: "Y" },
    });
    expect(resultOf(reply).command).toMatchObject({ command: "/stats", botId: 456, extranetSupport: true, common: false });
  });

  it("a PHP form client registers with bracket keys and Y/N flags", async () => {
    const reply = await hook(
      REGISTER,
      asBot({ fields: { command: "remind", title: { en: "Reminder" }, params: { en: "when" }, common: "Y", hidden: "N" } }),
      "form",
    );
    const command = resultOf(reply).command as { id: number };
    expect(command).toMatchObject({ command: "/remind", common: true, hidden: false });
    expect(portal.commands[command.id]).toMatchObject({ title: { en: "Reminder" }, params: { en: "when" } });
  });

  it("a client of the legacy flat form registers with the keys at the top level (JSON and form)", async () => {
    const json = await hook(REGISTER, asBot({ command: "legacy", title: { en: "Legacy" }, hidden: true }));
    expect(resultOf(json).command).toMatchObject({ command: "/legacy", hidden: true });
    const form = await hook(REGISTER, asBot({ command: "/flat", title: { en: "Flat" }, common: "Y" }), "form");
    const command = resultOf(form).command as { id: number };
    expect(command).toMatchObject({ command: "/flat", common: true });
    expect(portal.commands[command.id]).toMatchObject({ command: "flat", title: { en: "Flat" } });
  });

  it("reads the flat keys when `fields` is empty, and ignores them when `fields` has anything", async () => {
    const empty = await hook(REGISTER, asBot({ fields: {}, command: "fromflat", title: { en: "Flat" } }));
    expect(resultOf(empty).command).toMatchObject({ command: "/fromflat" });
    const list = await hook(REGISTER, asBot({ fields: [], command: "fromlist", title: { en: "Flat" } }));
    expect(resultOf(list).command).toMatchObject({ command: "/fromlist" });
    const both = await hook(
      REGISTER,
      asBot({ fields: { command: "fromfields", title: { en: "Fields" } }, command: "ignored", title: { en: "No" } }),
    );
    expect(resultOf(both).command).toMatchObject({ command: "/fromfields" });
    expect(Object.values(portal.commands).map((c) => c.command)).not.toContain("ignored");
  });

  it("a bot registers the same name twice and gets the same command back, unchanged", async () => {
    const first = resultOf(await hook(REGISTER, asBot({ fields: { command: "ping", title: { en: "Ping" } } })));
    const before = snapshot(app);
    const again = await hook(
      REGISTER,
      asBot({ fields: { command: "/ping", title: { en: "Other title" }, common: true, hidden: true } }),
    );
    expect(resultOf(again)).toEqual(first);
    expect(snapshot(app)).toBe(before);
    // The fixture's /help too, even without the title a new command would need.
    const help = await hook(REGISTER, asBot({ fields: { command: "help" } }));
    expect(resultOf(help).command).toEqual({
      id: 42,
      botId: 456,
      command: "/help",
      common: false,
      hidden: false,
      extranetSupport: false,
    });
  });

  it("names are case-sensitive, and another bot may register the same name", async () => {
    const upper = resultOf(await hook(REGISTER, asBot({ fields: { command: "Help", title: { en: "Upper" } } })));
    expect((upper.command as { id: number }).id).not.toBe(42);
    const other = await client.post(OAUTH + REGISTER, {
      auth: "other-token",
      botId: 457,
      fields: { command: "help", title: { en: "Other help" } },
    });
    expect(resultOf(other).command).toMatchObject({ botId: 457, command: "/help" });
    expect(Object.values(portal.commands).filter((c) => c.command === "help").map((c) => c.botId).sort()).toEqual([456, 457]);
  });

  it("a hidden command needs no title; flags default to false", async () => {
    const id = await register({ command: "secret", hidden: true });
    expect(portal.commands[id]).toEqual({
      id,
      botId: 456,
      command: "secret",
      common: false,
      hidden: true,
      extranetSupport: false,
      title: {},
      params: {},
    });
  });

  it("stores a name with a blank inside, as a portal does, and warns that no message can call it", async () => {
    const warnings: string[] = [];
    app = createEmulator({ fixture: testFixture(), logger: { info() {}, warn: (m) => warnings.push(m), error() {} } });
    client = restClient(app);
    const id = await register({ command: "two words", title: { en: "Odd" } });
    expect(app.store.state.portals.default!.commands[id]!.command).toBe("two words");
    expect(warnings.join("\n")).toMatch(/"two words" contains whitespace/);
    const flat = await hook(REGISTER, asBot({ command: "old", title: { en: "Old" } }));
    expect(flat.status).toBe(200);
    expect(warnings.join("\n")).toMatch(/legacy flat form/);
  });

  describe("refusals change nothing", () => {
    const fields = { command: "weather", title: { en: "Weather" } };

    it("BOT_TOKEN_NOT_SPECIFIED: webhook call without botToken, before any command check", async () => {
      await expectRefused(REGISTER, { botId: 456, fields: { command: 5 } }, "BOT_TOKEN_NOT_SPECIFIED", 400);
    });

    it("BOT_ID_REQUIRED: botId missing or zero", async () => {
      await expectRefused(REGISTER, { botToken: "my_bot_token", fields }, "BOT_ID_REQUIRED", 400);
      await expectRefused(REGISTER, asBot({ botId: 0, fields }), "BOT_ID_REQUIRED", 400);
    });

    it("BOT_NOT_FOUND: no bot with that id", async () => {
      await expectRefused(REGISTER, asBot({ botId: 999, fields }), "BOT_NOT_FOUND", 400);
    });

    it("BOT_OWNERSHIP_ERROR: another bot's token, or another app", async () => {
      await expectRefused(REGISTER, asBot({ botToken: "other_bot_token", fields }), "BOT_OWNERSHIP_ERROR", 400);
      await expectRefused(REGISTER, { auth: "other-token", botId: 456, fields }, "BOT_OWNERSHIP_ERROR", 400, OAUTH);
    });

    it("ERROR_ARGUMENT: `fields` that is text", async () => {
      const reply = await expectRefused(REGISTER, asBot({ fields: "weather" }), "ERROR_ARGUMENT", 400);
      expect(reply.body.error_description).toContain("fields");
    });

    it("COMMAND_NAME_INVALID: a JSON name that is not a string, checked before the title", async () => {
      for (const command of [5, true, ["help"], { name: "help" }]) {
        await expectRefused(REGISTER, asBot({ fields: { command } }), "COMMAND_NAME_INVALID", 400);
      }
      await expectRefused(REGISTER, asBot({ command: 12, title: { en: "Flat" } }), "COMMAND_NAME_INVALID", 400);
    });

    it("COMMAND_REQUIRED: no name, an empty one, null, or just a slash", async () => {
      for (const command of [undefined, "", "  ", null, "/"]) {
        await expectRefused(REGISTER, asBot({ fields: { command, title: { en: "T" } } }), "COMMAND_REQUIRED", 400);
      }
      await expectRefused(REGISTER, asBot({}), "COMMAND_REQUIRED", 400);
      await expectRefused(REGISTER, asBot({ fields: { title: { en: "T" } } }), "COMMAND_REQUIRED", 400);
    });

    it("COMMAND_TITLE_REQUIRED: a visible command without a usable title", async () => {
      for (const title of [undefined, {}, [], "Weather", { en: { text: "x" } }]) {
        await expectRefused(REGISTER, asBot({ fields: { command: "weather", title } }), "COMMAND_TITLE_REQUIRED", 400);
      }
      await expectRefused(
        REGISTER,
        asBot({ fields: { command: "weather", hidden: "N", params: { en: "city" } } }),
        "COMMAND_TITLE_REQUIRED",
        400,
      );
    });
  });
});

describe("imbot.v2.Command.update", () => {
  let id: number;
  beforeEach(async () => {
    id = await register({
      command: "weather",
      title: { en: "Weather", de: "Wetter", fr: "Météo" },
      params: { en: "city", de: "Stadt", fr: "ville" },
    });
  });

  it("renames a command; the result shows the new name with its slash", async () => {
    const reply = await hook(UPDATE, asBot({ commandId: id, fields: { command: "/forecast" } }));
    expect(resultOf(reply)).toEqual({
      command: { id, botId: 456, command: "/forecast", common: false, hidden: false, extranetSupport: false },
    });
    expect(portal.commands[id]!.command).toBe("forecast");
    expect(portal.commands[id]!.title).toEqual({ en: "Weather", de: "Wetter", fr: "Météo" });
  });

  it("keeps its own name, and may take a name another bot uses", async () => {
    expect(resultOf(await hook(UPDATE, asBot({ commandId: id, fields: { command: "weather" } }))).command).toMatchObject({
      command: "/weather",
    });
    expect(resultOf(await hook(UPDATE, asBot({ commandId: id, fields: { command: "other" } }))).command).toMatchObject({
      command: "/other",
    });
  });

  it("sets only the flags it is given", async () => {
    await hook(UPDATE, asBot({ commandId: id, fields: { common: true, extranetSupport: "Y" } }));
    expect(portal.commands[id]).toMatchObject({ common: true, hidden: false, extranetSupport: true });
    await hook(UPDATE, asBot({ commandId: id, fields: { hidden: "Y", common: null } }), "json");
    expect(portal.commands[id]).toMatchObject({ common: true, hidden: true, extranetSupport: true });
    await hook(UPDATE, asBot({ commandId: id, fields: { common: "N" } }), "form");
    expect(portal.commands[id]).toMatchObject({ common: false, hidden: true, extranetSupport: true });
  });

  it("per language: text sets the title, null removes the language, unnamed languages stay", async () => {
    const reply = await hook(UPDATE, asBot({ commandId: id, fields: { title: { EN: "Forecast", de: null } } }));
    expect(reply.status).toBe(200);
    expect(portal.commands[id]!.title).toEqual({ en: "Forecast", fr: "Météo" });
    // Setting a title without params keeps that language's params; removing it drops them.
    expect(portal.commands[id]!.params).toEqual({ en: "city", fr: "ville" });
  });

  it("applies params only to the languages this call's title names with a text", async () => {
    await hook(
      UPDATE,
      asBot({
        commandId: id,
        fields: { title: { en: "Weather", it: "Meteo", de: null }, params: { EN: "town", it: "città", fr: "lieu", de: "Ort" } },
      }),
    );
    expect(portal.commands[id]!.title).toEqual({ en: "Weather", it: "Meteo", fr: "Météo" });
    expect(portal.commands[id]!.params).toEqual({ en: "town", it: "città", fr: "ville" });
    // params alone (no title in the call) change nothing.
    const before = snapshot(app);
    await hook(UPDATE, asBot({ commandId: id, fields: { params: { en: "anything" } } }));
    expect(snapshot(app)).toBe(before);
  });

  it("an empty or missing `fields` changes nothing and returns the command", async () => {
    const before = snapshot(app);
    for (const fields of [undefined, {}, []]) {
      const reply = await hook(UPDATE, asBot({ commandId: id, fields }));
      expect(resultOf(reply).command).toMatchObject({ id, command: "/weather" });
    }
    expect(snapshot(app)).toBe(before);
  });

  it("an OAuth app updates its bot's command; a form client renames with bracket keys", async () => {
    const oauth = await client.post(OAUTH + UPDATE, { auth: "emulator-token", botId: 456, commandId: 42, fields: { hidden: true } });
    expect(resultOf(oauth).command).toMatchObject({ id: 42, command: "/help", hidden: true });
    const form = await hook(UPDATE, asBot({ commandId: id, fields: { command: "rain", title: { en: "Rain" } } }), "form");
    expect(resultOf(form).command).toMatchObject({ command: "/rain" });
    expect(portal.commands[id]!.title.en).toBe("Rain");
  });

  describe("refusals change nothing", () => {
    it("common bot checks come first", async () => {
      await expectRefused(UPDATE, { botId: 456, commandId: 999 }, "BOT_TOKEN_NOT_SPECIFIED", 400);
      await expectRefused(UPDATE, { botToken: "my_bot_token", commandId: 999 }, "BOT_ID_REQUIRED", 400);
      await expectRefused(UPDATE, asBot({ botId: 999, commandId: id }), "BOT_NOT_FOUND", 400);
      await expectRefused(UPDATE, asBot({ botToken: "other_bot_token", commandId: id }), "BOT_OWNERSHIP_ERROR", 400);
    });

    it("ERROR_ARGUMENT: commandId missing or unreadable, or `fields` that is text", async () => {
      for (const commandId of [undefined, 0, "abc"]) {
        const reply = await expectRefused(UPDATE, asBot({ commandId, fields: { hidden: true } }), "ERROR_ARGUMENT", 400);
        expect(reply.body.error_description).toContain("commandId");
      }
      const reply = await expectRefused(UPDATE, asBot({ commandId: id, fields: "hidden" }), "ERROR_ARGUMENT", 400);
      expect(reply.body.error_description).toContain("fields");
    });

    it("COMMAND_NOT_FOUND: an unknown id, or another bot's command", async () => {
      await expectRefused(UPDATE, asBot({ commandId: 999, fields: { hidden: true } }), "COMMAND_NOT_FOUND", 400);
      await expectRefused(UPDATE, asBot({ commandId: 43, fields: { hidden: true } }), "COMMAND_NOT_FOUND", 400);
    });

    it("COMMAND_NAME_INVALID: a new name that is not a string", async () => {
      for (const command of [7, false, ["x"], { a: 1 }]) {
        await expectRefused(UPDATE, asBot({ commandId: id, fields: { command, hidden: true } }), "COMMAND_NAME_INVALID", 400);
      }
    });

    it("COMMAND_NAME_EMPTY: an empty new name, or just a slash", async () => {
      for (const command of ["", "/", "  "]) {
        await expectRefused(UPDATE, asBot({ commandId: id, fields: { command, hidden: true } }), "COMMAND_NAME_EMPTY", 400);
      }
    });

    it("COMMAND_ALREADY_EXISTS: the bot has that name under another id", async () => {
      const reply = await expectRefused(
        UPDATE,
        asBot({ commandId: id, fields: { command: "/help", title: { en: "x" } } }),
        "COMMAND_ALREADY_EXISTS",
        400,
      );
      expect(reply.body.error_description).toContain("/help");
    });

    it("COMMAND_TITLE_INVALID: a title that is not an object, or a language's title that is not text", async () => {
      for (const title of ["Weather", 5, true, { en: { text: "x" } }, { en: ["x"] }]) {
        await expectRefused(
          UPDATE,
          asBot({ commandId: id, fields: { command: "renamed", hidden: true, title } }),
          "COMMAND_TITLE_INVALID",
          400,
        );
      }
    });
  });
});

describe("imbot.v2.Command.list", () => {
  it("lists the bot's commands with title, params, category and context", async () => {
    const reply = await hook(LIST, asBot());
    expect(resultOf(reply)).toEqual({
      commands: [
        {
          id: 42,
          botId: 456,
          command: "/help",
          common: false,
          hidden: false,
          extranetSupport: false,
          title: "Show help",
          params: "",
          category: "Support Bot",
          context: "",
        },
      ],
    });
  });

  it("includes hidden commands, only this bot's, oldest first", async () => {
    const hidden = await register({ command: "secret", hidden: true });
    const visible = await register({ command: "weather", title: { en: "Weather" }, params: { en: "city" } });
    const { commands } = resultOf(await hook(LIST, asBot())) as { commands: Record<string, unknown>[] };
    expect(commands.map((c) => c.id)).toEqual([42, hidden, visible]);
    expect(commands[1]).toMatchObject({ command: "/secret", hidden: true, title: "", params: "" });
    expect(commands[2]).toMatchObject({ command: "/weather", title: "Weather", params: "city" });
    const other = await client.post(OAUTH + LIST, { auth: "other-token", botId: 457 });
    expect((resultOf(other).commands as { id: number }[]).map((c) => c.id)).toEqual([43]);
  });

  it("picks texts in the portal's language, else English, else any", async () => {
    const both = await register({ command: "both", title: { en: "Weather", de: "Wetter" }, params: { en: "city", de: "Stadt" } });
    const onlyFr = await register({ command: "fr", title: { fr: "Météo" }, params: { fr: "ville" } });
    portal.language = "de";
    const { commands } = resultOf(await hook(LIST, asBot())) as { commands: Record<string, unknown>[] };
    const byId = new Map(commands.map((c) => [c.id, c]));
    expect(byId.get(both)).toMatchObject({ title: "Wetter", params: "Stadt" });
    expect(byId.get(42)).toMatchObject({ title: "Show help" });
    expect(byId.get(onlyFr)).toMatchObject({ title: "Météo", params: "ville" });
  });

  it("a bot without commands gets an empty list", async () => {
    await hook(UNREGISTER, asBot({ commandId: 42 }));
    expect(resultOf(await hook(LIST, asBot()))).toEqual({ commands: [] });
  });

  it("refuses with the common bot checks", async () => {
    await expectRefused(LIST, { botId: 456 }, "BOT_TOKEN_NOT_SPECIFIED", 400);
    await expectRefused(LIST, { botToken: "my_bot_token" }, "BOT_ID_REQUIRED", 400);
    await expectRefused(LIST, asBot({ botId: 999 }), "BOT_NOT_FOUND", 400);
    await expectRefused(LIST, asBot({ botId: 457 }), "BOT_OWNERSHIP_ERROR", 400);
  });
});

describe("imbot.v2.Command.unregister", () => {
  it("removes the command; a late answer naming it is COMMAND_NOT_FOUND", async () => {
    const reply = await hook(UNREGISTER, asBot({ commandId: 42 }));
    expect(resultOf(reply)).toEqual({ result: true });
    expect(portal.commands[42]).toBeUndefined();
    expect(portal.commands[43]).toBeDefined();
    // A late answer to the removed command is refused.
    const late = await hook(ANSWER, asBot({ commandId: 42, messageId: 789, dialogId: "chat5", fields: { message: "late" } }));
    expect(late.body.error).toBe("COMMAND_NOT_FOUND");
  });

  it("answers bare `true` with booleanResultShape=bare; OAuth apps unregister too", async () => {
    app = createEmulator({ fixture: testFixture(), booleanResultShape: "bare" });
    client = restClient(app);
    const reply = await client.post(OAUTH + UNREGISTER, { auth: "emulator-token", botId: 456, commandId: "42" });
    expect(reply.status).toBe(200);
    expect(reply.body.result).toBe(true);
  });

  it("refusals change nothing", async () => {
    await expectRefused(UNREGISTER, { botId: 456, commandId: 42 }, "BOT_TOKEN_NOT_SPECIFIED", 400);
    await expectRefused(UNREGISTER, { botToken: "my_bot_token", commandId: 42 }, "BOT_ID_REQUIRED", 400);
    await expectRefused(UNREGISTER, asBot({ botId: 999, commandId: 42 }), "BOT_NOT_FOUND", 400);
    await expectRefused(UNREGISTER, asBot({ botToken: "other_bot_token", commandId: 42 }), "BOT_OWNERSHIP_ERROR", 400);
    await expectRefused(UNREGISTER, { auth: "other-token", botId: 456, commandId: 42 }, "BOT_OWNERSHIP_ERROR", 400, OAUTH);
    const missing = await expectRefused(UNREGISTER, asBot(), "ERROR_ARGUMENT", 400);
    expect(missing.body.error_description).toContain("commandId");
    await expectRefused(UNREGISTER, asBot({ commandId: 999 }), "COMMAND_NOT_FOUND", 400);
    await expectRefused(UNREGISTER, asBot({ commandId: 43 }), "COMMAND_NOT_FOUND", 400);
  });

  it("a second unregister of the same command is COMMAND_NOT_FOUND", async () => {
    expect((await hook(UNREGISTER, asBot({ commandId: 42 }))).status).toBe(200);
    await expectRefused(UNREGISTER, asBot({ commandId: 42 }), "COMMAND_NOT_FOUND", 400);
  });
});

describe("a registered command is callable at once", () => {
  it("a user types it, the bot gets COMMANDADD and answers; after rename and unregister it stops", async () => {
    const id = await register({ command: "weather", title: { en: "Weather" } });
    const control = new PortalControl(app.runtime, "default");

    const said = await control.userSays({ authorId: 1, dialogId: "chat5", text: "/weather Berlin" });
    expect(said.commands).toEqual([
      expect.objectContaining({ botId: 456, commandId: id, dialogId: "chat5", command: "/weather", params: "Berlin" }),
    ]);
    const messageId = said.commands[0]!.messageId;
    expect(portal.events.some((e) => e.botId === 456 && e.type === "ONIMBOTV2COMMANDADD")).toBe(true);

    const answered = await hook(ANSWER, asBot({ commandId: id, messageId, dialogId: "chat5", fields: { message: "Sunny" } }));
    expect(answered.status).toBe(200);
    expect(lastMessageIn(app, 5)).toMatchObject({ authorId: 456, text: "Sunny" });

    await hook(UPDATE, asBot({ commandId: id, fields: { command: "forecast" } }));
    expect((await control.userSays({ authorId: 1, dialogId: "chat5", text: "/weather" })).commands).toEqual([]);
    expect((await control.userSays({ authorId: 1, dialogId: "chat5", text: "/forecast" })).commands).toHaveLength(1);

    await hook(UNREGISTER, asBot({ commandId: id }));
    expect((await control.userSays({ authorId: 1, dialogId: "chat5", text: "/forecast" })).commands).toEqual([]);
  });
});
