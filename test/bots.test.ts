import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createEmulator, type EmulatorApp } from "../src/index.js";
import { PALETTE } from "../src/domain/palette.js";
import type { Portal } from "../src/store/state.js";
import { testFixture } from "./support/fixtures.js";
import { expectRefusal, restClient, snapshot, type Reply } from "./support/rest-client.js";

type Method = "register" | "update" | "get" | "list" | "unregister";
type Json = Record<string, unknown>;

const WEBHOOK = (method: Method) => `/rest/1/emulator/imbot.v2.Bot.${method}`;
const OAUTH = (method: Method) => `/rest/imbot.v2.Bot.${method}`;
const EMULATOR_APP = "local.emulator00000000.00000000";
const OTHER_APP = "local.other00000000.00000000";

/** After the 40-character token limit took effect (2026-08-06). */
const NOW = new Date("2026-09-01T12:00:00.000Z");
const BEFORE_TOKEN_LIMIT = new Date("2026-08-05T23:59:59.000Z");

let app: EmulatorApp;
let client: ReturnType<typeof restClient>;

function emulator(options: Parameters<typeof createEmulator>[0] = {}) {
  const created = createEmulator({ fixture: testFixture(), clock: () => NOW, ...options });
  return { app: created, client: restClient(created) };
}

beforeEach(() => {
  ({ app, client } = emulator());
});

const portal = (): Portal => app.store.state.portals.default!;

/** Webhook registration of a fresh bot owned by `token`. */
const registration = (fields: Json = {}, token = "weather_token"): Json => ({
  fields: { code: "weather_bot", botToken: token, properties: { name: "Weather", lastName: "Bot" }, ...fields },
});

async function register(fields: Json = {}, token = "weather_token"): Promise<Json> {
  const reply = await client.post(WEBHOOK("register"), registration(fields, token));
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply.body.result as Json;
}

const botOf = (result: Json) => result.bot as Json;
const usersOf = (result: Json) => result.users as Json[];

function expectRefused(url: string, params: Json, code: string, status = 400, target = app): Promise<Reply> {
  return expectRefusal(target, url, params, code, status);
}

// ---------------------------------------------------------------- tiny image headers (base64)

function png(width: number, height: number): string {
  const b = Buffer.alloc(33);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(b, 0);
  b.writeUInt32BE(13, 8);
  b.write("IHDR", 12, "latin1");
  b.writeUInt32BE(width, 16);
  b.writeUInt32BE(height, 20);
  b[24] = 8;
  b[25] = 6;
  return b.toString("base64");
}

function gif(width: number, height: number): string {
  const b = Buffer.alloc(16);
  b.write("GIF89a", 0, "latin1");
  b.writeUInt16LE(width, 6);
  b.writeUInt16LE(height, 8);
  return b.toString("base64");
}

function jpeg(width: number, height: number): string {
  const app0 = [0xff, 0xe0, 0x00, 0x10, ...Buffer.from("JFIF\0"), 1, 1, 0, 0, 1, 0, 1, 0, 0];
  const sof = [0xff, 0xc0, 0x00, 0x11, 8, height >> 8, height & 0xff, width >> 8, width & 0xff, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1];
  return Buffer.from([0xff, 0xd8, ...app0, ...sof, 0xff, 0xd9]).toString("base64");
}

function webp(width: number, height: number): string {
  const b = Buffer.alloc(30);
  b.write("RIFF", 0, "latin1");
  b.writeUInt32LE(22, 4);
  b.write("WEBPVP8X", 8, "latin1");
  b.writeUInt32LE(10, 16);
  b.writeUIntLE(width - 1, 24, 3);
  b.writeUIntLE(height - 1, 27, 3);
  return b.toString("base64");
}

function bmp(width: number, height: number): string {
  const b = Buffer.alloc(54);
  b.write("BM", 0, "latin1");
  b.writeUInt32LE(40, 14);
  b.writeInt32LE(width, 18);
  b.writeInt32LE(-height, 22);
  return b.toString("base64");
}

// ---------------------------------------------------------------- Bot.register

