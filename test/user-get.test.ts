import { beforeEach, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../src/index.js";
import { useListeningEmulator, v1Call } from "./support/v1-bot.js";

/** user.get as a bot framework calls it: the portal's people, never its bots, 50 a page. */
const listening = useListeningEmulator();
let emulator: RunningEmulator;
beforeEach(() => {
  emulator = listening.emulator();
});

describe("user.get", () => {
  it("lists the portal's people with a total, bots left out", async () => {
    const portal = await emulator.createPortal();
    const all = await v1Call(portal.webhookUrl!, "user.get", {}, "json");
    expect(all.status).toBe(200);
    expect(all.body.result.map((user: { ID: string }) => user.ID)).toEqual(["1", "2"]);
    expect(all.body.result[0]).toMatchObject({ ID: "1", ACTIVE: true, NAME: "Anna", LAST_NAME: "Admin", UF_DEPARTMENT: [1], USER_TYPE: "employee" });
    expect(all.body.total).toBe(2);
    expect(all.body).not.toHaveProperty("next");
    expect(all.body.result.some((user: { ID: string }) => user.ID === "456")).toBe(false);
  });

  it("filters by FILTER fields (form or JSON), a top-level ID, and sorts", async () => {
    const portal = await emulator.createPortal();
    const byFilter = await v1Call(portal.webhookUrl!, "user.get", { FILTER: { ID: 2 } });
    expect(byFilter.body.result.map((user: { NAME: string }) => user.NAME)).toEqual(["Boris"]);
    expect(byFilter.body.total).toBe(1);
    const byTopLevelId = await v1Call(portal.webhookUrl!, "user.get", { ID: "1" });
    expect(byTopLevelId.body.result.map((user: { ID: string }) => user.ID)).toEqual(["1"]);
    const byName = await v1Call(portal.webhookUrl!, "user.get", { filter: { name: "anna", ACTIVE: "Y" } }, "json");
    expect(byName.body.result.map((user: { ID: string }) => user.ID)).toEqual(["1"]);
    const bot = await v1Call(portal.webhookUrl!, "user.get", { FILTER: { ID: 456 } }, "json");
    expect([bot.status, bot.body.result, bot.body.total]).toEqual([200, [], 0]);
    const descending = await v1Call(portal.webhookUrl!, "user.get", { sort: "ID", order: "DESC" });
    expect(descending.body.result.map((user: { ID: string }) => user.ID)).toEqual(["2", "1"]);
  });

  it("pages by 50 with next, in a batch too", async () => {
    const portal = await emulator.createPortal();
    for (let index = 0; index < 50; index += 1) await portal.control.createUser({ firstName: `Person${index}` });
    const first = await v1Call(portal.webhookUrl!, "user.get", {}, "json");
    expect([first.body.result.length, first.body.next, first.body.total]).toEqual([50, 50, 52]);
    const second = await v1Call(portal.webhookUrl!, "user.get", { start: 50 }, "json");
    expect([second.body.result.length, second.body.total]).toEqual([2, 52]);
    expect(second.body).not.toHaveProperty("next");

    const batched = await v1Call(portal.webhookUrl!, "batch", { cmd: { people: "user.get?start=0", tail: "user.get?start=50" } }, "json");
    expect(batched.body.result.result_total).toEqual({ people: 52, tail: 52 });
    expect(batched.body.result.result_next).toEqual({ people: 50 });
    expect(batched.body.result.result.tail).toHaveLength(2);
  });

  it("refuses a webhook that does not exist with the documented code and status", async () => {
    const portal = await emulator.createPortal();
    const wrong = await v1Call(portal.webhookUrl!.replace(/\/[^/]+\/$/, "/nosuchcode/"), "user.get", {}, "json");
    expect([wrong.status, wrong.body.error]).toEqual([401, "NO_AUTH_FOUND"]);
  });
});

describe("user.get select", () => {
  it("answers only the selected fields (any case, form or JSON), ID always; * or nothing answers every field", async () => {
    const portal = await emulator.createPortal();
    const json = await v1Call(portal.webhookUrl!, "user.get", { select: ["name", "EMAIL", "NOT_A_FIELD"], FILTER: { ID: 1 } }, "json");
    expect(json.status).toBe(200);
    expect(json.body.result).toEqual([{ ID: "1", NAME: "Anna", EMAIL: expect.any(String) }]);
    const form = await v1Call(portal.webhookUrl!, "user.get", { SELECT: ["LAST_NAME"], sort: "ID" });
    expect(form.body.result).toEqual([{ ID: "1", LAST_NAME: "Admin" }, { ID: "2", LAST_NAME: expect.any(String) }]);
    expect(form.body.total).toBe(2);
    const star = await v1Call(portal.webhookUrl!, "user.get", { select: ["*"], FILTER: { ID: 1 } }, "json");
    expect(star.body.result[0]).toMatchObject({ ID: "1", ACTIVE: true, NAME: "Anna", LAST_NAME: "Admin", UF_DEPARTMENT: [1], USER_TYPE: "employee" });
  });
});
