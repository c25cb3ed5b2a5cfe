import type { z } from "zod";
import { EmulatorError } from "../errors/emulator-error.js";
import { isPlainObject, type PlainObject } from "../domain/json-value.js";
import { isSecretName, MASK, redactText } from "../domain/redact.js";
import { paramKind } from "../methods/params/coerce.js";
import { DEPRECATED_BOT_TOKEN_ALIASES } from "../methods/imbot-v2/bots/access.js";
import type { ConformanceFinding, MethodDefinition } from "../methods/types.js";

/**
 * The conformance check (issue 12 item 6): what a call does that a portal lets pass but the
 * documented contract does not, found by comparing the parameters sent with the method's declared
 * params schema, so no method needs code of its own. Rules:
 * - `unknown-param`: a parameter (or `fields` key) the method does not document;
 * - `upper-case-alias`: `BOT_ID` for `botId`, which a portal also reads;
 * - `deprecated-alias`: `clientId` or `CLIENT_ID` for `botToken`, older names a portal still reads;
 * - `integer-as-string`, `boolean-as-text`, `number-for-string`, `boolean-for-integer`,
 *   `boolean-for-string`: a JSON value of the wrong type that a portal coerces (`"456"`, `"Y"`,
 *   `dialogId: 5`, `botId: true`); form and query values are text by nature;
 * - `query-param-in-post`: a method parameter in the query string of a POST;
 * - deprecated forms, named by the parameter's declaration (`deprecated-flat-command-register`) or
 *   flagged by the handler (`deprecated-last-event-id`).
 */

/** The methods whose contract the report checks: imbot.v2 and the connection checks beside it. */
const CHECKED = /^(imbot\.v2\.|batch$|profile$|server\.time$|scope$)/i;

export interface CallShape {
  httpMethod: string;
  query: PlainObject;
  body: PlainObject;
  /** The body was JSON, so its values carry their types. */
  json: boolean;
}

/**
 * Credentials, and the `bx24_*` keys SDKs add for the portal's logs (the official JS SDK sends
 * `bx24_sdk_ver` and `bx24_sdk_type`, others `bx24_request_id`): never method parameters.
 */
const isTransportKey = (key: string) => key === "auth" || key === "access_token" || key.startsWith("bx24_");

export function auditCall(method: MethodDefinition, call: CallShape): ConformanceFinding[] {
  // imbot v1 documents UPPER_CASE names in any case and Y/N flags: what is a deviation in v2 is its contract.
  if (!CHECKED.test(method.name)) return [];
  const shape = shapeOf(method.params);
  if (!shape) return [];
  const findings: ConformanceFinding[] = [];
  if (call.httpMethod === "POST") {
    for (const key of Object.keys(call.query)) {
      if (!isTransportKey(key) && Object.hasOwn(shape, key)) {
        findings.push({ rule: "query-param-in-post", param: key, detail: `"${key}" was sent in the query string of a POST; send it in the body` });
      }
    }
  }
  const sent = { ...call.query, ...call.body };
  auditObject(shape, sent, "", (key) => call.json && Object.hasOwn(call.body, key), findings);
  // A key can carry a secret too (a JSON body sent as a form becomes one long key). Cut first: a
  // wrong-typed value or a key can be an upload's 140 MB, and the finding goes to the journal, the
  // report and a --strict error's description.
  return findings.map((f) => ({ ...f, param: redactText(clip(f.param)), detail: redactText(clip(f.detail)) }));
}

/** Longest parameter name or detail a finding keeps. */
export const MAX_FINDING_TEXT = 300;

function clip(text: string): string {
  return text.length <= MAX_FINDING_TEXT ? text : `${text.slice(0, MAX_FINDING_TEXT)}… (${text.length} characters)`;
}

