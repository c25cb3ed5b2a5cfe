import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { defaultFixture } from "./support/fixtures.js";
import { runCli, startCli, startCommand } from "./support/cli-process.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "b24-cli-start-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("npm start", () => {
  it("on a built checkout starts the built CLI without building again", async () => {
    const root = fileURLToPath(new URL("..", import.meta.url));
    const cli = await startCommand("npm", ["start", "--silent", "--", "--port", "0", "--memory"], root);
    const health = await fetch(`${cli.httpUrl}/_emulator/health`);
    await cli.stop();
    expect(health.status).toBe(200);
    expect(cli.output()).toMatch(/^b24-emulator \d+\.\d+\.\d+ is listening\n/);
    expect(cli.output()).not.toContain("building dist/");
  });
});

describe("flags a newcomer types", () => {
  it("--version and -v print the package's version", async () => {
    const { version } = JSON.parse(await readFile(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
    for (const flag of ["--version", "-v"]) expect(await runCli([flag], dir)).toEqual({ code: 0, output: `${version}\n` });
  });

  it("-h is --help", async () => {
    const { code, output } = await runCli(["-h"], dir);
    expect(code).toBe(0);
    expect(output).toMatch(/^Usage: b24-emulator/);
    expect(output).toContain("-p, --port <value>");
  });

  it.each([
    [["--port", "70000"], "b24-emulator: --port takes a port from 0 to 65535, got 70000"],
    [["-p", "http"], 'b24-emulator: --port takes a whole number, got "http"'],
    [["--prot", "3000"], "b24-emulator: unknown flag --prot; did you mean --port?"],
    [["--https-prot", "3443"], "b24-emulator: unknown flag --https-prot; did you mean --https-port?"],
  ])("%j is refused in one line with exit code 2", async (args, line) => {
    const { code, output } = await runCli(args, dir);
    expect(code).toBe(2);
    expect(output).toBe(`${line} (b24-emulator --help lists the flags)\n`);
  });

  it("-p sets the port, and a flag that needs another is a warning", async () => {
    const cli = await startCli(["-p", "0", "--memory", "--https-port", "0", "--fsync"], dir);
    await cli.stop();
    expect(cli.output()).toContain("warning: --https-port has no effect without --https\n");
    expect(cli.output()).toContain("warning: --fsync has no effect without the file store (it is off with --memory)\n");
    expect(cli.output()).not.toContain("https:");
  });
});

describe("the start banner", () => {
  it("shows the credentials in the data, the https webhook URL, the data file and how to stop", async () => {
    const fixture = defaultFixture();
    fixture.webhooks = [{ userId: 2, code: "boris-hook", scopes: ["imbot"] }];
    fixture.apps![0]!.tokens = [{ accessToken: "other-token", userId: 1, expiresAt: null }];
    const fixturePath = join(dir, "fixture.json");
    await writeFile(fixturePath, JSON.stringify(fixture));
    const cli = await startCli(["--port", "0", "--https", "--https-port", "0", "--fixture", fixturePath], dir);
    // startCli returns at the first listening line; the rest of the banner may arrive in a later chunk.
    await new Promise<void>((resolve) => {
      const complete = () => /https:\s+https:\/\/\S+/.test(cli.output()) && /Ctrl/.test(cli.output());
      const check = () => {
        if (!complete()) return;
        cli.child.stdout.off("data", check);
        resolve();
      };
      cli.child.stdout.on("data", check);
      check();
    });
    await cli.stop();
    const out = cli.output();
    const http = /http:\s+(http:\/\/\S+)/.exec(out)![1];
    const https = /https:\s+(https:\/\/\S+)/.exec(out)![1];
    expect(out).toContain(`  inspector: ${http}/\n`);
    expect(out).toContain(`    webhook: ${http}/rest/2/boris-hook/  or  ${https}/rest/2/boris-hook/  (user 2)\n`);
    expect(out).toContain(`    oauth:   ${http}/rest/  auth=other-token  (app local.emulator00000000.00000000, user 1)\n`);
    expect(out).toContain("    bot:     456 support_bot  botToken=my_bot_token  (fetch mode)\n");
    expect(out).not.toContain("emulator-token");
    expect(out).toContain(`  data:      ${join(dir, ".emulator", "db.json")}\n`);
    expect(out).toContain("  stop:      Ctrl+C or SIGTERM");
  });
});

describe("a damaged data file", () => {
  it("stops start-up naming --reset and the copy the last reset kept", async () => {
    const first = await startCli(["--port", "0"], dir);
    await first.stop();
    const reset = await startCli(["--port", "0", "--reset"], dir);
    await reset.stop();
    const dataFile = join(dir, ".emulator", "db.json");
    const backup = (await readdir(join(dir, ".emulator"))).find((f) => /^db\.json\.\d+\.bak$/.test(f));
    const whole = await readFile(dataFile, "utf8");
    await writeFile(dataFile, whole.slice(0, whole.length / 2));

    const { code, output } = await runCli(["--port", "0"], dir);
    expect(code).toBe(1);
    expect(output.trim().split("\n")).toHaveLength(1);
    expect(output).toContain(`Cannot load data file ${dataFile}: `);
    expect(output).toContain(
      `It is left as it is: start with --reset to move it aside (as db.json.<time>.bak) and begin again from the fixture; the copy the last reset kept is ${join(dir, ".emulator", backup!)}\n`,
    );
  });
});
