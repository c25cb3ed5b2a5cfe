import { z } from "zod";
import { isPlainObject } from "../../domain/json-value.js";
import { ERROR_CATALOGUE, type ErrorCode } from "../../errors/catalogue.js";
import { wireErrorCode } from "../../errors/wire-code.js";
import { anyParam, boolParam } from "../params/coerce.js";
import { timeBlock, type TimeBlock } from "../../domain/time-block.js";
import { parsePhpQuery } from "../../domain/php-query.js";
import { defineMethod, type MethodContext } from "../types.js";
import { ListPage } from "../list-page.js";

/** At most this many subs run; every further one fails with ERROR_BATCH_LENGTH_EXCEEDED (OPEN-R8). */
export const MAX_BATCH_LENGTH = 50;

interface SubError {
  error: string | number;
  error_description: string;
}

/** The five maps of a batch answer, keys in the order the subs were given. */
interface BatchMaps {
  result: Map<string, unknown>;
  result_error: Map<string, SubError>;
  result_total: Map<string, number>;
  result_next: Map<string, number>;
  result_time: Map<string, TimeBlock>;
}

/**
 * `batch` (spec README §8): up to 50 calls in one request, run in order as the same caller and in
 * the same change. Each sub is `"method?query"` with a URL-encoded PHP query; `$result[key][field]...`
 * in a value is replaced by an earlier sub's result. A failing sub never fails the batch (HTTP 200);
 * with `halt` the batch stops at the first one. No scope of its own: each sub's scope is checked.
 */
export const batch = defineMethod({
  name: "batch",
  scope: "",
  mutates: true,
  batchable: false,
  params: z.object({ cmd: anyParam, halt: boolParam(false) }),
  handler(ctx, params) {
    const maps: BatchMaps = {
      result: new Map(),
      result_error: new Map(),
      result_total: new Map(),
      result_next: new Map(),
      result_time: new Map(),
    };
    const commands = commandsOf(params.cmd);
    if (params.cmd !== undefined && params.cmd !== "" && !Array.isArray(params.cmd) && !isPlainObject(params.cmd)) {
      ctx.log.warn("batch: cmd is neither a map nor a list of \"method?query\" strings; nothing was run");
    }

    for (const [index, [key, command]] of commands.entries()) {
      const failed =
        index >= MAX_BATCH_LENGTH
          ? fail(maps, key, "ERROR_BATCH_LENGTH_EXCEEDED", `Max batch length exceeded: at most ${MAX_BATCH_LENGTH} commands run`)
          : !runSub(ctx, maps, key, command);
      if (failed && params.halt) break;
    }

    return {
      result: phpArray(maps.result),
      result_error: phpArray(maps.result_error),
      result_total: phpArray(maps.result_total),
      result_next: phpArray(maps.result_next),
      result_time: phpArray(maps.result_time),
    };
  },
});

/** Runs one sub and records its outcome; false when it failed. */
function runSub(ctx: MethodContext, maps: BatchMaps, key: string, command: unknown): boolean {
  if (typeof command !== "string" || command.trim() === "") {
    fail(maps, key, "ERROR_ARGUMENT", `cmd[${key}] must be a "method?query" string`);
    return false;
  }
  const mark = ctx.elapsedMs();
  const split = command.indexOf("?");
  const method = (split === -1 ? command : command.slice(0, split)).trim();
  const query = split === -1 ? "" : command.slice(split + 1);

  let params: Record<string, unknown>;
  try {
    const parsed: unknown = parsePhpQuery(query);
    // A query of only 0..n-1 keys decodes to a list; a method still reads it as named parameters.
    const named = Array.isArray(parsed) ? Object.fromEntries(parsed.entries()) : parsed;
    params = substitute(named, maps.result, ctx) as Record<string, unknown>;
  } catch (error) {
    fail(maps, key, "INVALID_REQUEST_BODY", `cmd[${key}]: ${(error as Error).message}`);
    return false;
  }
  delete params.auth; // a sub runs as the batch's caller, whatever it says

  const outcome = ctx.invoke(method, params, key);
  const done = ctx.elapsedMs();
  const at = ctx.now.getTime();
  maps.result_time.set(key, timeBlock(at + mark, done - mark, at + done));
  if (outcome.ok && outcome.result instanceof ListPage) {
    maps.result.set(key, outcome.result.items);
    maps.result_total.set(key, outcome.result.total);
    if (outcome.result.next !== undefined) maps.result_next.set(key, outcome.result.next);
    return true;
  }
  if (outcome.ok) {
    maps.result.set(key, outcome.result);
    return true;
  }
  maps.result_error.set(key, { error: wireErrorCode(outcome.error, ctx.settings), error_description: outcome.description });
  return false;
}

