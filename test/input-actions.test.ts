/* eslint-disable @typescript-eslint/no-explicit-any -- reads wire JSON the way a test would */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../src/index.js";
import { freshPortal as portalOf } from "./support/fresh-portal.js";

/** "The bot showed typing": the control API's view of Chat.InputAction.notify, on the portal's clock. */
let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.close();
});

async function freshPortal() {
  const { http, rest, control } = await portalOf(emulator);
  const notify = async (params: Record<string, unknown>) => {
    const reply = await rest("imbot.v2.Chat.InputAction.notify", params);
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  };
  const typing = async () => {
    const reply = await control("GET", "/input-actions");
    expect(reply.status).toBe(200);
    return (reply.body as any).inputActions as Record<string, unknown>[];
  };
  const advance = async (advanceSeconds: number) => expect((await control("POST", "/clock", { advanceSeconds })).status).toBe(200);
  return { http, notify, typing, advance };
}

describe("GET /_emulator/portals/{id}/input-actions", () => {
  it("is empty until a bot notifies, then names the chat, the bot, the status and when it lapses", async () => {
    const { notify, typing } = await freshPortal();
    expect(await typing()).toEqual([]);
    await notify({ dialogId: "chat5", statusMessageCode: "IMBOT_AGENT_ACTION_THINKING", duration: 60 });
    const [action, ...rest] = await typing();
    expect(rest).toEqual([]);
    expect(action).toEqual({ dialogId: "chat5", chatId: 5, botId: 456, code: "IMBOT_AGENT_ACTION_THINKING", until: expect.any(String) });
  });

  it("keeps one indicator per bot and chat: a newer notify replaces the older", async () => {
    const { notify, typing } = await freshPortal();
    await notify({ dialogId: "chat5", statusMessageCode: "IMBOT_AGENT_ACTION_THINKING", duration: 60 });
    await notify({ chatId: 5 });
    expect((await typing()).map((a) => [a.dialogId, a.code])).toEqual([["chat5", ""]]);
  });

  it("drops an indicator once the portal's clock passes its end, and only that portal's", async () => {
    const one = await freshPortal();
    const two = await freshPortal();
    // The portal's clock also runs in real time: the margins leave minutes for a loaded machine.
    await one.notify({ dialogId: "chat5", duration: 600 });
    await two.notify({ dialogId: "chat5", duration: 600 });
    await one.advance(480);
    expect(await one.typing()).toHaveLength(1);
    await one.advance(121);
    expect(await one.typing()).toEqual([]);
    expect(await two.typing()).toHaveLength(1);
  });

  it("answers 404 PORTAL_NOT_FOUND for an unknown portal", async () => {
    const { http } = await freshPortal();
    const reply = await http.get("/_emulator/portals/no-such-portal/input-actions");
    expect([reply.status, (reply.body as any).error]).toEqual([404, "PORTAL_NOT_FOUND"]);
  });
});
