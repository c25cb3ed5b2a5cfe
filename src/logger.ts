import { redactText } from "./domain/redact.js";

/** Where the emulator says what a portal would not: skipped answers, mismatches, bugs. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Every line passes through redaction: no log line, error stacks included, prints a secret. */
export function redactingLogger(log: Logger): Logger {
  return {
    info: (m) => log.info(redactText(m)),
    warn: (m) => log.warn(redactText(m)),
    error: (m) => log.error(redactText(m)),
  };
}

export const silentLogger: Logger = { info() {}, warn() {}, error: (m) => console.error(m) };

export const consoleLogger: Logger = {
  info: (m) => console.log(m),
  warn: (m) => console.warn(`warning: ${m}`),
  error: (m) => console.error(`error: ${m}`),
};
