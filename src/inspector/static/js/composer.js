import { fill, h } from "./dom.js";

/**
 * The message box: Enter sends, Shift+Enter breaks the line, a leading `/` suggests the commands
 * callable in this chat with their titles and parameter hints.
 */
export function setUpComposer(form, ctx) {
  const input = form.querySelector("textarea");
  const list = form.querySelector(".suggestions");
  const hint = form.querySelector(".param-hint");
  let suggestions = [];
  let active = 0;

  const close = () => {
    suggestions = [];
    list.hidden = true;
  };
  const pick = (command) => {
    input.value = `${command.command} `;
    hint.textContent = command.params ? `${command.command} ${command.params}` : "";
    close();
    input.focus();
  };
  const update = () => {
    const text = input.value;
    const typed = /^\/(\S*)$/.exec(text);
    const command = /^(\/\S+)\s/.exec(text)?.[1];
    const known = command ? ctx.commands().find((c) => c.command === command) : undefined;
    hint.textContent = known?.params ? `${known.command} ${known.params}` : "";
    if (!typed) return close();
    suggestions = ctx.commands().filter((c) => c.command.slice(1).toLowerCase().startsWith(typed[1].toLowerCase()));
    active = 0;
    render();
  };
  const render = () => {
    list.hidden = suggestions.length === 0;
    fill(
      list,
      suggestions.map((c, i) =>
        h(
          "li",
          { class: i === active ? "active" : "", onmousedown: (e) => (e.preventDefault(), pick(c)) },
          h("span", { class: "sugg-command" }, c.command),
          h("span", { class: "sugg-title" }, c.title),
          c.params ? h("span", { class: "sugg-params" }, c.params) : null,
          h("span", { class: "sugg-bot" }, c.botName),
        ),
      ),
    );
  };
  const send = async () => {
    const text = input.value.trim();
    if (!text) return;
    if (await ctx.send(text)) {
      input.value = "";
      hint.textContent = "";
    }
  };

  input.addEventListener("input", update);
  input.addEventListener("blur", () => setTimeout(close, 100));
  input.addEventListener("keydown", (e) => {
    if (suggestions.length > 0 && !list.hidden) {
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        active = (active + (e.key === "ArrowDown" ? 1 : suggestions.length - 1)) % suggestions.length;
        return render();
      }
      const typedWhole = input.value.trim() === suggestions[active].command;
      if (e.key === "Tab" || (e.key === "Enter" && !e.shiftKey && !typedWhole)) {
        e.preventDefault();
        return pick(suggestions[active]);
      }
      // A command typed in full goes out with Enter, as in the Bitrix24 client.
      if (e.key === "Enter" && typedWhole) close();
      if (e.key === "Escape") return close();
    }
    if (e.key === "Escape") ctx.cancelReply();
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      void send();
    }
  });
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    void send();
  });
  // A file goes out with whatever text is typed, as one message.
  const picker = form.querySelector("input[type=file]");
  form.querySelector("#attach-file").addEventListener("click", () => picker.click());
  picker.addEventListener("change", async () => {
    const file = picker.files?.[0];
    picker.value = "";
    if (!file) return;
    if (await ctx.sendFile(file.name, await base64Of(file), input.value.trim())) {
      input.value = "";
      hint.textContent = "";
    }
  });
  return {
    put(text) {
      input.value = text;
      update();
      input.focus();
    },
  };
}

/** The file's bytes as base64 without the `data:` prefix, as the control API's file route takes them. */
function base64Of(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).slice(String(reader.result).indexOf(",") + 1));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}