describe("imbot.v2.Bot.register", () => {
  it("registers a webhook bot and answers its extended view and its user", async () => {
    const before = portal().apps.length;
    const result = await register({
      properties: { name: "Weather", lastName: "Bot", workPosition: "Forecasts", color: "mint", gender: "f" },
      eventMode: "WEBHOOK",
      webhookUrl: "http://localhost:8080/bot",
      isHidden: "Y",
      backgroundId: "Azure",
    });
    expect(botOf(result)).toEqual({
      id: 458,
      code: "weather_bot",
      type: "bot",
      isHidden: true,
      isSupportOpenline: false,
      isReactionsEnabled: true,
      backgroundId: "azure",
      language: "en",
      moduleId: "rest",
      eventMode: "webhook",
      countMessage: 0,
      countCommand: 0,
      countChat: 0,
      countUser: 0,
    });
    expect(usersOf(result)).toHaveLength(1);
    expect(usersOf(result)[0]).toMatchObject({
      id: 458,
      active: true,
      name: "Weather Bot",
      firstName: "Weather",
      lastName: "Bot",
      workPosition: "Forecasts",
      color: "#4ba984",
      gender: "F",
      avatar: "",
      bot: true,
      type: "bot",
      externalAuthId: "bot",
    });

    const stored = portal().bots[458]!;
    expect(stored).toMatchObject({
      botToken: "weather_token",
      eventMode: "webhook",
      webhookUrl: "http://localhost:8080/bot",
      countMessage: 0,
      createdAt: NOW.toISOString(),
    });
    expect(portal().seq.user).toBe(458);
    expect(portal().users[458]).toMatchObject({ bot: true, active: true, firstName: "Weather" });

    // Spec OPEN-E9: a per-bot OAuth app signs and authorises the bot's webhook deliveries.
    expect(stored.clientId).toMatch(/^custom[0-9a-f]{12}$/);
    expect(stored.applicationToken).toMatch(/^[0-9a-f]{32}$/);
    expect(portal().apps).toHaveLength(before + 1);
    expect(portal().apps.find((a) => a.clientId === stored.clientId)).toEqual({
      clientId: stored.clientId,
      applicationToken: stored.applicationToken,
      scopes: ["imbot", "im"],
      tokens: [],
    });
  });

  it("lets an OAuth application register a fetch bot with the documented defaults", async () => {
    const apps = portal().apps.length;
    const reply = await client.post(OAUTH("register"), {
      auth: "emulator-token",
      fields: { code: "helper", botToken: "ignored under oauth", properties: { name: "Helper" } },
    });
    expect(reply.status).toBe(200);
    const result = reply.body.result as Json;
    expect(botOf(result)).toMatchObject({
      id: 458,
      type: "bot",
      eventMode: "fetch",
      isHidden: false,
      isReactionsEnabled: true,
      isSupportOpenline: false,
      backgroundId: null,
    });
    expect(usersOf(result)[0]).toMatchObject({ name: "Helper", lastName: "", workPosition: "", gender: "M" });
    expect(Object.values(PALETTE)).toContain(usersOf(result)[0]!.color);
    expect(portal().bots[458]).toMatchObject({
      clientId: EMULATOR_APP,
      botToken: null,
      applicationToken: "emulator-application-token",
      webhookUrl: null,
    });
    expect(portal().apps).toHaveLength(apps);

    const other = await client.post(OAUTH("register"), { auth: "other-token", fields: { code: "theirs", properties: { name: "T" } } });
    expect(botOf(other.body.result as Json).id).toBe(459);
    expect(portal().bots[459]).toMatchObject({ clientId: OTHER_APP, botToken: null, applicationToken: "other-application-token" });
  });

  it("takes the token from the top level too (quick-start form), the top level winning over fields.botToken", async () => {
    const top = await client.post(WEBHOOK("register"), {
      botToken: "top_token",
      fields: { code: "top_bot", properties: { name: "Top" } },
    });
    expect(top.status).toBe(200);
    expect(portal().bots[458]!.botToken).toBe("top_token");

    const both = await client.post(WEBHOOK("register"), {
      botToken: "top_token",
      fields: { code: "both_bot", botToken: "fields_token", properties: { name: "Both" } },
    });
    expect(both.status).toBe(200);
    expect(portal().bots[459]!.botToken).toBe("top_token");
  });

  it("reads the upper-case names the portal also reads: BOT_TOKEN, CODE, PROPERTIES.NAME, EVENT_MODE, BOT_ID", async () => {
    const upper = await client.post(WEBHOOK("register"), {
      fields: { BOT_TOKEN: "upper_token", CODE: "upper_bot", PROPERTIES: { NAME: "Upper", WORK_POSITION: "Caps" }, EVENT_MODE: "fetch", TYPE: "supervisor" },
    });
    expect(upper.status).toBe(200);
    const bot = portal().bots[458]!;
    expect(bot).toMatchObject({ code: "upper_bot", botToken: "upper_token", type: "supervisor", eventMode: "fetch" });
    expect(portal().users[458]).toMatchObject({ firstName: "Upper", workPosition: "Caps" });
    // BOT_ID and BOT_TOKEN at the top level identify the bot on every method; clientId works like botToken.
    const got = await client.post(WEBHOOK("get"), { BOT_ID: 458, BOT_TOKEN: "upper_token" });
    expect([got.status, (got.body.result as { bot: { id: number } }).bot.id]).toEqual([200, 458]);
    const viaClientId = await client.post(WEBHOOK("get"), { botId: 458, clientId: "upper_token" });
    expect(viaClientId.status).toBe(200);
    const camelWins = await client.post(WEBHOOK("get"), { botId: 458, BOT_ID: 456, botToken: "upper_token", BOT_TOKEN: "my_bot_token" });
    expect((camelWins.body.result as { bot: { id: number } }).bot.id).toBe(458);
  });

  it("reads a PHP-style form body, every value a string", async () => {
    const reply = await client.post(
      WEBHOOK("register"),
      {
        fields: {
          code: "form_bot",
          botToken: "form_token",
          properties: { name: "Form", color: "LIGHT_BLUE" },
          type: "SUPERVISOR",
          isReactionsEnabled: "N",
          isSupportOpenline: "Y",
        },
      },
      "form",
    );
    expect(reply.status).toBe(200);
    const result = reply.body.result as Json;
    expect(botOf(result)).toMatchObject({ type: "supervisor", isReactionsEnabled: false, isSupportOpenline: true });
    expect(usersOf(result)[0]!.color).toBe("#4ba5c3");
  });

  it("gives back the same bot, unchanged, when the owner registers a code again", async () => {
    const first = await register({ properties: { name: "Weather" }, type: "personal" });
    const before = snapshot(app);
    const again = await client.post(
      WEBHOOK("register"),
      registration({ properties: { name: "Renamed" }, type: "supervisor", eventMode: "webhook", webhookUrl: "https://localhost:8443/x" }),
    );
    expect(again.status).toBe(200);
    expect(again.body.result).toEqual(first);
    expect(snapshot(app)).toBe(before);
  });

  it("is idempotent for OAuth owners as well, and for the default bot under either owner", async () => {
    const oauth = await client.post(OAUTH("register"), {
      auth: "emulator-token",
      fields: { code: "support_bot", properties: { name: "Whatever" } },
    });
    expect(oauth.status).toBe(200);
    expect(botOf(oauth.body.result as Json)).toMatchObject({ id: 456, code: "support_bot", moduleId: "rest" });
    const webhook = await client.post(WEBHOOK("register"), registration({ code: "support_bot" }, "my_bot_token"));
    expect(webhook.status).toBe(200);
    expect(botOf(webhook.body.result as Json).id).toBe(456);
    expect(Object.keys(portal().bots)).toEqual(["456", "457"]);
  });

  it("accepts every bot type in any case, network included", async () => {
    const types = ["bot", "Supervisor", "PERSONAL", "openline", "network"];
    for (const [i, type] of types.entries()) {
      const result = await register({ code: `typed_${i}`, type });
      expect(botOf(result).type).toBe(type.toLowerCase());
    }
  });

  it("normalises backgroundId to the nine ids, anything else to null", async () => {
    expect(botOf(await register({ code: "b1", backgroundId: "PEACH" })).backgroundId).toBe("peach");
    expect(botOf(await register({ code: "b2", backgroundId: "purple" })).backgroundId).toBeNull();
  });

  it("keeps unknown background text verbatim with restRevision below 34", async () => {
    ({ app, client } = emulator({ restRevision: 33 }));
    expect(botOf(await register({ backgroundId: "purple" })).backgroundId).toBe("purple");
  });

  it("maps palette codes to HEX and picks a palette colour for an unknown one", async () => {
    expect(usersOf(await register({ code: "c1", properties: { name: "C", color: "graphite" } }))[0]!.color).toBe("#5e5f5e");
    const picked = usersOf(await register({ code: "c2", properties: { name: "C", color: "#123456" } }))[0]!.color;
    expect(Object.values(PALETTE)).toContain(picked);
  });

  it("ignores webhookUrl in fetch mode, without checking it", async () => {
    await register({ webhookUrl: "not a url" });
    expect(portal().bots[458]).toMatchObject({ eventMode: "fetch", webhookUrl: null });
  });

  it("accepts PNG, JPEG, GIF, WEBP and BMP avatars and stores only a placeholder URL", async () => {
    const images = { png: png(64, 64), jpg: jpeg(5000, 5000), gif: gif(1, 1), webp: webp(300, 200), bmp: bmp(16, 16) };
    for (const [format, avatar] of Object.entries(images)) {
      const result = await register({ code: `avatar_${format}`, properties: { name: "Pic", avatar } });
      const id = botOf(result).id as number;
      expect(usersOf(result)[0]!.avatar).toBe(`https://emulator.bitrix24.com/upload/emulator/bot-avatar/${id}.${format}`);
    }
    // CRest's [fileName, base64] form
    const pair = await register({ code: "avatar_pair", properties: { name: "Pic", avatar: ["me.png", png(10, 10)] } });
    expect(usersOf(pair)[0]!.avatar).toMatch(/\.png$/);
  });

  describe("refusals, each leaving the store untouched", () => {
    it("BOT_TOKEN_NOT_SPECIFIED: a webhook call without a token anywhere", async () => {
      await expectRefused(WEBHOOK("register"), { fields: { code: "x", properties: { name: "X" } } }, "BOT_TOKEN_NOT_SPECIFIED");
      await expectRefused(WEBHOOK("register"), registration({}, "   "), "BOT_TOKEN_NOT_SPECIFIED");
      await expectRefused(WEBHOOK("register"), {}, "BOT_TOKEN_NOT_SPECIFIED");
    });

    it("CLIENT_ID_NOT_SPECIFIED instead with restRevision below 34", async () => {
      const old = emulator({ restRevision: 33 }).app;
      await expectRefused(WEBHOOK("register"), { fields: { code: "x", properties: { name: "X" } } }, "CLIENT_ID_NOT_SPECIFIED", 400, old);
    });

    it("BOT_TOKEN_INVALID_LENGTH: a token over 40 characters, also on an idempotent re-register", async () => {
      await expectRefused(WEBHOOK("register"), registration({}, "t".repeat(41)), "BOT_TOKEN_INVALID_LENGTH");
      // 40 characters (code points) is fine.
      await register({}, "é".repeat(40));
      await expectRefused(WEBHOOK("register"), registration({ code: "support_bot" }, "m".repeat(41)), "BOT_TOKEN_INVALID_LENGTH");
    });

    it("accepts long tokens before 2026-08-06, with restRevision 35, and under OAuth (ignored)", async () => {
      ({ app, client } = emulator({ clock: () => BEFORE_TOKEN_LIMIT }));
      await register({}, "t".repeat(64));
      ({ app, client } = emulator({ restRevision: 35 }));
      await register({}, "t".repeat(64));
      const oauth = await client.post(OAUTH("register"), {
        auth: "emulator-token",
        fields: { code: "long", botToken: "t".repeat(64), properties: { name: "L" } },
      });
      expect(oauth.status).toBe(200);
    });

    it("BOT_CODE_REQUIRED: no code, or only blanks", async () => {
      await expectRefused(WEBHOOK("register"), registration({ code: undefined }), "BOT_CODE_REQUIRED");
      await expectRefused(WEBHOOK("register"), registration({ code: "  ", properties: undefined }), "BOT_CODE_REQUIRED");
      await expectRefused(OAUTH("register"), { auth: "emulator-token" }, "BOT_CODE_REQUIRED");
    });

    it("BOT_PROPERTIES_REQUIRED: no properties, or no name in them", async () => {
      await expectRefused(WEBHOOK("register"), registration({ properties: undefined }), "BOT_PROPERTIES_REQUIRED");
      await expectRefused(WEBHOOK("register"), registration({ properties: { lastName: "Bot" } }), "BOT_PROPERTIES_REQUIRED");
      await expectRefused(WEBHOOK("register"), registration({ properties: { name: " " } }), "BOT_PROPERTIES_REQUIRED");
      await expectRefused(WEBHOOK("register"), registration({ properties: "Weather" }), "BOT_PROPERTIES_REQUIRED");
    });

    it("BOT_INVALID_EVENT_MODE: neither fetch nor webhook", async () => {
      await expectRefused(WEBHOOK("register"), registration({ eventMode: "push", type: "nope" }), "BOT_INVALID_EVENT_MODE");
      await expectRefused(WEBHOOK("register"), registration({ eventMode: "" }), "BOT_INVALID_EVENT_MODE");
    });

    it("BOT_WEBHOOK_URL_REQUIRED: webhook mode without a URL", async () => {
      await expectRefused(WEBHOOK("register"), registration({ eventMode: "webhook" }), "BOT_WEBHOOK_URL_REQUIRED");
      await expectRefused(WEBHOOK("register"), registration({ eventMode: "webhook", webhookUrl: " " }), "BOT_WEBHOOK_URL_REQUIRED");
    });

    it("BOT_CODE_ALREADY_TAKEN: the code belongs to another token or application", async () => {
      await expectRefused(WEBHOOK("register"), registration({ code: "support_bot", type: "nope" }), "BOT_CODE_ALREADY_TAKEN");
      await expectRefused(
        OAUTH("register"),
        { auth: "other-token", fields: { code: "support_bot", properties: { name: "Mine" } } },
        "BOT_CODE_ALREADY_TAKEN",
      );
      await register({ code: "webhook_owned" });
      await expectRefused(
        OAUTH("register"),
        { auth: "emulator-token", fields: { code: "webhook_owned", properties: { name: "Mine" } } },
        "BOT_CODE_ALREADY_TAKEN",
      );
    });

    it("BOT_LIMIT_EXCEEDED: the 101st bot of one owner; other owners and re-registers still pass", async () => {
      for (let i = 0; i < 100; i++) await register({ code: `bulk_${i}` }, "bulk_token");
      await expectRefused(WEBHOOK("register"), registration({ code: "bulk_100" }, "bulk_token"), "BOT_LIMIT_EXCEEDED");
      expect(botOf(await register({ code: "bulk_7" }, "bulk_token")).code).toBe("bulk_7");
      await register({ code: "someone_else" }, "another_token");
      expect(Object.values(portal().bots).filter((b) => b.botToken === "bulk_token")).toHaveLength(100);
    });

    it("BOT_INVALID_TYPE: an unknown or empty type", async () => {
      await expectRefused(WEBHOOK("register"), registration({ type: "assistant", webhookUrl: "bad" }), "BOT_INVALID_TYPE");
      await expectRefused(WEBHOOK("register"), registration({ type: "" }), "BOT_INVALID_TYPE");
    });

    it("BOT_INVALID_CALLBACK: a webhook URL that is not absolute http(s)", async () => {
      for (const webhookUrl of ["ftp://example.com/bot", "example.com/bot", "/relative", "http://", "https://a b.example"]) {
        await expectRefused(
          WEBHOOK("register"),
          registration({ eventMode: "webhook", webhookUrl, properties: { name: "W", avatar: "!!" } }),
          "BOT_INVALID_CALLBACK",
        );
      }
    });

    it("BOT_AVATAR_INCORRECT_TYPE: not base64 of an image", async () => {
      const avatars = [
        Buffer.from("hello, not an image").toString("base64"),
        `data:image/png;base64,${png(10, 10)}`,
        "***",
        42,
        { file: png(10, 10) },
      ];
      for (const avatar of avatars) {
        await expectRefused(WEBHOOK("register"), registration({ properties: { name: "P", avatar } }), "BOT_AVATAR_INCORRECT_TYPE");
      }
    });

    it("BOT_AVATAR_INCORRECT_SIZE: wider or taller than 5000 px, or no readable size", async () => {
      for (const avatar of [png(5001, 10), gif(10, 6000), jpeg(5001, 5001), webp(10, 5001), bmp(8000, 1), png(10, 10).slice(0, 20)]) {
        await expectRefused(WEBHOOK("register"), registration({ properties: { name: "P", avatar } }), "BOT_AVATAR_INCORRECT_SIZE");
      }
    });
  });
});

