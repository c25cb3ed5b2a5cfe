import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clockMoves, CONTROL_FAMILIES, controlRequests, controlRoutes, type ControlRoute } from "./control-properties.js";
import { exercise, exerciseSequence, failureMessage, fuzzParams, fuzzRuns, FuzzTarget } from "./harness.js";
import { createEmulator } from "../../src/index.js";
import { loadOpenApiDocument } from "../support/openapi.js";

/**
 * Property-based fuzzing of every control endpoint under /_emulator: path parameters, queries and
 * bodies of every shape. For every request: a JSON answer (errors in the REST envelope), a status
 * openapi.yaml documents for the endpoint, never 5xx, a refusal leaves the store byte-for-byte
 * unchanged, and no prototype is polluted. FUZZ_RUNS and FUZZ_SEED tune the run.
 */

const RUNS = fuzzRuns(4);
const ROUTES: ControlRoute[] = controlRoutes(createEmulator());
let target: FuzzTarget;

beforeAll(async () => {
  target = await new FuzzTarget().start();
});
afterAll(async () => {
  await target.close();
});

it("fuzzes every route of the control router, each documented in openapi.yaml", () => {
  expect(ROUTES.length).toBeGreaterThanOrEqual(19);
  const paths = loadOpenApiDocument().paths ?? {};
  for (const route of ROUTES) {
    const documented = `/_emulator${route.path.replace(/:(\w+)/g, "{$1}")}`;
    expect(Object.keys(paths), `${route.method} ${documented}`).toContain(documented);
    expect(paths[documented]?.[route.method.toLowerCase() as "get"], `${route.method} ${documented}`).toBeDefined();
  }
});

describe.each(ROUTES.map((r) => [`${r.method} /_emulator${r.path}`, r] as const))("%s", (_name, route) => {
  it.each(CONTROL_FAMILIES)("answers hostile requests (%s) with documented JSON and no side effects", async (family) => {
    await fc.assert(
      fc.asyncProperty(controlRequests(route, family), async (req) => {
        const { answer, violations } = await exercise(target, req, { rest: false });
        if (violations.length > 0) throw new Error(failureMessage(req, violations, answer));
      }),
      fuzzParams(RUNS),
    );
  });
});

it("keeps every answer within the contract wherever the clock is moved", async () => {
  await fc.assert(
    fc.asyncProperty(clockMoves, async (reqs) => {
      for (const { req, answer, violations } of await exerciseSequence(target, reqs)) {
        if (violations.length > 0) throw new Error(failureMessage(req, violations, answer));
      }
    }),
    fuzzParams(RUNS * 5),
  );
});

describe("with an admin key", () => {
  const KEY = "fuzz-admin-key";
  let guarded: FuzzTarget;
  beforeAll(async () => {
    guarded = await new FuzzTarget({ adminKey: KEY }).start();
  });
  afterAll(async () => {
    await guarded.close();
  });

  const wrongKeys = fc.oneof(
    fc.constant<Record<string, string>>({}),
    fc.constantFrom("", KEY.toUpperCase(), `${KEY}x`, KEY.slice(1), `${KEY},${KEY}`, "Bearer", "null").map((k) => ({ "X-Emulator-Key": k })),
    fc.constantFrom(`Basic ${KEY}`, `Bearer ${KEY.slice(0, -1)}`, "Bearer ", KEY).map((k) => ({ Authorization: k })),
    fc.string({ maxLength: 20 }).map((k) => ({ "X-Emulator-Key": k.replace(/[^\x21-\x7e]/g, "") })),
  );

  it("refuses every control request without the exact key, changing nothing", async () => {
    const anyRequest = fc.oneof(...ROUTES.flatMap((route) => CONTROL_FAMILIES.map((family) => controlRequests(route, family))));
    await fc.assert(
      fc.asyncProperty(anyRequest, wrongKeys, async (req, headers) => {
        const sent = { ...req, headers: { ...req.headers, ...headers } };
        const { answer, violations } = await exercise(guarded, sent, { rest: false });
        if (violations.length > 0) throw new Error(failureMessage(sent, violations, answer));
        expect({ status: answer?.status, error: (answer?.body as { error?: string }).error }).toEqual({ status: 401, error: "CONTROL_UNAUTHORIZED" });
      }),
      fuzzParams(RUNS * 10),
    );
  });
});
