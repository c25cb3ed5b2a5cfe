import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * Every TypeScript or JavaScript block of the README is a copy of code that `npm run typecheck`
 * compiles under strict: each block must appear in a file under examples/, line for line (indentation
 * aside, so a fragment may sit inside a test). A block that is knowingly incomplete says so with an
 * `<!-- sketch: ... -->` line right above its fence.
 */
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CODE_FENCE = /^```(ts|typescript|js|javascript)\s*$/;

interface Block {
  line: number;
  lines: string[];
  sketch: boolean;
}

function readmeBlocks(): Block[] {
  const lines = readFileSync(join(ROOT, "README.md"), "utf8").split("\n");
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!CODE_FENCE.test(lines[i]!)) continue;
    const end = lines.indexOf("```", i + 1);
    blocks.push({ line: i + 1, lines: significant(lines.slice(i + 1, end)), sketch: (lines[i - 1] ?? "").startsWith("<!-- sketch:") });
    i = end;
  }
  return blocks;
}

function significant(lines: string[]): string[] {
  return lines.map((line) => line.trim()).filter((line) => line !== "");
}

function exampleFiles(dir = join(ROOT, "examples")): { path: string; lines: string[] }[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return exampleFiles(path);
    return entry.name.endsWith(".ts") ? [{ path: relative(ROOT, path), lines: significant(readFileSync(path, "utf8").split("\n")) }] : [];
  });
}

function contains(haystack: string[], needle: string[]): boolean {
  for (let start = 0; start + needle.length <= haystack.length; start++) {
    if (needle.every((line, i) => haystack[start + i] === line)) return true;
  }
  return false;
}

describe("the README's code", () => {
  const blocks = readmeBlocks();
  const files = exampleFiles();

  it("has TypeScript blocks to check", () => {
    expect(blocks.filter((b) => !b.sketch).length).toBeGreaterThanOrEqual(5);
  });

  it("is, block by block, code under examples/ that the type check compiles", () => {
    const missing = blocks
      .filter((block) => !block.sketch && !files.some((file) => contains(file.lines, block.lines)))
      .map((block) => `README.md:${block.line} is in no file under examples/; put it in one (tsc checks it under strict)`);
    expect(missing).toEqual([]);
  });

  it("is compiled by the type check: tsconfig.json includes examples/ under strict", () => {
    const config = JSON.parse(readFileSync(join(ROOT, "tsconfig.json"), "utf8")) as { compilerOptions: { strict: boolean }; include: string[] };
    expect(config.compilerOptions.strict).toBe(true);
    expect(config.include).toContain("examples");
  });
});