// ---------------------------------------------------------------- Bot.update

describe("imbot.v2.Bot.update", () => {
  const update = (fields: unknown, extra: Json = {}) => ({ botId: 456, botToken: "my_bot_token", fields, ...extra });

  it("changes only the keys given and answers the extended bot with its user", async () => {
    const reply = await client.post(WEBHOOK("update"), update({ properties: { workPosition: "Helpdesk" }, isHidden: true }));
    expect(reply.status).toBe(200);
    const result = reply.body.result as Json;
    expect(botOf(result)).toMatchObject({ id: 456, code: "support_bot", isHidden: true, isReactionsEnabled: true, moduleId: "rest" });
    expect(usersOf(result)[0]).toMatchObject({ id: 456, firstName: "Support Bot", workPosition: "Helpdesk", lastName: "" });
    expect(portal().bots[456]).toMatchObject({ isHidden: true, isSupportOpenline: false, eventMode: "fetch", type: "bot" });

    const id = botOf(await register({ properties: { name: "Weather", lastName: "Bot", workPosition: "Forecasts", color: "lime" } })).id;
    await client.post(WEBHOOK("update"), { botId: id, botToken: "weather_token", fields: { properties: { gender: "F" } } });
    expect(portal().users[id as number]).toMatchObject({
      firstName: "Weather",
      lastName: "Bot",
      workPosition: "Forecasts",
      color: "#58cc47",
      gender: "F",
    });
  });

  it("answers the bot unchanged when fields is absent or empty", async () => {
    const before = snapshot(app);
    const reply = await client.post(WEBHOOK("update"), { botId: 456, botToken: "my_bot_token" });
    expect(reply.status).toBe(200);
    expect(botOf(reply.body.result as Json).id).toBe(456);
    expect((await client.post(OAUTH("update"), { auth: "emulator-token", botId: 456, fields: {} })).status).toBe(200);
    expect(snapshot(app)).toBe(before);
  });

  it("ignores code and type, an invalid colour or gender, and a blank name", async () => {
    const before = structuredClone(portal().users[456]);
    const reply = await client.post(
      WEBHOOK("update"),
      update({ code: "renamed", type: "supervisor", properties: { name: " ", color: "chartreuse", gender: "X" } }),
    );
    expect(reply.status).toBe(200);
    expect(portal().bots[456]).toMatchObject({ code: "support_bot", type: "bot" });
    expect(portal().users[456]).toEqual(before);
  });

  it("changes the user record: name, last name, colour, gender and avatar", async () => {
    const reply = await client.post(
      OAUTH("update"),
      { auth: "emulator-token", botId: 456, fields: { properties: { name: "Helper", lastName: "Desk", color: "pink", gender: "F", avatar: gif(5, 5) } } },
    );
    expect(reply.status).toBe(200);
    expect(usersOf(reply.body.result as Json)[0]).toMatchObject({
      name: "Helper Desk",
      color: "#f76187",
      gender: "F",
      avatar: "https://emulator.bitrix24.com/upload/emulator/bot-avatar/456.gif",
    });
  });

  it("sets, normalises and resets backgroundId", async () => {
    await client.post(WEBHOOK("update"), update({ backgroundId: "Teal" }));
    expect(portal().bots[456]!.backgroundId).toBe("teal");
    await client.post(WEBHOOK("update"), update({ backgroundId: null }));
    expect(portal().bots[456]!.backgroundId).toBeNull();
  });

  it("switches to webhook mode with a URL, back to fetch, and to webhook again with the stored URL", async () => {
    const toWebhook = await client.post(WEBHOOK("update"), update({ eventMode: "Webhook", webhookUrl: "https://bot.localhost/hook" }));
    expect(botOf(toWebhook.body.result as Json).eventMode).toBe("webhook");
    expect(portal().bots[456]).toMatchObject({ eventMode: "webhook", webhookUrl: "https://bot.localhost/hook" });
    await client.post(WEBHOOK("update"), update({ eventMode: "fetch" }));
    expect(portal().bots[456]).toMatchObject({ eventMode: "fetch", webhookUrl: "https://bot.localhost/hook" });
    const again = await client.post(WEBHOOK("update"), update({ eventMode: "webhook" }));
    expect(again.status).toBe(200);
    expect(portal().bots[456]!.eventMode).toBe("webhook");
  });

  describe("token rotation", () => {
    it("moves ownership to the new token at once; the old one gets BOT_OWNERSHIP_ERROR", async () => {
      const id = botOf(await register({ eventMode: "webhook", webhookUrl: "https://bot.localhost/hook" }, "old_token")).id;
      const stored = portal().bots[id as number]!;
      const signing = stored.applicationToken;

      const rotated = await client.post(WEBHOOK("update"), { botId: id, botToken: "old_token", fields: { botToken: " new_token " } });
      expect(rotated.status).toBe(200);
      expect(stored.botToken).toBe("new_token");

      await expectRefused(WEBHOOK("update"), { botId: id, botToken: "old_token", fields: {} }, "BOT_OWNERSHIP_ERROR");
      await expectRefused(WEBHOOK("unregister"), { botId: id, botToken: "old_token" }, "BOT_OWNERSHIP_ERROR");
      const asOld = await client.post(WEBHOOK("get"), { botId: id, botToken: "old_token" });
      expect(botOf(asOld.body.result as Json)).not.toHaveProperty("moduleId");
      const asNew = await client.post(WEBHOOK("get"), { botId: id, botToken: "new_token" });
      expect(botOf(asNew.body.result as Json)).toMatchObject({ id, moduleId: "rest" });

      // Spec OPEN-E9: the webhook-registered bot's deliveries are signed with a fresh token.
      expect(stored.applicationToken).not.toBe(signing);
      expect(stored.applicationToken).toMatch(/^[0-9a-f]{32}$/);
      expect(portal().apps.find((a) => a.clientId === stored.clientId)!.applicationToken).toBe(stored.applicationToken);
    });

    it("keeps an OAuth app's signing token when a bot it shares rotates its botToken", async () => {
      const reply = await client.post(WEBHOOK("update"), update({ botToken: "fresh_token" }));
      expect(reply.status).toBe(200);
      expect(portal().bots[456]).toMatchObject({ botToken: "fresh_token", applicationToken: "emulator-application-token" });
      expect(portal().apps.find((a) => a.clientId === EMULATOR_APP)!.applicationToken).toBe("emulator-application-token");
    });

    it("ignores a blank new token, the current token, and any token with restRevision below 35", async () => {
      const before = snapshot(app);
      expect((await client.post(WEBHOOK("update"), update({ botToken: "  " }))).status).toBe(200);
      expect((await client.post(WEBHOOK("update"), update({ botToken: "my_bot_token" }))).status).toBe(200);
      expect(snapshot(app)).toBe(before);

      ({ app, client } = emulator({ restRevision: 34 }));
      expect((await client.post(WEBHOOK("update"), update({ botToken: "x".repeat(50) }))).status).toBe(200);
      expect(portal().bots[456]!.botToken).toBe("my_bot_token");
    });

    it("lets the per-bot app's OAuth token act for a webhook-registered bot, rotation included", async () => {
      const id = botOf(await register({}, "hook_token")).id as number;
      const synthetic = portal().apps.find((a) => a.clientId === portal().bots[id]!.clientId)!;
      synthetic.tokens.push({ accessToken: "minted-for-delivery", userId: 1, expiresAt: null });

      const get = await client.post(OAUTH("get"), { auth: "minted-for-delivery", botId: id });
      expect(botOf(get.body.result as Json)).toHaveProperty("moduleId", "rest");
      const list = await client.post(OAUTH("list"), { auth: "minted-for-delivery" });
      expect((list.body.result as Json).bots).toEqual([expect.objectContaining({ id })]);
      const rotate = await client.post(OAUTH("update"), { auth: "minted-for-delivery", botId: id, fields: { botToken: "hook_token_2" } });
      expect(rotate.status).toBe(200);
      expect(portal().bots[id]!.botToken).toBe("hook_token_2");
    });
  });

  describe("refusals, each leaving the store untouched", () => {
    it("the common bot checks, in order", async () => {
      await expectRefused(WEBHOOK("update"), { botId: 456, fields: {} }, "BOT_TOKEN_NOT_SPECIFIED");
      await expectRefused(WEBHOOK("update"), update({}, { botId: 0 }), "BOT_ID_REQUIRED");
      await expectRefused(WEBHOOK("update"), update({}, { botId: "abc" }), "BOT_ID_REQUIRED");
      await expectRefused(WEBHOOK("update"), update({}, { botId: 999 }), "BOT_NOT_FOUND");
      await expectRefused(WEBHOOK("update"), update({}, { botToken: "other_bot_token" }), "BOT_OWNERSHIP_ERROR");
      await expectRefused(OAUTH("update"), { auth: "other-token", botId: 456, fields: {} }, "BOT_OWNERSHIP_ERROR");
      await expectRefused(OAUTH("update"), { auth: "emulator-token", fields: {} }, "BOT_ID_REQUIRED");
    });

    it("CLIENT_ID_NOT_SPECIFIED instead of BOT_TOKEN_NOT_SPECIFIED with restRevision below 34", async () => {
      const old = emulator({ restRevision: 33 }).app;
      await expectRefused(WEBHOOK("update"), { botId: 456, fields: {} }, "CLIENT_ID_NOT_SPECIFIED", 400, old);
    });

    it("ERROR_ARGUMENT: fields or fields.properties that is not an object", async () => {
      await expectRefused(WEBHOOK("update"), update("isHidden=Y"), "ERROR_ARGUMENT");
      await expectRefused(WEBHOOK("update"), update({ properties: "Helper", isHidden: true }), "ERROR_ARGUMENT");
    });

    it("BOT_AVATAR_INCORRECT_TYPE and BOT_AVATAR_INCORRECT_SIZE", async () => {
      const bad = Buffer.from("plain text").toString("base64");
      await expectRefused(WEBHOOK("update"), update({ properties: { name: "N", avatar: bad }, eventMode: "x" }), "BOT_AVATAR_INCORRECT_TYPE");
      await expectRefused(WEBHOOK("update"), update({ properties: { avatar: png(5000, 5001) } }), "BOT_AVATAR_INCORRECT_SIZE");
    });

    it("BOT_INVALID_EVENT_MODE", async () => {
      await expectRefused(WEBHOOK("update"), update({ eventMode: "push", isHidden: true }), "BOT_INVALID_EVENT_MODE");
    });

    it("BOT_TOKEN_INVALID_LENGTH: a new token over 40 characters", async () => {
      await expectRefused(WEBHOOK("update"), update({ botToken: "x".repeat(41), webhookUrl: "bad" }), "BOT_TOKEN_INVALID_LENGTH");
    });

    it("BOT_TOKEN_ROTATION_FAILED: another bot's token, or an ordinary OAuth application rotating", async () => {
      await expectRefused(WEBHOOK("update"), update({ botToken: "other_bot_token", isHidden: true }), "BOT_TOKEN_ROTATION_FAILED");
      await expectRefused(
        OAUTH("update"),
        { auth: "emulator-token", botId: 456, fields: { botToken: "new_one", isHidden: true } },
        "BOT_TOKEN_ROTATION_FAILED",
      );
    });

    it("BOT_INVALID_CALLBACK: a new webhook URL that is not absolute http(s)", async () => {
      await expectRefused(WEBHOOK("update"), update({ webhookUrl: "mailto:bot@example.com" }), "BOT_INVALID_CALLBACK");
    });

    it("BOT_WEBHOOK_URL_REQUIRED: switching to webhook with no URL given or stored", async () => {
      await expectRefused(WEBHOOK("update"), update({ eventMode: "webhook", isHidden: true }), "BOT_WEBHOOK_URL_REQUIRED");
    });
  });
});

