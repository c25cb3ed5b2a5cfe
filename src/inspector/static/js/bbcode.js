import { h, safeUrl } from "./dom.js";

// Bitrix24 message markup: [b] [i] [u] [s] [url] [quote] [code] [USER=n] [CHAT=n] [BR] [send] [put].
// Parsed into a tree and rendered node by node; anything not understood stays visible text.

const TAG = /\[(\/?)(b|i|u|s|url|quote|code|user|chat|br|send|put)(?:=([^\]]*))?\]/gi;

/** Parses text into nodes: {text} | {br} | {tag, arg, raw, children, closed}. */
export function parseBbCode(text) {
  const root = { tag: "root", children: [], closed: true };
  const stack = [root];
  const top = () => stack[stack.length - 1];
  let last = 0;
  TAG.lastIndex = 0;
  for (let match = TAG.exec(text); match; match = TAG.exec(text)) {
    const [raw, slash, rawName, arg] = match;
    const name = rawName.toLowerCase();
    if (match.index > last) top().children.push({ text: text.slice(last, match.index) });
    last = TAG.lastIndex;
    if (name === "br") {
      top().children.push(slash ? { text: raw } : { br: true });
    } else if (slash) {
      const at = stack.findLastIndex((n) => n.tag === name);
      if (at <= 0) top().children.push({ text: raw });
      else {
        stack[at].closed = true;
        stack.length = at;
      }
    } else if (name === "code") {
      const end = text.toLowerCase().indexOf("[/code]", last);
      if (end === -1) top().children.push({ text: raw });
      else {
        top().children.push({ tag: "code", raw, closed: true, children: [{ text: text.slice(last, end) }] });
        last = end + "[/code]".length;
        TAG.lastIndex = last;
      }
    } else {
      const node = { tag: name, arg: arg ?? null, raw, children: [], closed: false };
      top().children.push(node);
      stack.push(node);
    }
  }
  if (last < text.length) top().children.push({ text: text.slice(last) });
  return root.children;
}

/** Plain text of nodes, as a label or a link target. */
export function plainText(nodes) {
  return nodes.map((n) => (n.text !== undefined ? n.text : n.br ? "\n" : plainText(n.children ?? []))).join("");
}

/** A message's text as one line of plain words (previews, reply quotes). */
export function oneLine(text, max = 120) {
  return plainText(parseBbCode(text)).replace(/\s+/g, " ").slice(0, max);
}

/**
 * Renders message text. `ctx` knows the portal: `userName(id)`, `chatTitle(id)`, `openChat(id)`,
 * `send(text)` and `put(text)` (command links).
 */
export function renderBbCode(text, ctx) {
  const out = document.createDocumentFragment();
  for (const node of parseBbCode(String(text ?? ""))) out.append(renderNode(node, ctx));
  return out;
}

function renderNodes(nodes, ctx) {
  return nodes.map((n) => renderNode(n, ctx));
}

function renderNode(node, ctx) {
  if (node.br) return h("br");
  if (node.text !== undefined) return textWithBreaks(node.text);
  // An unclosed tag is no markup: show it as typed, then what followed it.
  if (!node.closed) return h("span", {}, node.raw, renderNodes(node.children, ctx));
  const inner = () => renderNodes(node.children, ctx);
  switch (node.tag) {
    case "b":
      return h("strong", {}, inner());
    case "i":
      return h("em", {}, inner());
    case "u":
      return h("span", { class: "bb-u" }, inner());
    case "s":
      return h("del", {}, inner());
    case "quote":
      return h("blockquote", { class: "bb-quote" }, inner());
    case "code":
      return h("pre", { class: "bb-code" }, h("code", {}, plainText(node.children)));
    case "url": {
      const href = safeUrl(node.arg ?? plainText(node.children));
      if (!href) return h("span", {}, node.raw, inner(), "[/url]");
      return h("a", { href, target: "_blank", rel: "noopener noreferrer" }, inner());
    }
    case "user": {
      const id = Number(node.arg);
      const label = plainText(node.children) || ctx.userName(id);
      return h("span", { class: "bb-mention", title: `${ctx.userName(id)} (user ${node.arg})` }, "@", label);
    }
    case "chat": {
      const id = Number(node.arg);
      const label = plainText(node.children) || ctx.chatTitle(id);
      return h("a", { href: "#", class: "bb-chat", onclick: (e) => (e.preventDefault(), ctx.openChat(id)) }, "#", label);
    }
    case "send":
    case "put": {
      const command = node.arg ?? plainText(node.children);
      const title = node.tag === "send" ? `Sends ${command}` : `Puts ${command} into the composer`;
      return h(
        "button",
        { type: "button", class: `bb-command bb-${node.tag}`, title, onclick: () => (node.tag === "send" ? ctx.send(command) : ctx.put(command)) },
        node.children.length > 0 ? inner() : command,
      );
    }
    default:
      return h("span", {}, node.raw, inner());
  }
}

function textWithBreaks(text) {
  const parts = text.split("\n");
  const out = document.createDocumentFragment();
  parts.forEach((part, i) => {
    if (i > 0) out.append(h("br"));
    if (part) out.append(part);
  });
  return out;
}
