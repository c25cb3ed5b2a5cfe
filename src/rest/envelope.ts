import { isoWithOffset } from "../domain/dates.js";
import { ERROR_CATALOGUE, type ErrorCode } from "../errors/catalogue.js";
import type { EmulatorError } from "../errors/emulator-error.js";

/** The `time` block of every success; the official JS SDK refuses a response without it. */
export interface TimeBlock {
  start: number;
  finish: number;
  duration: number;
  processing: number;
  date_start: string;
  date_finish: string;
}

export interface RestResponse {
  status: number;
  body: { result: unknown; time: TimeBlock } | { error: string; error_description: string };
  /** An injected fault: the HTTP edge closes the connection without answering. */
  dropConnection?: boolean;
}

/** Instants are on the portal's clock; under a frozen clock start = finish and both durations are 0. */
export function timeBlock(startMs: number, processingMs: number, finishMs: number): TimeBlock {
  const durationMs = Math.max(0, finishMs - startMs);
  return {
    start: startMs / 1000,
    finish: finishMs / 1000,
    duration: durationMs / 1000,
    processing: Math.min(processingMs, durationMs) / 1000,
    date_start: isoWithOffset(startMs),
    date_finish: isoWithOffset(finishMs),
  };
}


export type StatusOverrides = Partial<Record<ErrorCode, number>>;

export function successResponse(result: unknown, startMs: number, processingMs: number, finishMs: number): RestResponse {
  return { status: 200, body: { result, time: timeBlock(startMs, processingMs, finishMs) } };
}

/** The one place an error becomes wire format: `{error, error_description}` and its status. */
export function errorResponse(error: EmulatorError, overrides: StatusOverrides = {}): RestResponse {
  return errorEnvelope(error.code, error.description, overrides[error.code] ?? ERROR_CATALOGUE[error.code].status);
}

/** The same envelope for any code, such as one a fault rule names that the catalogue does not. */
export function errorEnvelope(code: string, description: string, status: number): RestResponse {
  return { status, body: { error: code, error_description: description } };
}
