import { validateAttach, type Attach } from "../../../domain/attach.js";
import { parseMaybeJson } from "../../../domain/json-value.js";
import { normaliseKeyboard, type Keyboard } from "../../../domain/keyboard.js";
import { applyLengthLimit, codePointLength, normaliseMessageText } from "../../../domain/text.js";
import { anyParam, toText } from "../../params/coerce.js";
import { EmulatorError } from "../../../errors/emulator-error.js";

/** v1 caps ATTACH, KEYBOARD and MENU at 30 KB of JSON each (spec v1.md §4). */
const MAX_V1_BLOCK_LENGTH = 30_000;

function oversize(value: unknown): boolean {
  return codePointLength(JSON.stringify(parseMaybeJson(value) ?? value) ?? "") > MAX_V1_BLOCK_LENGTH;
}

/** `''` (bitrixogram sends it) and absent mean no attach. */
export function readV1Attach(value: unknown): Attach | null {
  if (value !== undefined && value !== "" && oversize(value)) throw new EmulatorError("ATTACH_OVERSIZE", "You have exceeded the maximum allowable size of attach (30 KB)");
  const result = validateAttach(value);
  if (!result.ok) throw new EmulatorError(result.code, result.reason);
  return result.attach;
}

/** Buttons as an array, `{BUTTONS}` or JSON text; `{TYPE: "NEWLINE"}` breaks a row. */
export function readV1Keyboard(value: unknown, botId: number): Keyboard | null {
  if (value !== undefined && value !== "" && oversize(value)) throw new EmulatorError("KEYBOARD_OVERSIZE");
  const result = normaliseKeyboard(value, botId);
  if (!result.ok) throw new EmulatorError("KEYBOARD_ERROR", result.reason);
  return result.keyboard;
}

/** MENU: items as an array (or `{ITEMS}`) or JSON text; stored as given, never shown. */
export function readV1Menu(value: unknown): unknown[] | null {
  if (value === undefined || value === null || value === "" || value === "N") return null;
  if (oversize(value)) throw new EmulatorError("MENU_OVERSIZE");
  const parsed = parseMaybeJson(value);
  const items = Array.isArray(parsed) ? parsed : parsed !== null && typeof parsed === "object" ? (parsed as { ITEMS?: unknown }).ITEMS : undefined;
  if (!Array.isArray(items)) throw new EmulatorError("MENU_ERROR", "MENU must be an array of items");
  return items.length > 0 ? items : null;
}

/** `''` and `N` clear a message's attach, keyboard or menu on update. */
export function clearsV1(value: unknown): boolean {
  return value === "" || value === null || (typeof value === "string" && value.trim().toUpperCase() === "N");
}

/** Message text as v1 stores it: trimmed, `[br]` as a line break, overlong text cut at 20,000. */
export function readV1Text(value: unknown): string {
  return applyLengthLimit(normaliseMessageText(toText(value)), "truncate") ?? "";
}

/** What a v1 message carries, the same parameters in imbot.message.add, .update and imbot.command.answer. */
export const v1ContentParams = { MESSAGE: anyParam, ATTACH: anyParam, KEYBOARD: anyParam, MENU: anyParam, URL_PREVIEW: anyParam };

/** A v1 message's content as read from `v1ContentParams`. */
export interface V1Content {
  text: string;
  attach: Attach | null;
  keyboard: Keyboard | null;
  menu: unknown[] | null;
}

/**
 * Reads `v1ContentParams` in the portal's order: the text, which imbot methods require before they
 * look at anything else (MESSAGE_EMPTY), then the attach (enough alone for im.message.add), the
 * keyboard (its buttons answer `authorId`'s bot) and the menu.
 */
export function readV1Content(params: { [K in keyof typeof v1ContentParams]?: unknown }, authorId: number, attachAlone: boolean): V1Content {
  const text = readV1Text(params.MESSAGE);
  if (text === "" && !attachAlone) throw new EmulatorError("MESSAGE_EMPTY");
  const attach = readV1Attach(params.ATTACH);
  if (text === "" && !attach) throw new EmulatorError("MESSAGE_EMPTY");
  return { text, attach, keyboard: readV1Keyboard(params.KEYBOARD, authorId), menu: readV1Menu(params.MENU) };
}
