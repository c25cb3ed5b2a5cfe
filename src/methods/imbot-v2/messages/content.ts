import { validateAttach, type Attach } from "../../../domain/attach.js";
import { normaliseKeyboard, type Keyboard } from "../../../domain/keyboard.js";
import { applyLengthLimit, MAX_MESSAGE_LENGTH, normaliseMessageText, type OverlongPolicy } from "../../../domain/text.js";
import { argumentError, EmulatorError } from "../../../errors/emulator-error.js";
import { anyParam, boolParam, stringParam, toText } from "../../params/coerce.js";

/** The `fields` a bot's message is made of, shared by Command.answer and Chat.Message.send/update. */
export const MESSAGE_FIELDS = {
  message: stringParam,
  attach: anyParam,
  keyboard: anyParam,
  system: boolParam(false),
  urlPreview: boolParam(true),
};



/**
 * Normalised text within the 20,000 code point limit. Chat.Message.send always truncates (the
 * docs say so); Chat.Message.update follows `overlongMessage` and refuses with ERROR_ARGUMENT.
 */
export function readText(value: unknown, policy: OverlongPolicy): string {
  const text = applyLengthLimit(normaliseMessageText(toText(value)), policy);
  if (text === null) {
    throw argumentError("fields.message", `is longer than ${MAX_MESSAGE_LENGTH} characters (Unicode code points)`);
  }
  return text;
}

/**
 * Which codes refuse a bad attach or keyboard: the docs' (ATTACH_ERROR, ATTACH_OVERSIZE, and
 * ERROR_ARGUMENT for a keyboard), or the server's PARAM_ATTACH_ERROR / PARAM_KEYBOARD_ERROR, which
 * Chat.Message.send answers on a portal (spec v2-complete §4 e).
 */
export type AttachErrorCodes = "server" | "docs";

export function readAttach(value: unknown, codes: AttachErrorCodes = "docs"): Attach | null {
  const result = validateAttach(value);
  if (!result.ok) throw new EmulatorError(codes === "server" ? "PARAM_ATTACH_ERROR" : result.code, result.reason);
  return result.attach;
}

export function readKeyboard(value: unknown, botId: number, codes: AttachErrorCodes = "docs"): Keyboard | null {
  const result = normaliseKeyboard(value, botId);
  if (result.ok) return result.keyboard;
  if (codes === "server") throw new EmulatorError("PARAM_KEYBOARD_ERROR", result.reason);
  throw argumentError("fields.keyboard", result.reason.replace(/^keyboard /, ""));
}

/** `"N"`, `""`, `null` and an empty list clear a message's attach or keyboard on update. */
export function clearsValue(value: unknown): boolean {
  return (
    value === null ||
    value === "" ||
    value === false ||
    (typeof value === "string" && value.trim().toUpperCase() === "N") ||
    (Array.isArray(value) && value.length === 0)
  );
}
