// Builds dist/ once when it is missing or does not match src/, and does nothing otherwise: `npm start`,
// `npm test` and npm's `prepare` go through here; `npm run build` always builds.
//
// npm runs `prepare` for `npm install` in a checkout and for git dependencies (devDependencies
// installed: it builds), and for local-folder dependencies without devDependencies: those cannot build,
// so it fails with one line saying what to run instead of tsc's "not found".
import { spawnSync } from "node:child_process";
import process from "node:process";
import { pathToFileURL } from "node:url";
import { canBuild, isBuilt, ROOT } from "./build-state.mjs";

export function ensureBuilt() {
  if (isBuilt()) return;
  if (!canBuild()) {
    process.stderr.write(
      `b24-emulator: ${ROOT} has no up-to-date dist/ and no build tools; run "npm install" there first, or install the tarball "npm pack" makes\n`,
    );
    process.exit(1);
  }
  process.stderr.write("b24-emulator: building dist/ (it does not match src/)\n");
  const run = spawnSync("npm", ["run", "build", "--silent"], { cwd: ROOT, stdio: "inherit", shell: process.platform === "win32" });
  if (run.status !== 0) process.exit(run.status ?? 1);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) ensureBuilt();
