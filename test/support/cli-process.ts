import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { fileURLToPath } from "node:url";

export const CLI_PATH = fileURLToPath(new URL("../../dist/cli.bundle.mjs", import.meta.url));

export interface CliProcess {
  child: ChildProcessWithoutNullStreams;
  httpUrl: string;
  output: () => string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Runs the built CLI as a user would and waits until it prints where it listens. */
export function startCli(args: string[], cwd: string, env: Record<string, string> = {}): Promise<CliProcess> {
  return startCommand(process.execPath, [CLI_PATH, ...args], cwd, env);
}

/** Any command that starts the emulator (`npx b24-emulator`, `npm start`), until it prints where it listens. */
export function startCommand(file: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<CliProcess> {
  // Its own process group, so stop() reaches the emulator behind wrappers (npx runs it under a shell
  // that does not pass signals on).
  const child = spawn(file, args, { cwd, env: { ...process.env, ...env }, detached: true });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`CLI did not start:\n${out}`)), 15_000);
    const onData = () => {
      const match = /http:\s+(http:\/\/\S+)/.exec(out) ?? /https:\s+(https:\/\/\S+)/.exec(out);
      // The banner may arrive in several chunks: wait for its last line, or a test that stops the
      // process at once reads half of it.
      if (!match || !/\n\s+stop:/.test(out)) return;
      clearTimeout(timer);
      child.stdout.off("data", onData);
      resolve({
        child,
        httpUrl: match[1] as string,
        output: () => out,
        stop(signal = "SIGTERM") {
          if (child.exitCode === null && child.signalCode === null) process.kill(-(child.pid as number), signal);
          return exited;
        },
      });
    };
    child.stdout.on("data", onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`CLI exited with ${code}:\n${out}`));
    });
  });
}

/** Runs the CLI to completion (for flags that make it exit) and returns its exit code and output. */
export function runCli(args: string[], cwd: string): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [CLI_PATH, ...args], { cwd });
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, output })));
}
