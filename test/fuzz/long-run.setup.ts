import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { summaryTable, Tally, type TallyData } from "./harness.js";

declare module "vitest" {
  export interface ProvidedContext {
    fuzzTallyDir: string;
  }
}

/** Hands the shards a folder for their counts, then prints the run's totals. */
export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), "b24-fuzz-"));
  project.provide("fuzzTallyDir", dir);
  const started = performance.now();
  return () => {
    const total = new Tally();
    const seeds: number[] = [];
    for (const file of readdirSync(dir)) {
      const shard = JSON.parse(readFileSync(join(dir, file), "utf8")) as { seed: number; tally: TallyData };
      seeds.push(shard.seed);
      total.merge(Tally.fromJSON(shard.tally));
    }
    rmSync(dir, { recursive: true, force: true });
    console.log(`\n${summaryTable(`npm run fuzz: all shards (seeds ${seeds.join(", ")})`, total, (performance.now() - started) / 1000)}\n`);
  };
}
