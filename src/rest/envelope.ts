import { timeBlock, type TimeBlock } from "../domain/time-block.js";
import type { ErrorCode } from "../errors/catalogue.js";
import { statusOf, type EmulatorError } from "../errors/emulator-error.js";
import { ListPage } from "../methods/list-page.js";

export type { TimeBlock };

export interface RestResponse {
  status: number;
  body: { result: unknown; next?: number; total?: number; time: TimeBlock } | { error: string; error_description: string };
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

/** The one place an error becomes wire format: `{error, error_description}` and its status. */
export function errorResponse(error: EmulatorError, overrides: StatusOverrides = {}): RestResponse {
  return errorEnvelope(error.code, error.description, statusOf(error, overrides));
}

/** The same envelope for any code, such as one a fault rule names that the catalogue does not. */
export function errorEnvelope(code: string, description: string, status: number): RestResponse {
  return { status, body: { error: code, error_description: description } };
}
