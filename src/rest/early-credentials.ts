import { portalNow } from "../clock/portal-clock.js";
import { requireScope, resolveCaller } from "./auth.js";
import { decodeQuery } from "./decode-body.js";
import type { RestDependencies, RestRequest } from "./handle.js";
import { credentialsOf, parseRestPath } from "./route.js";

/**
 * Whether the credentials a call carries before its body (the webhook URL's code, a Bearer header,
 * `auth` or `access_token` in the query string) are already known to be refused. A file upload's
 * body runs to --upload-limit (160 MiB): when its answer is a refusal anyway, the body is not read.
 * False when the body has to be read to decide: credentials only in the body, a query the pipeline
 * refuses on its own, credentials that pass.
 */
export function refusedBeforeBody(deps: RestDependencies, request: Omit<RestRequest, "body">): boolean {
  const route = parseRestPath(request.path);
  let query: Record<string, unknown>;
  try {
    query = decodeQuery(request.rawQuery, deps.limits);
  } catch {
    return false;
  }
  const credentials = credentialsOf(route, query.auth, request.authorization, query.access_token);
  if (credentials.kind === "oauth" && credentials.accessToken === undefined) return false;
  const now = deps.runtime.clock();
  try {
    const caller = resolveCaller(deps.runtime.store.state, credentials, (portal) => portalNow(now, portal));
    const method = deps.registry.find(route.method);
    if (method) requireScope(caller, method.scope);
    return false;
  } catch {
    return true;
  }
}