function fail(maps: BatchMaps, key: string, code: ErrorCode, description: string = ERROR_CATALOGUE[code].description): true {
  maps.result_error.set(key, { error: code, error_description: description });
  return true;
}

/** `cmd` as (key, command) pairs: a map keeps its keys, a list is keyed 0..n-1. */
function commandsOf(cmd: unknown): [string, unknown][] {
  if (Array.isArray(cmd)) return cmd.map((command, index) => [String(index), command]);
  if (isPlainObject(cmd)) return Object.entries(cmd);
  return [];
}

const REFERENCE = /\$result((?:\[[^\]]*\])+)/g;
const WHOLE_REFERENCE = /^\$result((?:\[[^\]]*\])+)$/;

/**
 * Replaces `$result[key][field]...` in every value with the earlier result it names. A value that is
 * exactly one reference takes the referenced value itself (a number, a list...); references inside
 * longer text are replaced by the value as text. A reference to nothing stays as written.
 */
function substitute(value: unknown, results: Map<string, unknown>, ctx: MethodContext): unknown {
  if (typeof value === "string") {
    if (!value.includes("$result")) return value;
    const whole = WHOLE_REFERENCE.exec(value);
    if (whole) {
      const found = lookup(results, whole[1] as string);
      if (found.ok) return toParam(found.value);
      ctx.log.warn(`batch: ${value} names no earlier result; sent as written`);
      return value;
    }
    return value.replace(REFERENCE, (text, path: string) => {
      const found = lookup(results, path);
      if (!found.ok) {
        ctx.log.warn(`batch: ${text} names no earlier result; sent as written`);
        return text;
      }
      return typeof found.value === "object" && found.value !== null ? JSON.stringify(found.value) : scalarText(found.value);
    });
  }
  if (Array.isArray(value)) return value.map((item) => substitute(item, results, ctx));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (const [k, v] of Object.entries(value)) out[k] = substitute(v, results, ctx);
    return out;
  }
  return value;
}

/** `[key][field][0]` -> walk results[key].field[0]. */
function lookup(results: Map<string, unknown>, path: string): { ok: true; value: unknown } | { ok: false } {
  const segments = [...path.matchAll(/\[([^\]]*)\]/g)].map((m) => m[1] as string);
  const [key, ...fields] = segments;
  if (key === undefined || !results.has(key)) return { ok: false };
  let node: unknown = results.get(key);
  for (const field of fields) {
    if (Array.isArray(node) && /^(0|[1-9]\d*)$/.test(field) && Number(field) < node.length) node = node[Number(field)];
    else if (isPlainObject(node) && Object.hasOwn(node, field)) node = node[field];
    else return { ok: false };
  }
  return { ok: true, value: node };
}

/** A referenced value as a parameter: scalars as form text would carry them, containers as they are. */
function toParam(value: unknown): unknown {
  // A JSON copy, not structuredClone: results read inside a commit may be the store's tracking proxies.
  if (typeof value === "object" && value !== null) return JSON.parse(JSON.stringify(value)) as unknown;
  return scalarText(value);
}

/** PHP's string conversion: true "1", false and null "". */
function scalarText(value: unknown): string {
  if (value === true) return "1";
  if (value === false || value === null || value === undefined) return "";
  return String(value);
}

/**
 * PHP json_encode of an array: empty -> `[]`, keys exactly 0..n-1 in order -> a list, anything else
 * an object. Batch answers are PHP arrays, so empty maps are `[]` on the wire.
 */
function phpArray<T>(map: Map<string, T>): T[] | Record<string, T> {
  const keys = [...map.keys()];
  if (keys.every((key, index) => key === String(index))) return [...map.values()];
  const out: Record<string, T> = {};
  for (const [key, value] of map) out[key] = value;
  return out;
}


