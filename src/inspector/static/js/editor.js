import { h } from "./dom.js";

// Editing one's own message in place, through the control API's edit route.

/** The message's text in a box: Enter saves, Shift+Enter breaks the line, Escape gives up. */
export function renderEditor(message, ctx) {
  const input = h("textarea", { class: "edit-input", rows: "2", "aria-label": "Edit message" });
  input.value = message.text;
  const save = async () => {
    const text = input.value;
    if (text === message.text) return ctx.stopEdit();
    if (await ctx.act(ctx.api.edit(message.id, ctx.actingUserId, text))) ctx.stopEdit();
  };
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey) {
      e.preventDefault();
      void save();
    } else if (e.key === "Escape") ctx.stopEdit();
  });
  return h(
    "form",
    { class: "editor", onsubmit: (e) => (e.preventDefault(), void save()) },
    input,
    h("div", { class: "editor-buttons" }, h("button", { type: "button", onclick: () => ctx.stopEdit() }, "Cancel"), h("button", { type: "submit", class: "primary" }, "Save")),
  );
}
