// Whether dist/ matches the sources, decided by content rather than file times: a fresh clone, a
// checkout or a touch changes times without changing what tsc and esbuild would produce.
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import process from "node:process";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath, pathToFileURL, URL } from "node:url";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));
const STAMP = join(ROOT, "dist", ".build-stamp");
const OUTPUTS = ["dist/index.js", "dist/index.d.ts", "dist/cli.js", "dist/cli.bundle.mjs"];
const INPUT_FILES = ["package.json", "package-lock.json", "tsconfig.json", "tsconfig.build.json", "scripts/bundle.mjs"];

function inputFiles() {
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.push(path);
    }
  };
  walk(join(ROOT, "src"));
  return [...files.sort(), ...INPUT_FILES.map((file) => join(ROOT, file))];
}

/** One hash over the name and content of every file the build reads. */
export function sourceHash() {
  const hash = createHash("sha256");
  for (const file of inputFiles()) {
    hash.update(relative(ROOT, file)).update("\0");
    hash.update(existsSync(file) ? readFileSync(file) : "(absent)").update("\0");
  }
  return hash.digest("hex");
}

export function isBuilt() {
  if (!OUTPUTS.every((file) => existsSync(join(ROOT, file)))) return false;
  return existsSync(STAMP) && readFileSync(STAMP, "utf8") === sourceHash();
}

/** Called at the end of a successful build. */
export function recordBuild() {
  writeFileSync(STAMP, sourceHash());
}

/** tsc and esbuild are devDependencies: present in a checkout after `npm install`, absent in a bare one. */
export function canBuild() {
  const require = createRequire(join(ROOT, "package.json"));
  try {
    require.resolve("typescript/package.json");
    require.resolve("esbuild/package.json");
    return true;
  } catch {
    return false;
  }
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain && process.argv[2] === "--record") recordBuild();