function auditObject(shape: Readonly<Record<string, z.ZodType>>, value: PlainObject, prefix: string, typed: (key: string) => boolean, out: ConformanceFinding[]): void {
  for (const key of Object.keys(value)) {
    const param = prefix + key;
    if (prefix === "" && isTransportKey(key)) continue;
    const schema = Object.hasOwn(shape, key) ? shape[key] : undefined;
    if (!schema) {
      if (prefix === "" && Object.hasOwn(shape, "botToken") && DEPRECATED_BOT_TOKEN_ALIASES.includes(key)) {
        out.push({ rule: "deprecated-alias", param, detail: `"${key}" is an older name of botToken that a portal still reads; send botToken` });
        continue;
      }
      const documented = Object.keys(shape).find((name) => loose(name) === loose(key));
      out.push(
        documented
          ? { rule: "upper-case-alias", param, detail: `"${key}" is an alias a portal also reads; the documented name is "${prefix}${documented}"` }
          : { rule: "unknown-param", param, detail: `"${param}" is not a parameter of this method; a portal ignores it` },
      );
      continue;
    }
    // A finding is shown in the journal and the report: a secret sent the wrong way stays unread.
    const given = isSecretName(key) && typeof value[key] === "string" ? MASK : value[key];
    // Only a finding shows the value: stringifying every one would copy an upload's 140 MB base64.
    const shown = () => (isSecretName(key) ? MASK : JSON.stringify(given));
    const kind = paramKind(schema);
    const isTyped = typed(key);
    if (kind.type === "int" && isTyped && typeof given === "string") {
      out.push({ rule: "integer-as-string", param, detail: `${param} is an integer; ${shown()} is text a portal converts` });
    } else if (kind.type === "bool" && isTyped && (typeof given === "string" || typeof given === "number")) {
      out.push({ rule: "boolean-as-text", param, detail: `${param} is a boolean; ${shown()} is read as ${readsAs(given)}` });
    } else if (kind.type === "string" && isTyped && typeof given === "number") {
      out.push({ rule: "number-for-string", param, detail: `${param} is a string; the number ${shown()} is converted` });
    } else if (kind.type === "int" && isTyped && typeof given === "boolean") {
      out.push({ rule: "boolean-for-integer", param, detail: `${param} is an integer; ${shown()} is read as ${given ? 1 : 0}` });
    } else if (kind.type === "string" && isTyped && typeof given === "boolean") {
      out.push({ rule: "boolean-for-string", param, detail: `${param} is a string; the boolean ${shown()} is not text, so a portal does not read it as sent` });
    } else if (kind.type === "object" && isPlainObject(given)) {
      auditObject(kind.shape, given, `${param}.`, () => isTyped, out);
    } else if (kind.type === "deprecated") {
      out.push({ rule: kind.rule, param, detail: `"${param}" belongs to a legacy form (${kind.since}); a portal may stop reading it` });
    }
  }
}

/** `BOT_ID`, `botid` and `botId` name the same parameter for a portal. */
function loose(name: string): string {
  return name.replace(/_/g, "").toLowerCase();
}

function readsAs(value: string | number): string {
  return ["Y", "1", "TRUE"].includes(String(value).trim().toUpperCase()) ? "true" : "false";
}

/** The object shape of a params schema, looking through the alias-reading preprocess step. */
function shapeOf(schema: z.ZodType): Readonly<Record<string, z.ZodType>> | undefined {
  let node: unknown = schema;
  for (let hops = 0; hops < 4 && node; hops++) {
    const shape = (node as { shape?: unknown }).shape;
    if (typeof shape === "object" && shape !== null) return shape as Record<string, z.ZodType>;
    node = (node as { out?: unknown }).out;
  }
  return undefined;
}

/** Under `--strict`: the first finding refuses the call, naming its rule. */
export function refuseDeviations(findings: readonly ConformanceFinding[]): void {
  const first = findings[0];
  if (first) throw new EmulatorError("CONFORMANCE_VIOLATION", `${first.rule}: ${first.detail} (--strict)`);
}
