import { ERROR_CATALOGUE, type ErrorCode } from "./catalogue.js";

/** A deliberate, documented refusal. Anything else thrown while serving a request is a bug. */
export class EmulatorError extends Error {
  readonly code: ErrorCode;
  readonly description: string;

  constructor(code: ErrorCode, description?: string) {
    const text = description ?? ERROR_CATALOGUE[code].description;
    super(`${code}: ${text}`);
    this.name = "EmulatorError";
    this.code = code;
    this.description = text;
  }
}

/** Shorthand for ERROR_ARGUMENT naming the parameter, as spec OPEN-R6 asks. */
export function argumentError(param: string, problem = "is required"): EmulatorError {
  return new EmulatorError("ERROR_ARGUMENT", `Parameter "${param}" ${problem}`);
}
