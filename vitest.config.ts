import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "examples/**/*.test.ts"],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // expect.poll waits for work under way (a webhook delivery, a fold, a click reaching the server);
    // vitest's 1 s default fails when a loaded machine is slower than that. A poll that passes
    // returns at once, so the longer limit costs nothing; 10 s matches the page waits' limit.
    expect: { poll: { timeout: 10_000 } },
  },
});
