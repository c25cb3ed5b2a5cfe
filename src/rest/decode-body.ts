import { EmulatorError } from "../errors/emulator-error.js";
import { isPlainObject } from "../domain/json-value.js";
import { cutFormValues, cutJsonValues, LONG_VALUE_BYTES, restoreValues, type CutBody } from "./long-values.js";
import { DEFAULT_PARAM_LIMITS, ParamLimitError, parsePhpEntries, parsePhpQuery, type ParamLimits } from "../domain/php-query.js";

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * A body handed over to be decoded: the decoder takes it out (leaving undefined), so neither the
 * caller nor the decoder keeps the raw bytes alive beside their text; for a 140 MB upload that
 * is the difference between two copies at once and three.
 */
export interface BodyHolder {
  body: Buffer | undefined;
}

/**
 * Turns a request body into params: JSON objects as they are, urlencoded and multipart forms
 * PHP-style. Anything unreadable is a clear INVALID_REQUEST_BODY, never a guess.
 */
export async function decodeBody(
  holder: BodyHolder,
  contentType: string | undefined,
  limits: ParamLimits = DEFAULT_PARAM_LIMITS,
): Promise<Record<string, unknown>> {
  if (!holder.body || holder.body.length === 0) return {};
  const type = mediaType(contentType);

  try {
    if (isJsonType(contentType)) {
      const { text, values } = takeTextCutting(holder, cutJsonValues);
      return withValues(decodeJson(text, limits), values);
    }
    if (type === "application/x-www-form-urlencoded") {
      const { text, values } = takeTextCutting(holder, cutFormValues);
      return withValues(parsePhpQuery(text, limits), values);
    }
    if (type === "multipart/form-data") return await decodeMultipart(takeFixed(holder), contentType as string, limits);
  } catch (error) {
    if (error instanceof ParamLimitError) throw new EmulatorError("INVALID_REQUEST_BODY", `Request refused: ${error.message}`);
    throw error;
  }
  throw new EmulatorError(
    "UNSUPPORTED_MEDIA_TYPE",
    `Content-Type "${type}" is not accepted; send application/json, application/x-www-form-urlencoded or multipart/form-data`,
  );
}

/** A body of this Content-Type is JSON, whose values keep their types (absent means a form). */
export function isJsonType(contentType: string | undefined): boolean {
  const type = mediaType(contentType);
  return type === "application/json" || type.endsWith("+json");
}

function mediaType(contentType: string | undefined): string {
  return (contentType ?? "application/x-www-form-urlencoded").split(";")[0]?.trim().toLowerCase() ?? "";
}

export function decodeQuery(rawQuery: string, limits: ParamLimits = DEFAULT_PARAM_LIMITS): Record<string, unknown> {
  try {
    return parsePhpQuery(rawQuery, limits);
  } catch (error) {
    if (error instanceof ParamLimitError) throw new EmulatorError("INVALID_REQUEST_BODY", `Query refused: ${error.message}`);
    throw error;
  }
}

function take(holder: BodyHolder): Buffer {
  const body = holder.body ?? Buffer.alloc(0);
  holder.body = undefined;
  return body;
}

function takeText(holder: BodyHolder): string {
  const body = take(holder);
  try {
    return utf8.decode(body);
  } catch {
    throw new EmulatorError("INVALID_REQUEST_BODY", "The request body is not valid UTF-8");
  } finally {
    release(body);
  }
}

/**
 * The body's text; a large body's long values (an upload's base64) are cut out first and decoded
 * on their own (long-values.ts), so the body goes before the short rest is parsed.
 */
function takeTextCutting(holder: BodyHolder, cut: (body: Buffer) => CutBody | undefined): { text: string; values?: Map<string, string> } {
  const body = holder.body;
  let found: CutBody | undefined;
  if (body && body.length >= LONG_VALUE_BYTES) {
    try {
      found = cut(body);
    } catch {
      // Refused: its memory goes back now, not when the request is collected.
      release(take(holder));
      throw new EmulatorError("INVALID_REQUEST_BODY", "The request body is not valid UTF-8");
    }
    if (found) {
      holder.body = found.rest;
      release(body);
    }
  }
  return { text: takeText(holder), values: found?.values };
}

function withValues(params: Record<string, unknown>, values: Map<string, string> | undefined): Record<string, unknown> {
  return values ? (restoreValues(params, values) as Record<string, unknown>) : params;
}

/**
 * Gives a taken body's memory back now when it sits alone on a resizable ArrayBuffer (a large body
 * read whole, http/read-body.ts), rather than when the garbage collector gets to it: an upload's
 * bytes would otherwise still be held while its params are parsed and its file decoded.
 */
function release(body: Buffer): void {
  const store = body.buffer as ArrayBuffer & { resizable?: boolean; resize?: (length: number) => void };
  if (store.resizable === true && body.byteOffset === 0) store.resize?.(0);
}

/** A plain copy for APIs that refuse a resizable ArrayBuffer (WebIDL's BufferSource, so fetch's Response). */
function takeFixed(holder: BodyHolder): Buffer {
  const body = take(holder);
  if ((body.buffer as { resizable?: boolean }).resizable !== true) return body;
  const copy = Buffer.from(body);
  release(body);
  return copy;
}

function decodeJson(text: string, limits: ParamLimits): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new EmulatorError("INVALID_REQUEST_BODY", `Malformed JSON body: ${(error as Error).message}`);
  }
  if (!isPlainObject(value)) throw new EmulatorError("INVALID_REQUEST_BODY", "A JSON body must be an object of parameters");
  checkShape(value, limits);
  return value;
}

/** JSON has no parse-time limits of its own, so depth and size are checked on the parsed tree. */
function checkShape(root: unknown, limits: ParamLimits): void {
  let nodes = 0;
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop() as [unknown, number];
    if (typeof value !== "object" || value === null) continue;
    if (depth > limits.maxDepth) throw new ParamLimitError(`parameter nesting deeper than ${limits.maxDepth} levels`);
    for (const child of Object.values(value)) {
      if (++nodes > limits.maxParams) throw new ParamLimitError(`more than ${limits.maxParams} parameters`);
      stack.push([child, depth + 1]);
    }
  }
}

async function decodeMultipart(body: Buffer, contentType: string, limits: ParamLimits): Promise<Record<string, unknown>> {
  let form: FormData;
  try {
    form = await new Response(body, { headers: { "content-type": contentType } }).formData();
  } catch {
    throw new EmulatorError("INVALID_REQUEST_BODY", "Malformed multipart/form-data body");
  }
  const entries: [string, string][] = [];
  for (const [name, value] of form.entries()) {
    // Files belong to File.upload, which is not emulated; a file field carries its name only.
    entries.push([name, typeof value === "string" ? value : value.name]);
  }
  return parsePhpEntries(entries, limits);
}
