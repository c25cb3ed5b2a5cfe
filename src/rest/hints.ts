import { nearestName } from "../domain/nearest-name.js";
import { ERROR_CATALOGUE } from "../errors/catalogue.js";
import { EmulatorError } from "../errors/emulator-error.js";
import type { Logger } from "../logger.js";
import type { MethodRegistry } from "./registry.js";

/**
 * The emulator's advice goes after the portal's own text, marked as ours, so a client that matches
 * a portal's error_description by its start still matches.
 */
export function withHint(error: EmulatorError, hint: string): EmulatorError {
  return new EmulatorError(error.code, `${error.description} (b24-emulator: ${hint})`, { alternateStatus: error.status !== undefined });
}

/** ERROR_METHOD_NOT_FOUND naming the method asked for and the known one nearest to it. */
export function unknownMethod(name: string, registry: MethodRegistry): EmulatorError {
  const plain = new EmulatorError("ERROR_METHOD_NOT_FOUND", ERROR_CATALOGUE.ERROR_METHOD_NOT_FOUND.description);
  if (name === "") return withHint(plain, "the URL names no method, e.g. /rest/1/<code>/imbot.v2.Bot.list");
  const near = nearestName(name, registry.names());
  return withHint(plain, `no method "${name}"${near ? `; did you mean ${near}?` : ""}`);
}

export const JSON_SENT_AS_FORM =
  'the body looks like JSON but its Content-Type is not application/json, so it was read as a form; send the header "Content-Type: application/json"';

/** curl -d '{...}' sends JSON labelled as a form; a portal reads it as one odd key and says nothing. */
export function isJsonSentAsForm(body: Buffer | undefined, contentType: string | undefined): boolean {
  if (!body || body.length === 0) return false;
  const type = (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (type !== "" && type !== "application/x-www-form-urlencoded") return false;
  const text = body.subarray(0, 64).toString("utf8").trimStart();
  return text.startsWith("{") || text.startsWith("[");
}

/** A logger for one call: its warnings are logged as usual and kept for the call's journal entry. */
export function collectingLogger(log: Logger, warnings: string[]): Logger {
  return {
    ...log,
    warn(message) {
      warnings.push(message);
      log.warn(message);
    },
  };
}
