import fc from "fast-check";
import { createRegistry } from "../../src/rest/registry.js";
import { BODY_FAMILIES, bodyFamilies, extraQuery, formPairs, formText, paramsObject, type BodyFamily, type WireBody } from "./generators.js";
import { documentedRestVerbs, type FuzzRequest } from "./harness.js";

/** Every REST method the emulator serves, from the registry itself. */
export const REST_METHODS: readonly string[] = createRegistry().names();

export const URL_FORMS = ["webhook", "oauth"] as const;
export type UrlForm = (typeof URL_FORMS)[number];

export const WEBHOOK_BASE = "/rest/1/emulator/";
export const OAUTH_TOKEN = "emulator-token";

/** The REST families: every body family, plus query-only calls (GET where documented, POST otherwise). */
export const REST_FAMILIES = [...BODY_FAMILIES, "query"] as const;
export type RestFamily = (typeof REST_FAMILIES)[number];

const families = bodyFamilies(REST_METHODS);

/** How the method name is spelled in the URL: any case, optional `.json`, optional trailing slash. */
const spelling = fc.record({
  casing: fc.constantFrom("as-is", "lower", "upper"),
  suffix: fc.constantFrom("", ".json", ".JSON"),
  slash: fc.constantFrom("", "/"),
  doubleSlash: fc.boolean(),
});

/** OAuth credentials ride in the query (default), a Bearer header, or both. */
const oauthCarrier = fc.constantFrom("query", "query", "query", "bearer", "both");

function methodPath(method: string, form: UrlForm, s: { casing: string; suffix: string; slash: string; doubleSlash: boolean }): string {
  const name = s.casing === "lower" ? method.toLowerCase() : s.casing === "upper" ? method.toUpperCase() : method;
  const base = form === "webhook" ? WEBHOOK_BASE : "/rest/";
  const prefix = s.doubleSlash ? base.replace("/rest/", "/rest//") : base;
  return `${prefix}${name}${s.suffix}${s.slash}`;
}

function withQuery(path: string, parts: string[]): string {
  const query = parts.filter((p) => p !== "").join("&");
  return query === "" ? path : `${path}?${query}`;
}

/** Requests of one family to one method in one URL form, all carrying valid credentials. */
export function restRequests(method: string, form: UrlForm, family: RestFamily): fc.Arbitrary<FuzzRequest> {
  const verbs = documentedRestVerbs(method);
  if (family === "query") {
    return fc
      .record({ s: spelling, carrier: oauthCarrier, params: paramsObject(REST_METHODS), extra: extraQuery(REST_METHODS), verb: fc.constantFrom(...verbs) })
      .map(({ s, carrier, params, extra, verb }): FuzzRequest => {
        const query = formText(formPairs(params)).slice(0, 6000);
        const auth = form === "oauth" && carrier !== "bearer" ? `auth=${OAUTH_TOKEN}` : "";
        return {
          method: verb,
          url: withQuery(methodPath(method, form, s), [auth, query, extra]),
          headers: form === "oauth" && carrier !== "query" ? { Authorization: `Bearer ${OAUTH_TOKEN}` } : ({} as Record<string, string>),
          label: `query-only ${verb}`,
        };
      });
  }
  return fc
    .record({ s: spelling, carrier: oauthCarrier, body: families[family as BodyFamily], extra: extraQuery(REST_METHODS) })
    .map(({ s, carrier, body, extra }) => toRequest(method, form, s, carrier, body, extra));
}

function toRequest(
  method: string,
  form: UrlForm,
  s: { casing: string; suffix: string; slash: string; doubleSlash: boolean },
  carrier: string,
  body: WireBody,
  extra: string,
): FuzzRequest {
  const auth = form === "oauth" && carrier !== "bearer" ? `auth=${OAUTH_TOKEN}` : "";
  const headers: Record<string, string> = { ...body.headers };
  if (form === "oauth" && carrier !== "query") headers.Authorization = `Bearer ${OAUTH_TOKEN}`;
  return {
    method: "POST",
    url: withQuery(methodPath(method, form, s), [auth, extra]),
    headers,
    contentType: body.contentType,
    body: body.body,
    label: body.label,
  };
}
