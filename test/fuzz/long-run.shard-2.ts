import { expect, inject, it } from "vitest";
import { runLongShard } from "./long-run.js";

it("survives its share of the long fuzz run with no violation", async () => {
  const tally = await runLongShard(1, 2, inject("fuzzTallyDir"));
  expect(tally.totalViolations).toBe(0);
});
