import { fileURLToPath } from "node:url";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import type { OpenAPIV3_1 } from "openapi-types";
import { readParsedYaml } from "./parsed-yaml-cache.js";

/**
 * Checks responses against openapi.yaml. The whole document is registered with ajv under the id
 * `openapi.yaml`, and every response schema is compiled by its JSON pointer into the document, so
 * `$ref`s to `#/components/...` resolve as they are written. Compiled validators are cached.
 */

export const OPENAPI_PATH = fileURLToPath(new URL("../../openapi.yaml", import.meta.url));
const DOC_ID = "openapi.yaml";
const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;
const BODY_PREVIEW_CHARS = 500;

/** A location in the document as raw (unescaped) JSON-pointer segments. */
type Pointer = readonly string[];

interface OperationEntry {
  /** Lower-cased REST method name, from `x-bitrix-method` or the path's last segment. */
  bitrixMethod: string;
  /** Segments after `/rest`: 1 for the OAuth form, 3 for the webhook form. */
  segmentCount: number;
  httpMethod: string;
  label: string;
  responses: Pointer;
}

/** Where a request lands: one operation's responses, or one of the document's generic answer sets. */
type Target = { label: string; responses: Pointer } | { label: string; failure: string };

interface Loaded {
  doc: OpenAPIV3_1.Document;
  ajv: Ajv2020;
  operations: OperationEntry[];
  validators: Map<string, ValidateFunction>;
}

let loaded: Loaded | undefined;

function state(): Loaded {
  if (loaded) return loaded;
  const doc = readParsedYaml(OPENAPI_PATH) as OpenAPIV3_1.Document;
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
  // ajv-formats is CommonJS; `.default` is the plugin whichever interop the loader applies.
  addFormats.default(ajv);
  // ajv compiles the root of a document it resolves refs into, so the OpenAPI top-level keys
  // (openapi, info, paths, ...) must be known to it: they become annotations, never applied.
  const topLevel = Object.keys(doc).filter((key) => !ajv.getKeyword(key));
  if (topLevel.length > 0) ajv.addVocabulary(topLevel);
  ajv.addSchema(doc as object, DOC_ID);
  loaded = { doc, ajv, operations: indexOperations(doc), validators: new Map() };
  return loaded;
}

/** A fresh copy of openapi.yaml, parsed; callers may modify it freely. */
export function loadOpenApiDocument(): OpenAPIV3_1.Document {
  return structuredClone(state().doc);
}

