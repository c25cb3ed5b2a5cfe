import { codePointLength } from "./text.js";
import { isAllowedLink, isPlainObject, parseMaybeJson, type PlainObject } from "./json-value.js";

export const MAX_ATTACH_LENGTH = 60_000;
const COLOR_TOKENS = new Set(["primary", "secondary", "alert", "base"]);
const GRID_DISPLAYS = new Set(["BLOCK", "LINE", "ROW", "TABLE"]);

export interface Attach {
  ID?: number;
  COLOR_TOKEN: string;
  COLOR?: string;
  BLOCKS: PlainObject[];
}

export type AttachResult =
  | { ok: true; attach: Attach | null }
  | { ok: false; code: "ATTACH_ERROR" | "ATTACH_OVERSIZE"; reason: string };

const fail = (reason: string): AttachResult => ({ ok: false, code: "ATTACH_ERROR", reason });

/**
 * Validates an ATTACH in full form ({BLOCKS: [...]}) or short form (the blocks array), given as
 * a value or JSON text. An attach without blocks is no attach at all.
 */
export function validateAttach(input: unknown): AttachResult {
  if (input === undefined || input === null || input === "") return { ok: true, attach: null };
  const value = parseMaybeJson(input);
  if (value === undefined) return fail("attach is not valid JSON");

  const serialised = JSON.stringify(value) ?? "";
  if (codePointLength(serialised) > MAX_ATTACH_LENGTH) {
    return {
      ok: false,
      code: "ATTACH_OVERSIZE",
      reason: `attach is ${codePointLength(serialised)} characters long; the limit is ${MAX_ATTACH_LENGTH}`,
    };
  }

  let envelope: PlainObject;
  if (Array.isArray(value)) envelope = { BLOCKS: value };
  else if (isPlainObject(value)) envelope = value;
  else return fail("attach must be an object with BLOCKS or an array of blocks");

  const blocks = envelope.BLOCKS;
  if (!Array.isArray(blocks)) return fail("attach.BLOCKS must be an array");

  const checked: PlainObject[] = [];
  for (const [index, block] of blocks.entries()) {
    const problem = blockProblem(block);
    if (problem) return fail(`attach.BLOCKS[${index}]: ${problem}`);
    checked.push(documentedForm(block as PlainObject));
  }
  if (checked.length === 0) return { ok: true, attach: null };

  const attach: Attach = {
    COLOR_TOKEN:
      typeof envelope.COLOR_TOKEN === "string" && COLOR_TOKENS.has(envelope.COLOR_TOKEN)
        ? envelope.COLOR_TOKEN
        : "base",
    BLOCKS: checked,
  };
  const id = Number(envelope.ID);
  if (envelope.ID !== undefined && Number.isInteger(id)) attach.ID = id;
  if (typeof envelope.COLOR === "string") attach.COLOR = envelope.COLOR;
  return { ok: true, attach };
}

type BlockCheck = (value: unknown) => string | null;

const BLOCK_CHECKS: Record<string, BlockCheck> = {
  MESSAGE: (v) => (typeof v === "string" ? null : "MESSAGE must be a string"),
  LINK: (v) => linkedObjectProblem(v, "LINK"),
  USER: (v) =>
    !isPlainObject(v) ? "USER must be an object" : typeof v.NAME === "string" && v.NAME !== "" ? null : "USER.NAME is required",
  GRID: (v) => itemsProblem(v, "GRID", (item) =>
    typeof item.DISPLAY === "string" && item.DISPLAY !== "" ? null : "DISPLAY must be one of BLOCK, LINE, ROW, TABLE",
  ),
  IMAGE: (v) => itemsProblem(isPlainObject(v) ? [v] : v, "IMAGE", (item) => linkProblem(item.LINK, "LINK")),
  FILE: (v) => itemsProblem(isPlainObject(v) ? [v] : v, "FILE", (item) => linkProblem(item.LINK, "LINK")),
  DELIMITER: (v) => (isPlainObject(v) ? null : "DELIMITER must be an object"),
  RICH_LINK: () => null,
};

/**
 * Clients in the wild send forms the docs do not list, and a portal takes the message: bitrixogram's
 * builder sends grid items with DISPLAY COLUMN (laid out as BLOCK) and one FILE as an object. The
 * stored attach has the documented form, so readers of it see one shape.
 */
function documentedForm(block: PlainObject): PlainObject {
  if (Array.isArray(block.GRID)) {
    return {
      GRID: (block.GRID as PlainObject[]).map((item) =>
        GRID_DISPLAYS.has(String(item.DISPLAY).toUpperCase()) ? item : { ...item, DISPLAY: "BLOCK" },
      ),
    };
  }
  if (isPlainObject(block.FILE)) return { FILE: [block.FILE] };
  return block;
}

function blockProblem(block: unknown): string | null {
  if (!isPlainObject(block)) return "a block must be an object with one key";
  const keys = Object.keys(block);
  if (keys.length !== 1) return `a block must have exactly one key, got ${keys.length}`;
  const key = keys[0] as string;
  const check = Object.hasOwn(BLOCK_CHECKS, key) ? BLOCK_CHECKS[key] : undefined;
  if (!check) return `unknown block type "${key}"`;
  return check(block[key]);
}

function linkProblem(link: unknown, name: string): string | null {
  return isAllowedLink(link) ? null : `${name} must be an http(s):// URL or start with /`;
}

function linkedObjectProblem(value: unknown, name: string): string | null {
  if (!isPlainObject(value)) return `${name} must be an object`;
  return linkProblem(value.LINK, `${name}.LINK`);
}

function itemsProblem(
  value: unknown,
  name: string,
  itemCheck: (item: PlainObject) => string | null,
): string | null {
  if (!Array.isArray(value) || value.length === 0) return `${name} must be a non-empty array`;
  for (const [index, item] of value.entries()) {
    if (!isPlainObject(item)) return `${name}[${index}] must be an object`;
    const problem = itemCheck(item);
    if (problem) return `${name}[${index}].${problem}`;
  }
  return null;
}
