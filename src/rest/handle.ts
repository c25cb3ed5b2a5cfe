import { portalNow } from "../clock/portal-clock.js";
import { EmulatorError, statusOf } from "../errors/emulator-error.js";
import type { EventSink } from "../events/sink.js";
import type { Logger } from "../logger.js";
import type { MethodRegistry } from "./registry.js";
import type { ConformanceFinding, InvokeOutcome, MethodContext, MethodDefinition } from "../methods/types.js";
import type { Runtime } from "../runtime.js";
import type { Portal } from "../store/state.js";
import type { FileChanges } from "../store/file-bytes.js";
import { requireScope, resolveCaller, type Caller, type Credentials } from "./auth.js";
import { LeakyBuckets, RATE_LIMIT_PROFILES } from "./rate-limit.js";
import { decodeBody, decodeQuery, isJsonType } from "./decode-body.js";
import { errorResponse, successResponse, type RestResponse } from "./envelope.js";
import { applyRestFault, InjectedFault } from "./injected-fault.js";
import { redactValue } from "../domain/redact.js";
import { auditCall, refuseDeviations } from "./conformance.js";
import { auditSubCall, batchSubContext } from "./batch-conformance.js";
import type { ParamLimits } from "../domain/php-query.js";
import { credentialsOf, parseRestPath } from "./route.js";
import { collectingLogger, isJsonSentAsForm, JSON_SENT_AS_FORM, unknownMethod, withHint } from "./hints.js";

/** A REST call as the protocol sees it, free of any HTTP framework. */
export interface RestRequest {
  httpMethod: string;
  /** The path after `/rest`, e.g. `/1/emulator/imbot.v2.Command.answer.json`. */
  path: string;
  rawQuery: string;
  contentType: string | undefined;
  authorization: string | undefined;
  /** Taken (left undefined) when the params are decoded, so an upload's bytes go before its params are read. */
  body: Buffer | undefined;
  secure: boolean;
}

export interface RestDependencies {
  runtime: Runtime;
  registry: MethodRegistry;
  limits: ParamLimits;
}

/**
 * The REST pipeline, in the portal's order: https -> method lookup -> params -> auth -> scope ->
 * handler (its own ordered checks) -> envelope. Every outcome is a RestResponse; nothing throws.
 */
