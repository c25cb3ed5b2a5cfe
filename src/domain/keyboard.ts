import { isAllowedLink, isPlainObject, parseMaybeJson, type PlainObject } from "./json-value.js";

export interface Keyboard {
  BOT_ID: number;
  BUTTONS: PlainObject[];
}

const ACTIONS = new Set(["PUT", "SEND", "COPY", "CALL", "DIALOG"]);

export type KeyboardResult = { ok: true; keyboard: Keyboard | null } | { ok: false; reason: string };

/**
 * Normalises a KEYBOARD given as JSON text, `{BOT_ID?, BUTTONS}` or a bare button array.
 * The docs define no keyboard error code, so buttons without TEXT and exactly one action are
 * dropped silently (spec OPEN-A5); only unreadable input is refused.
 */
export function normaliseKeyboard(input: unknown, defaultBotId: number): KeyboardResult {
  if (input === undefined || input === null || input === "" || input === "N") return { ok: true, keyboard: null };
  const value = parseMaybeJson(input);
  if (value === undefined) return { ok: false, reason: "keyboard is not valid JSON" };

  let buttons: unknown;
  let botId = defaultBotId;
  if (Array.isArray(value)) buttons = value;
  else if (isPlainObject(value)) {
    buttons = value.BUTTONS;
    const given = Number(value.BOT_ID);
    if (Number.isInteger(given) && given > 0) botId = given;
  } else return { ok: false, reason: "keyboard must be an object with BUTTONS or an array of buttons" };

  if (!Array.isArray(buttons)) return { ok: false, reason: "keyboard.BUTTONS must be an array" };
  const kept = buttons.filter(isUsableButton);
  return { ok: true, keyboard: kept.length > 0 ? { BOT_ID: botId, BUTTONS: kept } : null };
}

function isUsableButton(button: unknown): button is PlainObject {
  if (!isPlainObject(button)) return false;
  if (button.TYPE === "NEWLINE") return true;
  if (typeof button.TEXT !== "string" || button.TEXT === "") return false;
  const actions = [
    button.LINK !== undefined && isAllowedLink(button.LINK),
    typeof button.COMMAND === "string" && button.COMMAND !== "",
    typeof button.ACTION === "string" && ACTIONS.has(button.ACTION.toUpperCase()),
    button.APP_ID !== undefined,
  ].filter(Boolean).length;
  return actions === 1;
}
