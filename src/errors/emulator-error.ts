import { ERROR_CATALOGUE, type ErrorCode } from "./catalogue.js";

/** A deliberate, documented refusal. Anything else thrown while serving a request is a bug. */
export class EmulatorError extends Error {
  readonly code: ErrorCode;
  readonly description: string;
  /** The code's `alternateStatus`, when the method answers with that one (see the catalogue). */
  readonly status: number | undefined;

  constructor(code: ErrorCode, description?: string, options: { alternateStatus?: boolean } = {}) {
    const text = description ?? ERROR_CATALOGUE[code].description;
    super(`${code}: ${text}`);
    this.name = "EmulatorError";
    this.code = code;
    this.description = text;
    const entry: { status: number; alternateStatus?: number } = ERROR_CATALOGUE[code];
    this.status = options.alternateStatus ? entry.alternateStatus : undefined;
  }
}

/** The status an error goes out with: a configured override, else its own, else the catalogue's. */
export function statusOf(error: EmulatorError, overrides: Partial<Record<ErrorCode, number>> = {}): number {
  return overrides[error.code] ?? error.status ?? ERROR_CATALOGUE[error.code].status;
}

/** Shorthand for ERROR_ARGUMENT naming the parameter, as spec OPEN-R6 asks. */
export function argumentError(param: string, problem = "is required"): EmulatorError {
  return new EmulatorError("ERROR_ARGUMENT", `Parameter "${param}" ${problem}`);
}