/** `/paths/~1rest~1x/post` style text for a pointer, as used inside `$ref`. */
export function pointerText(pointer: Pointer): string {
  return pointer.map((s) => "/" + s.replace(/~/g, "~0").replace(/\//g, "~1")).join("");
}

/** Follows a JSON pointer (text form, with or without the leading `#`) into the document. */
export function resolvePointer(pointer: string): unknown {
  const text = pointer.replace(/^#/, "");
  if (text === "") return state().doc;
  let node: unknown = state().doc;
  for (const raw of text.slice(1).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (typeof node !== "object" || node === null || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/**
 * The compiled validator of the schema at a pointer into openapi.yaml (text form, e.g.
 * `/components/schemas/TimeBlock`). Compiled once, then cached. Throws when ajv cannot compile it.
 */
export function schemaValidatorAt(pointer: string): ValidateFunction {
  const { ajv, validators } = state();
  let validate = validators.get(pointer);
  if (!validate) {
    const fragment = pointer.split("/").map(encodeURIComponent).join("/");
    validate = ajv.compile({ $ref: `${DOC_ID}#${fragment}` });
    validators.set(pointer, validate);
  }
  return validate;
}

export interface OpenApiCheckOptions {
  /**
   * The emulator's `statusOverrides`: an error whose code was moved to another status is checked
   * against the responses the document gives for that code at its documented status.
   */
  statusOverrides?: Readonly<Partial<Record<string, number>>>;
}

/** Throws an Error listing every mismatch when the response is not what openapi.yaml promises. */
export function expectMatchesOpenApi(
  request: { method: string; url: string },
  response: { status: number; body: unknown; contentType?: string },
  options: OpenApiCheckOptions = {},
): void {
  const target = edgeTarget(response) ?? targetOf(request.method, request.url);
  const problems: string[] = [];

  const mediaType = response.contentType?.split(";")[0]?.trim().toLowerCase();
  // The one documented answer that is not JSON, an event stream, has a body that never ends.
  const streamed = mediaType !== undefined && !("failure" in target) && documentsMediaType(target.responses, response.status, mediaType);
  if (mediaType !== undefined && mediaType !== "application/json" && !streamed) {
    problems.push(`content type is "${response.contentType}", not application/json`);
  }

  if ("failure" in target) {
    problems.push(target.failure);
  } else if (!streamed) {
    problems.push(...bodyProblems(target, response, options));
  }

  if (problems.length === 0) return;
  throw new Error(
    [
      "Response does not match openapi.yaml",
      `  request:   ${request.method.toUpperCase()} ${request.url}`,
      `  operation: ${target.label}`,
      `  status:    ${response.status}`,
      "  problems:",
      ...problems.map((p) => `    - ${p}`),
      `  body:      ${preview(response.body)}`,
    ].join("\n"),
  );
}

function documentsMediaType(responses: Pointer, status: number, mediaType: string): boolean {
  const response = resolvePointer(pointerText([...responses, String(status)]));
  return isRecord(response) && isRecord(response.content) && mediaType !== "application/json" && Object.hasOwn(response.content, mediaType);
}

function bodyProblems(
  target: { responses: Pointer },
  response: { status: number; body: unknown },
  options: OpenApiCheckOptions,
): string[] {
  const responses = resolvePointer(pointerText(target.responses)) as Record<string, unknown> | undefined;
  const documented = Object.keys(responses ?? {});
  const key = responseKey(documented, response.status);
  const code = isRecord(response.body) && typeof response.body.error === "string" ? response.body.error : undefined;
  const overridden = code !== undefined && options.statusOverrides?.[code] === response.status;

  if (key === undefined && !overridden) {
    return [`status ${response.status} is not documented here (documented: ${documented.join(", ") || "none"})`];
  }
  const first = key === undefined ? [`status ${response.status} is not documented here`] : schemaProblems(target.responses, key, response.body);
  if (first.length === 0 || !overridden) return first;

  // An overridden status: the body must still be what the document allows for that code somewhere.
  for (const other of documented) {
    if (other !== key && !other.startsWith("2") && schemaProblems(target.responses, other, response.body).length === 0) return [];
  }
  return [...first, `"${code}" was moved to ${response.status} by statusOverrides, but no documented error response accepts the body either`];
}

function schemaProblems(responses: Pointer, key: string, body: unknown): string[] {
  const located = resolveResponse([...responses, key]);
  if ("problem" in located) return [located.problem];
  const validate = schemaValidatorAt(pointerText([...located.pointer, "content", "application/json", "schema"]));
  if (validate(body)) return [];
  return describeErrors(validate.errors ?? []);
}

/** Follows `$ref`s from a Responses entry to the Response Object that holds the JSON schema. */
function resolveResponse(start: Pointer): { pointer: Pointer } | { problem: string } {
  let pointer = start;
  for (let hops = 0; hops < 10; hops++) {
    const node = resolvePointer(pointerText(pointer));
    if (!isRecord(node)) return { problem: `${pointerText(pointer)} does not resolve` };
    if (typeof node.$ref === "string") {
      if (!node.$ref.startsWith("#/")) return { problem: `unsupported $ref ${node.$ref}` };
      pointer = node.$ref.slice(2).split("/").map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
      continue;
    }
    const content = isRecord(node.content) ? node.content : {};
    if (!isRecord(content["application/json"]) || content["application/json"].schema === undefined) {
      return { problem: `the response at ${pointerText(pointer)} documents no application/json schema` };
    }
    return { pointer };
  }
  return { problem: `too many $ref hops from ${pointerText(start)}` };
}

/** An exact status first, then `4XX`-style ranges, then `default`. */
function responseKey(documented: string[], status: number): string | undefined {
  const exact = String(status);
  const range = `${exact[0]}XX`;
  return [exact, range, range.toLowerCase(), "default"].find((k) => documented.includes(k));
}

/**
 * The HTTP edge refuses some requests before any route sees them (unreadable HTTP, a foreign Host
 * or Origin): such an answer is checked against `x-generic-responses.httpEdge`, whatever the path.
 */
function edgeTarget(response: { status: number; body: unknown }): Target | undefined {
  const code = isRecord(response.body) && typeof response.body.error === "string" ? response.body.error : undefined;
  const edge = ["x-generic-responses", "httpEdge"] as const;
  if (code === undefined || !isRecord(resolvePointer(pointerText([...edge, String(response.status)])))) return undefined;
  const located = resolveResponse([...edge, String(response.status)]);
  if ("problem" in located) return undefined;
  const schema = resolvePointer(pointerText([...located.pointer, "content", "application/json", "schema"]));
  const enumOf = (node: unknown): unknown[] => {
    const target = isRecord(node) && typeof node.$ref === "string" ? resolvePointer(node.$ref) : node;
    if (!isRecord(target)) return [];
    const own = isRecord(target.properties) && isRecord(target.properties.error) ? ((target.properties.error.enum as unknown[]) ?? []) : [];
    return [...own, ...(Array.isArray(target.allOf) ? target.allOf.flatMap(enumOf) : [])];
  };
  return enumOf(schema).includes(code) ? { label: "the HTTP edge (any path)", responses: [...edge] } : undefined;
}

/** Maps a request onto what the document says may answer it, the way the emulator routes it. */
function targetOf(method: string, url: string): Target {
  const { doc, operations } = state();
  const httpMethod = method.toLowerCase();
  // The raw path, as the server routes it: WHATWG URL parsing would drop `.` and `..` segments,
  // which neither express nor the REST router does.
  const rawPath = url.replace(/^[a-z]+:\/\/[^/]+/i, "").split(/[?#]/)[0] || "/";
  const pathname = rawPath.replace(/\/{2,}/g, "/");
  const segments = pathname.split("/").filter((s) => s !== "").map(safeDecode);
  const generic = (name: string, label: string): Target => {
    const responses = (doc as Record<string, unknown>)["x-generic-responses"];
    if (!isRecord(responses) || !isRecord(responses[name])) {
      return { label, failure: `openapi.yaml has no x-generic-responses.${name}` };
    }
    return { label, responses: ["x-generic-responses", name] };
  };

  if (segments[0] === "_emulator") return controlTarget(doc, httpMethod, pathname) ?? generic("unknownPath", `control path (${pathname})`);
  if (segments[0] === "oauth" || segments[0] === "oauth-server") {
    return controlTarget(doc, httpMethod, pathname.replace(/\.json(?=\/?$)/i, ""), "/oauth") ?? generic("unknownPath", `OAuth path (${pathname})`);
  }
  // Express mounts /rest case-insensitively, so the emulator does too.
  if (segments[0]?.toLowerCase() !== "rest") return generic("unknownPath", `any path outside /rest (${pathname})`);
  const rest = segments.slice(1);
  const name = (rest.at(-1) ?? "").replace(/\.json$/i, "").toLowerCase();
  const candidates = operations.filter((o) => o.bitrixMethod === name && o.segmentCount === rest.length);
  if (candidates.length === 0) return generic("unknownRestMethod", `unknown REST method (${pathname})`);

  const operation = candidates.find((o) => o.httpMethod === httpMethod);
  if (!operation && !["get", "post", "head"].includes(httpMethod)) return generic("wrongHttpMethod", `${method.toUpperCase()} on a REST method`);
  if (!operation) {
    return {
      label: `${method.toUpperCase()} ${pathname}`,
      failure: `openapi.yaml documents ${candidates.map((c) => c.httpMethod.toUpperCase()).join(", ")} for this path, not ${method.toUpperCase()}`,
    };
  }
  return { label: operation.label, responses: operation.responses };
}

/** Control API (and OAuth) paths are matched as templates (`/_emulator/portals/{id}`), first match wins. */
function controlTarget(doc: OpenAPIV3_1.Document, httpMethod: string, pathname: string, prefix = "/_emulator"): Target | undefined {
  const trimmed = pathname.replace(/\/$/, "");
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    if (!path.startsWith(prefix) || !item) continue;
    const pattern = new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\\?\{[^}]+\\?\}/g, "[^/]+")}$`);
    if (!pattern.test(trimmed)) continue;
    const operation = item[httpMethod as (typeof HTTP_METHODS)[number]] as OpenAPIV3_1.OperationObject | undefined;
    if (!operation) return { label: `${httpMethod.toUpperCase()} ${path}`, failure: `openapi.yaml documents no ${httpMethod.toUpperCase()} for ${path}` };
    return { label: `${operation.operationId ?? "(no operationId)"} (${httpMethod.toUpperCase()} ${path})`, responses: ["paths", path, httpMethod, "responses"] };
  }
  return undefined;
}

function indexOperations(doc: OpenAPIV3_1.Document): OperationEntry[] {
  const entries: OperationEntry[] = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    if (!item) continue;
    const segments = path.split("/").filter((s) => s !== "");
    if (segments[0] !== "rest") continue;
    for (const httpMethod of HTTP_METHODS) {
      const operation = item[httpMethod] as (OpenAPIV3_1.OperationObject & { "x-bitrix-method"?: unknown }) | undefined;
      if (!operation) continue;
      const bitrixMethod = typeof operation["x-bitrix-method"] === "string" ? operation["x-bitrix-method"] : (segments.at(-1) ?? "");
      entries.push({
        bitrixMethod: bitrixMethod.toLowerCase(),
        segmentCount: segments.length - 1,
        httpMethod,
        label: `${operation.operationId ?? "(no operationId)"} (${httpMethod.toUpperCase()} ${path})`,
        responses: ["paths", path, httpMethod, "responses"],
      });
    }
  }
  return entries;
}

function describeErrors(errors: readonly ErrorObject[]): string[] {
  const lines = errors.map((e) => {
    const where = e.instancePath === "" ? "(root)" : e.instancePath;
    const params = e.params as Record<string, unknown>;
    let detail = "";
    if (e.keyword === "enum") detail = ` ${JSON.stringify(params.allowedValues)}`;
    else if (e.keyword === "additionalProperties") detail = ` ("${String(params.additionalProperty)}")`;
    else if (e.keyword === "const") detail = ` (${JSON.stringify(params.allowedValue)})`;
    return `${where} ${e.message ?? e.keyword}${detail} [${e.schemaPath}]`;
  });
  return [...new Set(lines)];
}

function preview(body: unknown): string {
  let text: string;
  try {
    text = typeof body === "string" ? JSON.stringify(body) : (JSON.stringify(body) ?? String(body));
  } catch {
    text = String(body);
  }
  return text.length > BODY_PREVIEW_CHARS ? `${text.slice(0, BODY_PREVIEW_CHARS)}… (${text.length} chars)` : text;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
