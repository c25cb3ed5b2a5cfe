// The CLI as one ESM file: loading one file instead of a few hundred modules is most of a fast start.
// esbuild reads src/ directly, so `npm run dev` can rebuild it in milliseconds without tsc.
import { build, context } from "esbuild";
import process from "node:process";
import { pathToFileURL } from "node:url";
import { ROOT } from "./build-state.mjs";

export const BUNDLE_OPTIONS = {
  absWorkingDir: ROOT,
  entryPoints: ["src/cli.ts"],
  outfile: "dist/cli.bundle.mjs",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  // selfsigned loads its crypto backend lazily; it stays a runtime dependency.
  external: ["selfsigned"],
  logLevel: "warning",
  // express and its dependencies are CommonJS and call require().
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
};

export function bundle() {
  return build(BUNDLE_OPTIONS);
}

/** Rebuilds on every change under src/; `onBuilt` runs after each successful build. */
export async function watchBundle(onBuilt) {
  const ctx = await context({
    ...BUNDLE_OPTIONS,
    plugins: [{ name: "on-built", setup: (b) => b.onEnd((result) => result.errors.length === 0 && onBuilt()) }],
  });
  await ctx.watch();
  return ctx;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await bundle();
