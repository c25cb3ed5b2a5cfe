import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCommand } from "./support/cli-process.js";

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const TSC = join(ROOT, "node_modules", "typescript", "bin", "tsc");
// The registry is only asked for what npm's cache lacks (after `npm ci`, usually nothing).
const INSTALL = ["install", "--omit=dev", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"];

const CONSUMER = `import { startEmulator, type RunningEmulator } from "b24-emulator";

const emulator: RunningEmulator = await startEmulator();
const portal = await emulator.createPortal();
const res = await fetch(\`\${portal.webhookUrl}imbot.v2.Bot.list\`, { method: "POST" });
const body = (await res.json()) as { error?: string };
console.log(JSON.stringify({ status: res.status, error: body.error, accessToken: portal.accessToken.length }));
await emulator.close();
// Fails to compile (an unused expectation) if the package's types had fallen back to any.
// @ts-expect-error a URL is a string
export const wrong: number = portal.webhookUrl;
`;

let dir: string;
let project: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "b24-package-"));
  // npm pack runs `prepare`, which finds dist/ built (npm test builds it first) and leaves it.
  const { stdout } = await run("npm", ["pack", "--silent", "--pack-destination", dir], { cwd: ROOT });
  const tarball = join(dir, stdout.trim().split("\n").pop() as string);
  project = join(dir, "project");
  await mkdir(project);
  await writeFile(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  await run("npm", [...INSTALL, tarball], { cwd: project });
}, 180_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("the packed tarball, installed with production dependencies only", () => {
  it("installs no devDependency", async () => {
    const installed = await readdir(join(project, "node_modules"));
    expect(installed).toContain("b24-emulator");
    expect(installed).not.toContain("typescript");
    expect(installed).not.toContain("vitest");
    expect(installed).not.toContain("esbuild");
  });

  it("starts through npx and answers", async () => {
    const cli = await startCommand("npx", ["--no-install", "b24-emulator", "--port", "0", "--memory"], project);
    try {
      const res = await fetch(`${cli.httpUrl}/_emulator/health`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ ok: true });
    } finally {
      await cli.stop();
    }
  }, 60_000);

  it("is imported by name, with types that hold under strict", async () => {
    await writeFile(join(project, "consumer.ts"), CONSUMER);
    await writeFile(
      join(project, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: { strict: true, module: "nodenext", moduleResolution: "nodenext", target: "es2022", outDir: "out", skipLibCheck: true },
        files: ["consumer.ts"],
      }),
    );
    await run(process.execPath, [TSC, "-p", "."], { cwd: project });
    const { stdout } = await run(process.execPath, [join(project, "out", "consumer.js")], { cwd: project });
    expect(JSON.parse(stdout)).toEqual({ status: 400, error: "BOT_TOKEN_NOT_SPECIFIED", accessToken: 32 });
  }, 120_000);
});

describe("a local folder without dist/ or node_modules/", () => {
  it("refuses to install with one line saying what to run", async () => {
    const folder = join(dir, "checkout");
    for (const part of ["package.json", "scripts", "src"]) await cp(join(ROOT, part), join(folder, part), { recursive: true });
    const outcome = await run("npm", [...INSTALL, folder], { cwd: project }).then(
      () => ({ failed: false, stderr: "" }),
      (error: { stderr: string }) => ({ failed: true, stderr: error.stderr }),
    );
    expect(outcome.failed).toBe(true);
    expect(outcome.stderr).toContain(`b24-emulator: ${folder}/ has no up-to-date dist/ and no build tools; run "npm install" there first`);
  }, 60_000);
});
