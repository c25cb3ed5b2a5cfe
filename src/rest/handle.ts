import { performance } from "node:perf_hooks";
import { EmulatorError } from "../errors/emulator-error.js";
import type { Logger } from "../logger.js";
import type { MethodRegistry } from "../methods/registry.js";
import type { MethodContext } from "../methods/types.js";
import type { FidelitySettings } from "../settings.js";
import type { Store } from "../store/store.js";
import { requireScope, resolveCaller } from "./auth.js";
import { decodeBody, decodeQuery } from "./decode-body.js";
import { errorResponse, successResponse, type RestResponse } from "./envelope.js";
import type { ParamLimits } from "./php-params.js";
import { credentialsOf, parseRestPath } from "./route.js";

/** A REST call as the protocol sees it, free of any HTTP framework. */
export interface RestRequest {
  /** The path after `/rest`, e.g. `/1/emulator/imbot.v2.Command.answer.json`. */
  path: string;
  rawQuery: string;
  contentType: string | undefined;
  authorization: string | undefined;
  body: Buffer | undefined;
  secure: boolean;
}

export interface RestDependencies {
  store: Store;
  registry: MethodRegistry;
  settings: FidelitySettings;
  limits: ParamLimits;
  log: Logger;
  clock: () => Date;
}

/**
 * The REST pipeline, in the portal's order: https -> method lookup -> params -> auth -> scope ->
 * handler (its own ordered checks) -> envelope. Every outcome is a RestResponse; nothing throws.
 */
export function createRestHandler(deps: RestDependencies): (request: RestRequest) => Promise<RestResponse> {
  return async (request) => {
    const startMs = Date.now();
    let methodName = "(unknown)";
    try {
      const route = parseRestPath(request.path);
      if (deps.settings.requireHttps && route.webhook && !request.secure) throw new EmulatorError("INVALID_REQUEST");
      if (route.transport === "xml") throw new EmulatorError("ERROR_UNSUPPORTED_TRANSPORT");
      const method = deps.registry.find(route.method);
      if (!method) throw new EmulatorError("ERROR_METHOD_NOT_FOUND");
      methodName = method.name;

      const params = {
        ...decodeQuery(request.rawQuery, deps.limits),
        ...(await decodeBody(request.body, request.contentType, deps.limits)),
      };
      const { auth, ...methodParams } = params;
      const now = deps.clock();
      const caller = resolveCaller(deps.store.state, credentialsOf(route, auth, request.authorization), now);
      requireScope(caller, method.scope);

      const ctx: MethodContext = { portal: caller.portal, caller, settings: deps.settings, now, log: deps.log };
      const parsed = method.params.parse(methodParams);
      const handlerStart = performance.now();
      const result = method.mutates
        ? await deps.store.commit(() => method.handler(ctx, parsed))
        : method.handler(ctx, parsed);
      return successResponse(result, startMs, performance.now() - handlerStart);
    } catch (error) {
      if (error instanceof EmulatorError) return errorResponse(error, deps.settings.statusOverrides);
      deps.log.error(`${methodName} failed unexpectedly: ${(error as Error).stack ?? String(error)}`);
      return errorResponse(
        new EmulatorError("INTERNAL_SERVER_ERROR", `Internal server error in ${methodName}`),
        deps.settings.statusOverrides,
      );
    }
  };
}