// ---------------------------------------------------------------- Bot.get

describe("imbot.v2.Bot.get", () => {
  it("shows the owner the extended bot by id", async () => {
    const reply = await client.post(WEBHOOK("get"), { botId: 456, botToken: "my_bot_token" });
    expect(reply.status).toBe(200);
    const result = reply.body.result as Json;
    expect(botOf(result)).toEqual({
      id: 456,
      code: "support_bot",
      type: "bot",
      isHidden: false,
      isSupportOpenline: false,
      isReactionsEnabled: true,
      backgroundId: null,
      language: "en",
      moduleId: "rest",
      eventMode: "fetch",
      countMessage: 0,
      countCommand: 1,
      countChat: 1,
      countUser: 1,
    });
    expect(usersOf(result)).toEqual([expect.objectContaining({ id: 456, name: "Support Bot", bot: true })]);
  });

  it("finds a bot by code, and shows anyone else's bot in the brief view", async () => {
    const own = await client.post(OAUTH("get"), { auth: "emulator-token", code: "support_bot" });
    expect(botOf(own.body.result as Json)).toMatchObject({ id: 456, eventMode: "fetch" });
    const foreign = await client.post(OAUTH("get"), { auth: "emulator-token", code: "other_bot" });
    expect(foreign.status).toBe(200);
    expect(Object.keys(botOf(foreign.body.result as Json)).sort()).toEqual(
      ["backgroundId", "code", "id", "isHidden", "isReactionsEnabled", "isSupportOpenline", "language", "type"],
    );
    const wrongToken = await client.post(WEBHOOK("get"), { botId: 456, botToken: "not_the_token" });
    expect(wrongToken.status).toBe(200);
    expect(botOf(wrongToken.body.result as Json)).not.toHaveProperty("eventMode");
  });

  it("prefers botId over code", async () => {
    const reply = await client.post(WEBHOOK("get"), { botId: 457, code: "support_bot", botToken: "my_bot_token" });
    expect(botOf(reply.body.result as Json).id).toBe(457);
  });

  it("refuses: BOT_TOKEN_NOT_SPECIFIED, CLIENT_ID_NOT_SPECIFIED, PARAMS_REQUIRED, BOT_NOT_FOUND", async () => {
    await expectRefused(WEBHOOK("get"), { botId: 456 }, "BOT_TOKEN_NOT_SPECIFIED");
    await expectRefused(WEBHOOK("get"), { botId: 456 }, "CLIENT_ID_NOT_SPECIFIED", 400, emulator({ restRevision: 33 }).app);
    await expectRefused(WEBHOOK("get"), { botToken: "my_bot_token" }, "PARAMS_REQUIRED");
    await expectRefused(OAUTH("get"), { auth: "emulator-token", botId: "x", code: " " }, "PARAMS_REQUIRED");
    await expectRefused(WEBHOOK("get"), { botId: 999, botToken: "my_bot_token" }, "BOT_NOT_FOUND");
    await expectRefused(OAUTH("get"), { auth: "emulator-token", code: "no_such_bot" }, "BOT_NOT_FOUND");
  });
});

