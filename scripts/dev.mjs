// `npm run dev -- [flags]`: rebuilds the CLI bundle whenever src/ changes and restarts it with the
// same flags. Types are not checked here (esbuild strips them); `npm run typecheck` does that.
import { spawn } from "node:child_process";
import process from "node:process";
import { fileURLToPath, URL } from "node:url";
import { watchBundle } from "./bundle.mjs";

const bundlePath = fileURLToPath(new URL("../dist/cli.bundle.mjs", import.meta.url));
const flags = process.argv.slice(2);
let child = null;

function restart() {
  const start = () => {
    child = spawn(process.execPath, [bundlePath, ...flags], { stdio: "inherit" });
  };
  if (!child || child.exitCode !== null) return start();
  // The old process must release its port (and fold its data file) before the new one listens.
  child.once("exit", start);
  child.kill("SIGTERM");
}

await watchBundle(restart);
process.stderr.write("b24-emulator dev: watching src/; Ctrl+C stops\n");
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, () => {
    if (child && child.exitCode === null) child.once("exit", () => process.exit(0)).kill(signal);
    else process.exit(0);
  });
}