export function createRestHandler(deps: RestDependencies): (request: RestRequest) => Promise<RestResponse> {
  const { runtime } = deps;
  const limiter = runtime.settings.rateLimit === "off" ? null : new LeakyBuckets(RATE_LIMIT_PROFILES[runtime.settings.rateLimit]);
  return async (request) => {
    const elapsed = runtime.time.stopwatch();
    let now: Date | undefined;
    let methodName = "(unknown)";
    let caller: Caller | undefined;
    let params: Record<string, unknown> = {};
    let authParam: unknown;
    let faultId: number | undefined;
    const findings: ConformanceFinding[] = [];
    let response: RestResponse;
    // Hints for the caller's developer: logged, and kept in the call's journal entry.
    const warnings: string[] = [];
    const log = collectingLogger(runtime.log, warnings);
    const jsonAsForm = isJsonSentAsForm(request.body, request.contentType);
    let effects: { messageIds: number[]; eventIds: number[] } = { messageIds: [], eventIds: [] };
    try {
      const route = parseRestPath(request.path);
      methodName = route.method || "(none)";
      if (!CALLABLE_WITH.has(request.httpMethod)) throw new EmulatorError("HTTP_METHOD_NOT_ALLOWED");
      if (runtime.settings.requireHttps && route.webhook && !request.secure) throw new EmulatorError("INVALID_REQUEST");
      if (route.transport === "xml") throw new EmulatorError("ERROR_UNSUPPORTED_TRANSPORT");
      const method = deps.registry.find(route.method);
      if (!method) throw unknownMethod(route.method, deps.registry);
      methodName = method.name;
      if (jsonAsForm) log.warn(`${method.name}: ${JSON_SENT_AS_FORM}`);

      const query = decodeQuery(request.rawQuery, deps.limits);
      const body = await decodeBody(request, request.contentType, deps.limits);
      const { auth, access_token: accessTokenParam, ...methodParams } = { ...query, ...body };
      findings.push(...auditCall(method, { httpMethod: request.httpMethod, query, body, json: isJsonType(request.contentType) }));
      params = methodParams;
      authParam = auth ?? accessTokenParam;
      const globalNow = runtime.clock();
      const credentials = credentialsOf(route, auth, request.authorization, accessTokenParam);
      // One bucket per credential, counted before it is checked, as a portal counts per application.
      if (limiter && !limiter.take(bucketKey(credentials), globalNow.getTime())) throw new EmulatorError("QUERY_LIMIT_EXCEEDED");
      caller = resolveCaller(runtime.store.state, credentials, (portal) => portalNow(globalNow, portal));
      requireScope(caller, method.scope);
      const callNow = portalNow(globalNow, caller.portal);
      now = callNow;
      const fault = runtime.faults.takeRest(caller.portal.id, method.name);
      if (fault) {
        faultId = fault.id;
        await applyRestFault(fault, runtime.settings.statusOverrides);
      }
      if (runtime.settings.strict) refuseDeviations(findings);

      const resolved = caller;
      // Inside a change the portal must be the one handed over, so the store sees every change.
      const run = (portal: Portal, sink: EventSink, _now: Date, files: FileChanges) => {
        const lastMessageId = portal.seq.message;
        const result = runMethod(method, methodContext(deps, { ...resolved, portal }, callNow, { events: sink, files }, elapsed, log, findings), methodParams);
        return { result, messageIds: storedSince(portal, lastMessageId), eventIds: sink.raised.map((e) => e.eventId) };
      };
      const handlerStart = elapsed();
      const options = { now: callNow, missing: "NO_AUTH_FOUND" as const };
      const { result, messageIds, eventIds } = method.mutates
        ? await runtime.change(resolved.portal.id, run, options)
        : runtime.read(resolved.portal.id, run, options);
      effects = { messageIds, eventIds };
      const handlerEnd = elapsed();
      response = successResponse(result, callNow.getTime(), handlerEnd - handlerStart, callNow.getTime() + handlerEnd);
    } catch (error) {
      if (error instanceof InjectedFault) return journaled(error.response);
      const refusal = asEmulatorError(error, methodName, runtime.log);
      response = errorResponse(jsonAsForm ? withHint(refusal, JSON_SENT_AS_FORM) : refusal, runtime.settings);
      // A call refused before its credentials were checked (a misspelt method, a broken body, the
      // rate limit) still belongs in its portal's journal when the credentials are good.
      caller ??= attribute(deps, request, authParam, refusal);
    }
    return journaled(response);

    function journaled(answer: RestResponse): RestResponse {
      if (!caller) return answer;
      runtime.activity.record(caller.portal.id, {
        time: (now ?? portalNow(runtime.clock(), caller.portal)).toISOString(),
        httpMethod: request.httpMethod,
        method: methodName,
        params,
        status: answer.status,
        error: answer.dropConnection || !("error" in answer.body) ? null : String(answer.body.error),
        durationMs: elapsed(),
        caller: describeCaller(caller),
        response: journaledResponse(answer),
        ...(faultId === undefined ? {} : { fault: faultId }),
        ...(warnings.length === 0 ? {} : { warnings }),
        ...effects,
        ...(findings.length === 0 ? {} : { conformance: findings }),
      });
      return answer;
    }
  };
}

/** Who called, for the journal: which webhook user or which app, never the secret itself. */
function describeCaller(caller: Caller): string {
  return caller.kind === "webhook" ? `webhook of user ${caller.userId}` : `app ${caller.clientId} (user ${caller.userId})`;
}

const JOURNALED_RESPONSE_CHARS = 16_384;

