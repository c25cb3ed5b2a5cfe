import type { ConformanceFinding, MethodContext, MethodDefinition } from "../methods/types.js";
import { auditCall } from "./conformance.js";

/**
 * A batch sub-call is checked like a top-level call (issue 12 item 6). Its `"method?query"` is
 * form-encoded text, so the type rules cannot fire, but unknown parameters, upper-case aliases and
 * deprecated forms can. Its findings, the handler's own included, go on the batch's journal entry,
 * tagged with the sub-call's `cmd` key; under `--strict` they refuse that sub-call only.
 */
export function auditSubCall(method: MethodDefinition, params: Record<string, unknown>): ConformanceFinding[] {
  return auditCall(method, { httpMethod: "GET", query: {}, body: params, json: false });
}

/** The batch's context for one sub-call: the same caller and change, findings tagged with the key. */
export function batchSubContext(ctx: MethodContext, methodName: string, batchKey: string): MethodContext {
  return {
    ...ctx,
    flag: (finding) => ctx.flag({ ...finding, batchKey, detail: `cmd[${batchKey}] ${methodName}: ${finding.detail}` }),
  };
}
