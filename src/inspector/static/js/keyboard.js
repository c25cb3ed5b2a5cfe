import { h, safeColor, safeUrl } from "./dom.js";

// KEYBOARD buttons as a Bitrix24 client draws and runs them. A COMMAND button is pressed through
// the control API (the bot gets COMMANDADD, context "keyboard"); the other actions act here.

const TOKENS = new Set(["primary", "secondary", "alert", "base"]);

/**
 * `ctx.press(message, index)`, `ctx.send(text)`, `ctx.put(text)` run what a button does;
 * `ctx.block(id)` and `ctx.isBlocked(id)` remember keyboards a BLOCK button has closed.
 */
export function renderKeyboard(message, ctx) {
  const keyboard = message.params.KEYBOARD;
  const box = h("div", { class: "keyboard" });
  let row = h("div", { class: "keyboard-row" });
  const blockAll = () => {
    ctx.block(message.id);
    box.querySelectorAll("button").forEach((b) => b.setAttribute("disabled", ""));
  };
  const blocked = ctx.isBlocked(message.id);
  keyboard.BUTTONS.forEach((button, index) => {
    if (button.TYPE === "NEWLINE") {
      box.append(row);
      row = h("div", { class: "keyboard-row" });
      return;
    }
    const token = TOKENS.has(button.BG_COLOR_TOKEN) ? button.BG_COLOR_TOKEN : "base";
    const el = h(
      "button",
      {
        type: "button",
        class: `kb-button kb-${token}${button.DISPLAY === "LINE" ? " kb-line" : ""}`,
        disabled: button.DISABLED === "Y" || blocked,
        title: describe(button),
        dataset: { index: String(index) },
      },
      button.TEXT,
    );
    const bg = safeColor(button.BG_COLOR);
    const fg = safeColor(button.TEXT_COLOR);
    if (bg) el.style.backgroundColor = bg;
    if (fg) el.style.color = fg;
    if (button.WIDTH) el.style.width = `${Number(button.WIDTH) || 0}px`;
    el.addEventListener("click", async () => {
      // BLOCK: "Y" makes the whole keyboard unusable after one press, as the client does.
      if (button.BLOCK === "Y") blockAll();
      await run(button, index, message, ctx);
    });
    row.append(el);
  });
  box.append(row);
  return box;
}

async function run(button, index, message, ctx) {
  if (typeof button.COMMAND === "string") return ctx.press(message, index);
  if (button.LINK) {
    const url = safeUrl(button.LINK);
    if (url) window.open(url, "_blank", "noopener,noreferrer");
    return;
  }
  const action = String(button.ACTION ?? "").toUpperCase();
  const value = String(button.ACTION_VALUE ?? "");
  if (action === "SEND") return ctx.send(value);
  if (action === "PUT") return ctx.put(value);
  if (action === "COPY") return navigator.clipboard?.writeText(value);
  if (action === "DIALOG") return ctx.openDialog(value);
  ctx.notice(`${action || "This"} button acts in the Bitrix24 client only`);
}

function describe(button) {
  if (typeof button.COMMAND === "string") return `Command /${button.COMMAND.replace(/^\//, "")} ${button.COMMAND_PARAMS ?? ""}`.trim();
  if (button.LINK) return `Opens ${button.LINK}`;
  return `${button.ACTION ?? ""} ${button.ACTION_VALUE ?? ""}`.trim();
}
