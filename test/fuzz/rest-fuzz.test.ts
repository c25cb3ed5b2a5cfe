import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exercise, failureMessage, fuzzParams, fuzzRuns, FuzzTarget } from "./harness.js";
import { REST_FAMILIES, REST_METHODS, restRequests, URL_FORMS } from "./rest-properties.js";

/**
 * Property-based fuzzing of every REST method in both URL forms, with valid credentials so the
 * requests reach the decoders and handlers. For every request: a JSON answer with a valid envelope,
 * a status openapi.yaml documents for the operation, never 5xx, a refusal leaves the store
 * byte-for-byte unchanged, and no prototype is polluted. FUZZ_RUNS and FUZZ_SEED tune the run.
 */

const RUNS = fuzzRuns(4);
let target: FuzzTarget;

beforeAll(async () => {
  target = await new FuzzTarget().start();
});
afterAll(async () => {
  await target.close();
});

it("fuzzes every method the registry serves", () => {
  expect(REST_METHODS.length).toBeGreaterThanOrEqual(21);
  expect(REST_METHODS).toContain("batch");
  expect(REST_METHODS).toContain("imbot.v2.Event.get");
});

it("answers 10,000 appended form keys (`ids[]=...`) with documented JSON", async () => {
  // Found by the nesting generator: each `[]` used to rescan every key of its container (1.4 s here).
  // That the decoding stays linear is checked in test/rest/php-params.test.ts against its own baseline.
  const body = Buffer.from(Array.from({ length: 9_990 }, (_, i) => `fields[forwardIds][]=${i}`).join("&"));
  const req = { method: "POST" as const, url: "/rest/1/emulator/imbot.v2.Chat.Message.send", contentType: "application/x-www-form-urlencoded", body, label: "appends" };
  const { answer, violations } = await exercise(target, req, { rest: true });
  expect(violations).toEqual([]);
  // The whole body was decoded and read: the refusal names the one parameter it lacks.
  expect(answer).toMatchObject({ status: 400, body: { error: "BOT_TOKEN_NOT_SPECIFIED" } });
});

describe.each(REST_METHODS)("%s", (method) => {
  it.each(URL_FORMS.flatMap((form) => REST_FAMILIES.map((family) => [form, family] as const)))(
    "answers hostile %s requests (%s) with documented JSON and no side effects",
    async (form, family) => {
      await fc.assert(
        fc.asyncProperty(restRequests(method, form, family), async (req) => {
          const { answer, violations } = await exercise(target, req, { rest: true });
          if (violations.length > 0) throw new Error(failureMessage(req, violations, answer));
        }),
        fuzzParams(RUNS),
      );
    },
  );
});
