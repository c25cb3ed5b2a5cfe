import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

const CACHE_DIR = fileURLToPath(new URL("../../node_modules/.cache/b24-emulator-tests/", import.meta.url));

/**
 * A YAML file parsed, through a JSON copy cached under node_modules/.cache and named by the file's
 * content hash (so an edited file is never read stale). Parsing the ~1 MB openapi.yaml costs about
 * a second of CPU (five under load); every test file that checks responses paid it in its first
 * test, against that test's timeout. JSON.parse of the copy takes milliseconds.
 */
export function readParsedYaml(path: string): unknown {
  const text = readFileSync(path, "utf8");
  const stem = basename(path).replace(/\W/g, "-");
  const cached = join(CACHE_DIR, `${stem}-${createHash("sha256").update(text).digest("hex").slice(0, 16)}.json`);
  try {
    return JSON.parse(readFileSync(cached, "utf8")) as unknown;
  } catch {
    // not cached yet (or unreadable): parse and cache below
  }
  const parsed = parse(text) as unknown;
  try {
    mkdirSync(CACHE_DIR, { recursive: true });
    for (const old of readdirSync(CACHE_DIR)) if (old.startsWith(`${stem}-`)) rmSync(join(CACHE_DIR, old), { force: true });
    // Written aside and renamed, so a test file starting in parallel never reads half a copy.
    const partial = `${cached}.${process.pid}`;
    writeFileSync(partial, JSON.stringify(parsed));
    renameSync(partial, cached);
  } catch {
    // a read-only checkout: the next file parses again, nothing worse
  }
  return parsed;
}
