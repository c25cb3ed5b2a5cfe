import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { createEmulator } from "../../src/index.js";
import { clockMoves, CONTROL_FAMILIES, controlRequests, controlRoutes, type ControlFamily } from "./control-properties.js";
import { exerciseSequence, FuzzTarget, summaryTable, Tally, type FuzzRequest } from "./harness.js";
import { REST_FAMILIES, REST_METHODS, restRequests, URL_FORMS, type RestFamily } from "./rest-properties.js";

/**
 * The long fuzz run (`npm run fuzz`): the same generators and properties as the CI suites, but
 * counted instead of stopped at the first failure, over at least FUZZ_TOTAL requests (default
 * 100,000) split across shards that run in parallel. Each shard prints its table and leaves its
 * counts for the run's summary (long-run.setup.ts).
 */

interface LongCase {
  label: string;
  /** One request, or a sequence sent on the same state. */
  arbitrary: fc.Arbitrary<FuzzRequest | FuzzRequest[]>;
  /** Share of the runs: big-body families cost ten times a small request. */
  weight: number;
}

const FAMILY_WEIGHT: Partial<Record<RestFamily | ControlFamily, number>> = { size: 0.15, nesting: 0.5 };

export function longCases(): LongCase[] {
  const cases: LongCase[] = [];
  for (const method of REST_METHODS) {
    for (const form of URL_FORMS) {
      for (const family of REST_FAMILIES) {
        cases.push({ label: `${method} ${form} ${family}`, arbitrary: restRequests(method, form, family), weight: FAMILY_WEIGHT[family] ?? 1 });
      }
    }
  }
  for (const route of controlRoutes(createEmulator())) {
    for (const family of CONTROL_FAMILIES) {
      cases.push({ label: `${route.method} /_emulator${route.path} ${family}`, arbitrary: controlRequests(route, family), weight: FAMILY_WEIGHT[family] ?? 1 });
    }
  }
  // Each run is 1 + CLOCK_PROBES.length requests; weight 1 keeps it a small share.
  cases.push({ label: "clock moves, then probes", arbitrary: clockMoves, weight: 1 });
  return cases;
}

export function longSeed(): number {
  const given = Number(process.env.FUZZ_SEED);
  return process.env.FUZZ_SEED && Number.isInteger(given) ? given : Date.now() ^ (Math.random() * 0x7fffffff);
}

/** Runs shard `shard` of `shards` and writes its counts as JSON into `tallyDir`. */
export async function runLongShard(shard: number, shards: number, tallyDir: string): Promise<Tally> {
  const total = Number(process.env.FUZZ_TOTAL) > 0 ? Number(process.env.FUZZ_TOTAL) : 100_000;
  const seed = longSeed();
  const all = longCases();
  const weights = all.reduce((sum, c) => sum + c.weight, 0);
  const perWeight = Number(process.env.FUZZ_RUNS) > 0 ? Number(process.env.FUZZ_RUNS) : Math.ceil(total / weights);
  const mine = all.filter((_, index) => index % shards === shard);
  console.log(`fuzz shard ${shard + 1}/${shards}: ${mine.length} cases, ~${perWeight} runs per unit weight, seed ${seed} (FUZZ_SEED=${seed} repeats it)`);

  const tally = new Tally();
  const target = await new FuzzTarget().start();
  const started = performance.now();
  const casesWithViolations: string[] = [];
  for (const c of mine) {
    const before = tally.totalViolations;
    await fc.check(
      fc.asyncProperty(c.arbitrary, async (req) => {
        for (const outcome of await exerciseSequence(target, Array.isArray(req) ? req : [req])) {
          tally.record(outcome.answer, outcome.violations, outcome.req);
        }
        return true;
      }),
      { numRuns: Math.max(1, Math.round(perWeight * c.weight)), seed },
    );
    if (tally.totalViolations > before) casesWithViolations.push(`${c.label}: ${tally.totalViolations - before}`);
  }
  await target.close();
  const seconds = (performance.now() - started) / 1000;
  console.log(summaryTable(`fuzz shard ${shard + 1}/${shards} (seed ${seed})`, tally, seconds));
  if (casesWithViolations.length > 0) console.log(`cases with violations:\n  ${casesWithViolations.join("\n  ")}`);
  mkdirSync(tallyDir, { recursive: true });
  writeFileSync(join(tallyDir, `shard-${shard}.json`), JSON.stringify({ seed, seconds, tally: tally.toJSON() }));
  return tally;
}
