// The README's "Programmatic API" and "Clocks" examples, verbatim inside runnable tests
// (test/readme-code.test.ts checks they stay the same as the README's).
import { expect, it } from "vitest";
import { createEmulator, startEmulator } from "b24-emulator";

import request from "supertest";
const app = createEmulator();
const res = await request(app)
  .post("/rest/1/emulator/imbot.v2.Command.answer")
  .send({ botId: 456, botToken: "my_bot_token", commandId: 42, messageId: 789, dialogId: "chat5", fields: { message: "Hi" } });
// res.status === 200, res.body.result => { result: true }
const texts = Object.values(app.store.state.portals.default!.messages).map((m) => m.text);

it("createEmulator serves supertest and shows the stored data", () => {
  expect(res.status).toBe(200);
  expect(res.body.result).toEqual({ result: true });
  expect(texts).toContain("Hi");
});

it("startEmulator gives the webhook URL of the default portal", async () => {
  const emulator = await startEmulator({ https: true });
  // emulator.webhookUrl === "http://127.0.0.1:PORT/rest/1/emulator/"
  await emulator.close();
  expect(emulator.webhookUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/rest\/1\/emulator\/$/);
});

it("moves one portal's clock", async () => {
  const emulator = await startEmulator();
  const portal = await emulator.createPortal();
  await portal.control.moveClock({ advanceSeconds: 3601 }); // this portal's access tokens have expired
  portal.control.clock();                                   // { now: "...", offsetSeconds: 3601, frozen: false }
  expect(portal.control.clock()).toMatchObject({ offsetSeconds: 3601, frozen: false });
  await emulator.close();
});

it("a seed and a frozen clock make every run alike", async () => {
  const ids: string[] = [];
  for (let run = 0; run < 2; run++) {
    const emulator = await startEmulator({ seed: 42, clockMode: "frozen", clockStart: "2026-01-01T00:00:00Z" });
    const portal = await emulator.createPortal();   // the same id, webhook code and tokens on every run
    ids.push(`${portal.id} ${portal.webhookUrl.split("/rest/")[1]} ${portal.accessToken}`);
    await emulator.close();
  }
  expect(ids[0]).toBe(ids[1]);
});
