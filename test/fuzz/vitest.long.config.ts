import { defineConfig } from "vitest/config";

/** `npm run fuzz`: the long fuzz run, two shards in parallel, with a summary at the end. */
export default defineConfig({
  test: {
    include: ["test/fuzz/long-run.shard-*.ts"],
    globalSetup: ["test/fuzz/long-run.setup.ts"],
    testTimeout: 30 * 60_000,
    hookTimeout: 60_000,
    maxWorkers: 2,
    fileParallelism: true,
  },
});
