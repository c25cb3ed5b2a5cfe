#!/usr/bin/env node
import { readFileSync } from "node:fs";
import { setFlagsFromString } from "node:v8";
import { startBanner } from "./cli-banner.js";
import { consoleLogger, type Logger } from "./logger.js";
import { parseCli, usage, UsageError } from "./cli-args.js";
import { isLoopback, startEmulator, UnsafeBindError } from "./server.js";
import { FixtureError } from "./store/fixture.js";
import { DataFileError } from "./store/store.js";

// V8 lets the heap grow to about twice what is live before collecting; with a large portal in memory
// that doubles the footprint. Growing by 20% keeps a 100,000-message portal near half the memory at
// the same throughput (npm run bench). Set before any data is loaded.
setFlagsFromString("--heap-growing-percent=20");

/** Flags -> options -> listen. Known failures print one line and exit non-zero; no stack traces. */
async function main(): Promise<void> {
  let command;
  try {
    command = parseCli(process.argv.slice(2), process.env);
  } catch (error) {
    if (error instanceof UsageError) fail(`b24-emulator: ${error.message} (b24-emulator --help lists the flags)`, 2);
    throw error;
  }
  if (command.help) {
    console.log(usage());
    return;
  }
  if (command.version) {
    console.log(version());
    return;
  }
  const logger: Logger = command.quiet ? { ...consoleLogger, info() {} } : consoleLogger;
  for (const warning of command.warnings) logger.warn(warning);
  const emulator = await startEmulator({ ...command.options, logger, accessLog: !command.quiet }).catch((error: unknown) => {
    if (error instanceof FixtureError || error instanceof DataFileError || error instanceof UnsafeBindError) fail(error.message, 1);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE" || code === "EACCES" || code === "EADDRNOTAVAIL") {
      fail(`Cannot listen: ${(error as Error).message}. Pick another --port / --https-port.`, 1);
    }
    throw error;
  });

  if (!isLoopback(command.options.host ?? "127.0.0.1")) {
    logger.warn(`listening on ${command.options.host}: anyone who can reach it can call the REST API; the control API needs the admin key`);
  }
  // Handlers first: a signal that arrives while the banner is printed (a script that stops the
  // emulator once it sees the URL) would otherwise kill it mid-banner, without saving.
  const stop = (signal: string) => {
    logger.info(`${signal}: finishing requests and saving`);
    emulator.close().then(
      () => process.exit(0),
      (error: unknown) => fail(`Could not close cleanly: ${(error as Error).message}`, 1),
    );
  };
  process.once("SIGINT", () => stop("SIGINT"));
  process.once("SIGTERM", () => stop("SIGTERM"));
  for (const line of startBanner(emulator, version())) logger.info(line);
}

/** Read when asked for, from the package.json beside dist/ (the bundle and dist/cli.js alike). */
function version(): string {
  return (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version;
}

function fail(message: string, exitCode: number): never {
  console.error(message);
  process.exit(exitCode);
}

main().catch((error: unknown) => fail(`b24-emulator crashed: ${(error as Error).stack ?? String(error)}`, 1));