// ---------------------------------------------------------------- Bot.list

describe("imbot.v2.Bot.list", () => {
  const list = async (url: string, params: Json) => {
    const reply = await client.post(url, params);
    expect(reply.status).toBe(200);
    return reply.body.result as { bots: Json[]; users: Json[]; hasNextPage: boolean };
  };
  const ids = (bots: Json[]) => bots.map((b) => b.id);

  it("lists only the caller's bots: by application under OAuth, by token under webhook auth", async () => {
    const mine = await list(OAUTH("list"), { auth: "emulator-token" });
    expect(ids(mine.bots)).toEqual([456]);
    expect(mine.bots[0]).toHaveProperty("moduleId", "rest");
    expect(ids(mine.users)).toEqual([456]);
    expect(mine.hasNextPage).toBe(false);
    expect(ids((await list(OAUTH("list"), { auth: "other-token" })).bots)).toEqual([457]);
    expect(ids((await list(WEBHOOK("list"), { botToken: "other_bot_token" })).bots)).toEqual([457]);
    expect(await list(WEBHOOK("list"), { botToken: "nobody's" })).toEqual({ bots: [], users: [], hasNextPage: false });
  });

  it("pages with limit and offset; a full page says hasNextPage, even the last one", async () => {
    for (const code of ["a", "b", "c"]) await register({ code }, "pager");
    const first = await list(WEBHOOK("list"), { botToken: "pager", limit: 2 });
    expect(ids(first.bots)).toEqual([458, 459]);
    expect(ids(first.users)).toEqual([458, 459]);
    expect(first.hasNextPage).toBe(true);
    const second = await list(WEBHOOK("list"), { botToken: "pager", limit: "2", offset: "2" });
    expect(ids(second.bots)).toEqual([460]);
    expect(second.hasNextPage).toBe(false);
    const exact = await list(WEBHOOK("list"), { botToken: "pager", limit: 3 });
    expect(exact.hasNextPage).toBe(true);
    expect(await list(WEBHOOK("list"), { botToken: "pager", limit: 3, offset: 3 })).toEqual({ bots: [], users: [], hasNextPage: false });
    const defaults = await list(WEBHOOK("list"), { botToken: "pager", limit: 0, offset: -5 });
    expect(ids(defaults.bots)).toEqual([458, 459, 460]);
    expect(defaults.hasNextPage).toBe(false);
  });

  it("caps limit at 100", async () => {
    for (let i = 0; i < 100; i++) await register({ code: `cap_${i}` }, "cap_token");
    const page = await list(WEBHOOK("list"), { botToken: "cap_token", limit: 500 });
    expect(page.bots).toHaveLength(100);
    expect(page.hasNextPage).toBe(true);
  });

  it("filters by type (any case); an unknown type gives an empty list", async () => {
    await register({ code: "s1", type: "supervisor" }, "typed");
    await register({ code: "b1" }, "typed");
    const supervisors = await list(WEBHOOK("list"), { botToken: "typed", filter: { type: "SUPERVISOR" } });
    expect(supervisors.bots.map((b) => b.code)).toEqual(["s1"]);
    expect((await list(WEBHOOK("list"), { botToken: "typed", filter: { type: "robot" } })).bots).toEqual([]);
    expect((await list(WEBHOOK("list"), { botToken: "typed", filter: { type: "" } })).bots).toHaveLength(2);
  });

  it("refuses a webhook call without a token: BOT_TOKEN_NOT_SPECIFIED, or CLIENT_ID_NOT_SPECIFIED below revision 34", async () => {
    await expectRefused(WEBHOOK("list"), {}, "BOT_TOKEN_NOT_SPECIFIED");
    await expectRefused(WEBHOOK("list"), { botToken: "" }, "CLIENT_ID_NOT_SPECIFIED", 400, emulator({ restRevision: 33 }).app);
  });
});

