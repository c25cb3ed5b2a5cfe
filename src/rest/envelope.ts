import { timeBlock, type TimeBlock } from "../domain/time-block.js";
import type { ErrorCode } from "../errors/catalogue.js";
import { statusOf, type EmulatorError } from "../errors/emulator-error.js";
import { wireErrorCode } from "../errors/wire-code.js";
import { ListPage } from "../methods/list-page.js";

export type { TimeBlock };

export interface RestResponse {
  status: number;
  /** `error` is a number only for the binder's code under `numericBinderCode`. */
  body: { result: unknown; next?: number; total?: number; time: TimeBlock } | { error: string | number; error_description: string };
  /** An injected fault: the HTTP edge closes the connection without answering. */
  dropConnection?: boolean;
}

export type StatusOverrides = Partial<Record<ErrorCode, number>>;

export function successResponse(result: unknown, startMs: number, processingMs: number, finishMs: number): RestResponse {
  const time = timeBlock(startMs, processingMs, finishMs);
  if (result instanceof ListPage) {
    const next = result.next === undefined ? {} : { next: result.next };
    return { status: 200, body: { result: result.items, ...next, total: result.total, time } };
  }
  return { status: 200, body: { result, time } };
}

/** How the settings shape an error on the wire. */
export interface ErrorWire {
  statusOverrides?: StatusOverrides;
  /** The binder's code "100" as the JSON number, as REST before 25.700 sent it (spec v2-complete §4 b). */
  numericBinderCode?: boolean;
}

/** The one place an error becomes wire format: `{error, error_description}` and its status. */
export function errorResponse(error: EmulatorError, wire: ErrorWire = {}): RestResponse {
  return { status: statusOf(error, wire.statusOverrides ?? {}), body: { error: wireErrorCode(error.code, wire), error_description: error.description } };
}

/** The same envelope for any code, such as one a fault rule names that the catalogue does not. */
export function errorEnvelope(code: string, description: string, status: number): RestResponse {
  return { status, body: { error: code, error_description: description } };
}
