// Every node of the page is built here: text goes in as text nodes, never as markup.

/**
 * Creates an element. `props` keys are ours (class, style, on*, dataset, attributes); children are
 * nodes or strings, and strings become text nodes, so bot data can never turn into markup.
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") el.className = value;
    else if (key === "style") Object.assign(el.style, value);
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of [children].flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

/** Replaces an element's children. */
export function fill(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

/** Only web links open: a bot's `javascript:` or `data:` link stays text. */
export function safeUrl(value) {
  if (typeof value !== "string") return null;
  try {
    const url = new URL(value, location.href);
    return url.protocol === "http:" || url.protocol === "https:" || url.protocol === "mailto:" ? url.href : null;
  } catch {
    return null;
  }
}

/** A colour a bot gave (`#df532d`, `red`): applied only when the browser reads it as a colour. */
export function safeColor(value) {
  if (typeof value !== "string" || value === "") return null;
  return CSS.supports("color", value) ? value : null;
}

const TIME = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" });
const DATE = new Intl.DateTimeFormat(undefined, { year: "numeric", month: "short", day: "numeric" });

export function timeOf(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? String(iso) : TIME.format(date);
}

export function dateOf(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? "" : DATE.format(date);
}

export function initials(name) {
  const letters = String(name).split(/\s+/).filter(Boolean).map((w) => [...w][0]).slice(0, 2).join("");
  return letters.toUpperCase() || "?";
}