/** The answer as the journal keeps it: secrets masked, and a long one cut, so the journal stays small. */
function journaledResponse(answer: RestResponse): unknown {
  if (answer.dropConnection) return null;
  const masked = redactValue(answer.body);
  const text = JSON.stringify(masked);
  return text.length <= JOURNALED_RESPONSE_CHARS ? masked : `${text.slice(0, JOURNALED_RESPONSE_CHARS)}… (${text.length} characters, cut)`;
}

/** Ids of the messages a change stored: ids are handed out in order, and a deleted one is no longer there. */
function storedSince(portal: Portal, lastMessageId: number): number[] {
  const ids: number[] = [];
  for (let id = lastMessageId + 1; id <= portal.seq.message; id++) if (portal.messages[id]) ids.push(id);
  return ids;
}

const CALLABLE_WITH = new Set(["GET", "POST", "HEAD"]);

const CREDENTIAL_ERRORS = new Set(["NO_AUTH_FOUND", "insufficient_scope"]);

function attribute(deps: RestDependencies, request: RestRequest, authParam: unknown, refusal: EmulatorError): Caller | undefined {
  if (CREDENTIAL_ERRORS.has(refusal.code)) return undefined;
  try {
    const route = parseRestPath(request.path);
    const auth = authParam ?? new URLSearchParams(request.rawQuery).get("auth") ?? undefined;
    const globalNow = deps.runtime.clock();
    // An expired token still names its portal: judged at the epoch, before anything expired, it
    // resolves, so the journal shows the refused call a client refreshes after.
    const at = refusal.code === "expired_token" ? () => new Date(0) : (portal: Portal) => portalNow(globalNow, portal);
    return resolveCaller(deps.runtime.store.state, credentialsOf(route, auth, request.authorization), at);
  } catch {
    return undefined;
  }
}

function bucketKey(credentials: Credentials): string {
  return credentials.kind === "webhook" ? `hook:${credentials.userId}:${credentials.code}` : `token:${credentials.accessToken ?? ""}`;
}

function runMethod(method: MethodDefinition, ctx: MethodContext, params: Record<string, unknown>): unknown {
  return method.handler(ctx, method.params.parse(params));
}

function methodContext(
  deps: RestDependencies,
  caller: Caller,
  now: Date,
  change: { events: EventSink; files: FileChanges },
  elapsedMs: () => number,
  log: Logger,
  findings: ConformanceFinding[],
): MethodContext {
  const ctx: MethodContext = {
    portal: caller.portal,
    caller,
    settings: deps.runtime.settings,
    now,
    elapsedMs,
    random: deps.runtime.random,
    log,
    events: change.events,
    files: change.files,
    webhookTargets: deps.runtime.webhookTargets,
    flag(finding) {
      if (deps.runtime.settings.strict) refuseDeviations([finding]);
      findings.push(finding);
    },
    invoke(name, params, batchKey): InvokeOutcome {
      try {
        const method = deps.registry.find(name);
        if (!method) throw unknownMethod(name, deps.registry);
        if (method.batchable === false) throw new EmulatorError("ERROR_BATCH_METHOD_NOT_ALLOWED");
        requireScope(caller, method.scope);
        const sub = batchSubContext(ctx, name, batchKey);
        for (const finding of auditSubCall(method, params)) sub.flag(finding);
        return { ok: true, result: runMethod(method, sub, params) };
      } catch (error) {
        const known = asEmulatorError(error, name, deps.runtime.log);
        const status = statusOf(known, deps.runtime.settings.statusOverrides);
        return { ok: false, error: known.code, description: known.description, status };
      }
    },
  };
  return ctx;
}

function asEmulatorError(error: unknown, methodName: string, log: Logger): EmulatorError {
  if (error instanceof EmulatorError) return error;
  log.error(`${methodName} failed unexpectedly: ${(error as Error).stack ?? String(error)}`);
  return new EmulatorError("INTERNAL_SERVER_ERROR", `Internal server error in ${methodName}`);
}