// ---------------------------------------------------------------- Bot.unregister

describe("imbot.v2.Bot.unregister", () => {
  let server: Server | undefined;

  afterEach(async () => {
    await app.runtime.dispatcher.idle();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });

  it("deletes a fetch bot with its commands, windows and unread events, leaving DELETE as its last event", async () => {
    portal().events.push({ eventId: ++portal().seq.event, botId: 456, type: "ONIMBOTV2MESSAGEADD", date: NOW.toISOString(), data: {} });
    portal().events.push({ eventId: ++portal().seq.event, botId: 457, type: "ONIMBOTV2MESSAGEADD", date: NOW.toISOString(), data: {} });

    portal().chats[5]!.managers.push(456);

    const reply = await client.post(WEBHOOK("unregister"), { botId: 456, botToken: "my_bot_token" });
    expect(reply.status).toBe(200);
    expect(reply.body.result).toEqual({ result: true });

    const p = portal();
    expect(p.bots[456]).toBeUndefined();
    expect(p.commands[42]).toBeUndefined();
    expect(p.commands[43]).toBeDefined();
    expect(p.answerGrants.filter((g) => g.botId === 456)).toEqual([]);
    expect(Object.values(p.chats).filter((c) => c.members.includes(456))).toEqual([]);
    expect(p.chats[5]!.members).toEqual([1]);
    expect(p.chats[5]!.managers).not.toContain(456);
    expect(p.users[456]).toMatchObject({ active: false, bot: true, firstName: "Support Bot" });
    expect(p.messages[789]).toBeDefined();

    const own = p.events.filter((e) => e.botId === 456);
    expect(own).toHaveLength(1);
    expect(own[0]).toMatchObject({ type: "ONIMBOTV2DELETE", date: NOW.toISOString() });
    expect(own[0]!.data.bot).toMatchObject({ id: 456, code: "support_bot", countCommand: 1 });
    expect(p.events.filter((e) => e.botId === 457)).toHaveLength(1);
  });

  it("deletes the bot's 1:1 dialogs with their messages, as the portal deletes the bot's user", async () => {
    const sent = await client.post("/rest/im.message.add", { auth: "emulator-token", DIALOG_ID: "456", MESSAGE: "hello bot" });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    const before = (await client.post("/rest/im.dialog.messages.get", { auth: "emulator-token", DIALOG_ID: "456" })).body.result as { messages: Json[] };
    expect(before.messages.map((m) => m.id)).toContain(sent.body.result);

    await client.post(WEBHOOK("unregister"), { botId: 456, botToken: "my_bot_token" });
    await expectRefused("/rest/im.dialog.messages.get", { auth: "emulator-token", DIALOG_ID: "456" }, "ACCESS_ERROR", 400);
    expect(portal().messages[sent.body.result as number]).toBeUndefined();
    expect(portal().messages[789]).toBeDefined();
  });

  it("frees the code and refuses the deleted bot afterwards with BOT_NOT_FOUND", async () => {
    await client.post(OAUTH("unregister"), { auth: "emulator-token", botId: 456 });
    await expectRefused(WEBHOOK("get"), { botId: 456, botToken: "my_bot_token" }, "BOT_NOT_FOUND");
    await expectRefused(WEBHOOK("unregister"), { botId: 456, botToken: "my_bot_token" }, "BOT_NOT_FOUND");
    expect((await client.post(OAUTH("list"), { auth: "emulator-token" })).body.result).toEqual({ bots: [], users: [], hasNextPage: false });
    const again = await client.post(OAUTH("register"), { auth: "emulator-token", fields: { code: "support_bot", properties: { name: "New" } } });
    expect(botOf(again.body.result as Json).id).toBe(458);
  });

  it("answers bare true with booleanResultShape=bare", async () => {
    ({ app, client } = emulator({ booleanResultShape: "bare" }));
    const reply = await client.post(WEBHOOK("unregister"), { botId: 456, botToken: "my_bot_token" });
    expect(reply.body.result).toBe(true);
  });

  it("posts ONIMBOTV2DELETE to a webhook bot's handler", async () => {
    const received: string[] = [];
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => {
        received.push(body);
        res.end("ok");
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", () => resolve()));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/bot`;
    const id = botOf(await register({ eventMode: "webhook", webhookUrl: url }, "hooked")).id as number;
    const signing = portal().bots[id]!.applicationToken;

    const reply = await client.post(WEBHOOK("unregister"), { botId: id, botToken: "hooked" });
    expect(reply.status).toBe(200);
    await app.runtime.dispatcher.idle();
    expect(received).toHaveLength(1);
    const form = new URLSearchParams(received[0]);
    expect(form.get("event")).toBe("ONIMBOTV2DELETE");
    expect(form.get("data[bot][id]")).toBe(String(id));
    expect(form.get("auth[application_token]")).toBe(signing);
    expect(portal().events.filter((e) => e.botId === id)).toEqual([]);
  });

  it("refuses with the common checks, in order", async () => {
    await expectRefused(WEBHOOK("unregister"), { botId: 456 }, "BOT_TOKEN_NOT_SPECIFIED");
    await expectRefused(WEBHOOK("unregister"), { botId: 456 }, "CLIENT_ID_NOT_SPECIFIED", 400, emulator({ restRevision: 33 }).app);
    await expectRefused(WEBHOOK("unregister"), { botToken: "my_bot_token" }, "BOT_ID_REQUIRED");
    await expectRefused(WEBHOOK("unregister"), { botId: 999, botToken: "my_bot_token" }, "BOT_NOT_FOUND");
    await expectRefused(WEBHOOK("unregister"), { botId: 457, botToken: "my_bot_token" }, "BOT_OWNERSHIP_ERROR");
    await expectRefused(OAUTH("unregister"), { auth: "other-token", botId: 456 }, "BOT_OWNERSHIP_ERROR");
  });

  it("answers BOT_OWNERSHIP_ERROR with 403 when statusOverrides moves it", async () => {
    const strict = emulator({ statusOverrides: { BOT_OWNERSHIP_ERROR: 403 } }).app;
    await expectRefused(OAUTH("unregister"), { auth: "other-token", botId: 456 }, "BOT_OWNERSHIP_ERROR", 403, strict);
  });
});
