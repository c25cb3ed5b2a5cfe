import { describe, expect, it } from "vitest";
import { createEmulator } from "../src/index.js";
import { restClient } from "./support/rest-client.js";

describe("connection checks clients make first", () => {
  const client = restClient(createEmulator({ clock: () => new Date("2026-11-23T10:00:00Z") }));

  it("profile answers who the webhook acts for, over GET as CRest sends it", async () => {
    const reply = await client.get("/rest/1/emulator/profile.json");
    expect(reply.status).toBe(200);
    expect(reply.body.result).toMatchObject({ ID: "1", ADMIN: true, NAME: "Anna", LAST_NAME: "Admin" });
  });

  it("profile answers for an OAuth token too, and refuses a wrong one", async () => {
    expect((await client.post("/rest/profile", { auth: "emulator-token" })).body.result).toMatchObject({ ID: "1" });
    const wrong = await client.post("/rest/profile", { auth: "nope" });
    expect([wrong.status, wrong.body.error]).toEqual([401, "NO_AUTH_FOUND"]);
  });

  it("server.time is the emulator's clock with an offset", async () => {
    const reply = await client.get("/rest/1/emulator/server.time");
    expect(reply.body.result).toBe("2026-11-23T10:00:00+00:00");
  });

  it("scope lists what the credentials may do", async () => {
    expect((await client.post("/rest/1/emulator/scope", {})).body.result).toEqual(["imbot", "im"]);
  });
});
