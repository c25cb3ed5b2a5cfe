import { renderBbCode } from "./bbcode.js";
import { fetchFileWithKey, holdsAdminKey } from "./api.js";
import { h, safeColor, safeUrl } from "./dom.js";

// ATTACH blocks as Bitrix24 draws them: a coloured bar on the left, then blocks top to bottom.

const TOKENS = new Set(["primary", "secondary", "alert", "base"]);

export function renderAttach(attach, ctx) {
  const token = TOKENS.has(attach.COLOR_TOKEN) ? attach.COLOR_TOKEN : "base";
  const box = h("div", { class: `attach attach-${token}` });
  const color = safeColor(attach.COLOR);
  if (color) box.style.borderLeftColor = color;
  for (const block of attach.BLOCKS ?? []) {
    const [kind, value] = Object.entries(block)[0] ?? [];
    const render = BLOCKS[kind];
    box.append(render ? render(value, ctx) : h("div", { class: "attach-unknown" }, `${kind} block`));
  }
  return box;
}

/**
 * A file shared in the chat (`params.FILE_ID`, listed by the control API as `files`): its kind, its
 * name linking to the bytes the emulator serves, its size, and a preview when it is a picture.
 */
export function renderSharedFile(file) {
  const picture = file.image ? ` · ${file.image.width}×${file.image.height}` : "";
  const keyed = holdsAdminKey();
  // Behind --admin-key a plain <img> or <a> would get 401: the bytes are fetched with the key instead.
  const preview = file.image ? (keyed ? keyedImage(file, "shared-file-preview") : image(file.url, file.name, "shared-file-preview")) : null;
  const name = link(file.url, file.name, "shared-file-name");
  const previewLink = preview ? link(file.url, preview, "shared-file-preview-link") : null;
  if (keyed) for (const opener of [name, previewLink]) opener?.addEventListener("click", (event) => downloadWithKey(event, file));
  return h(
    "div",
    { class: "shared-file", title: `File ${file.id}: bots read it with imbot.v2.File.download`, dataset: { fileId: String(file.id) } },
    previewLink,
    h("span", { class: "file-icon" }, extensionOf(file.name)),
    name,
    h("span", { class: "file-size" }, `${formatSize(file.size)}${picture}`),
  );
}

function keyedImage(file, className) {
  const img = h("img", { alt: file.name ?? "", class: className });
  fetchFileWithKey(file.url)
    .then((blob) => (img.src = URL.createObjectURL(blob)))
    .catch(() => img.replaceWith(h("span", { class: className }, "preview unavailable")));
  return img;
}

function downloadWithKey(event, file) {
  event.preventDefault();
  fetchFileWithKey(file.url)
    .then((blob) => {
      const url = URL.createObjectURL(blob);
      const anchor = h("a", { href: url, download: file.name ?? "file" });
      document.body.append(anchor);
      anchor.click();
      anchor.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    })
    .catch((error) => alert(error.line ?? String(error)));
}

function link(href, children, className) {
  const url = safeUrl(href);
  return url ? h("a", { href: url, target: "_blank", rel: "noopener noreferrer", class: className }, children) : h("span", { class: className }, children);
}

function image(src, alt, className) {
  const url = safeUrl(src);
  return url ? h("img", { src: url, alt: alt ?? "", class: className, loading: "lazy", referrerpolicy: "no-referrer" }) : null;
}

const BLOCKS = {
  MESSAGE: (text, ctx) => h("div", { class: "attach-message" }, renderBbCode(text, ctx)),
  LINK: (v, ctx) =>
    h(
      "div",
      { class: "attach-link" },
      image(v.PREVIEW, v.NAME, "attach-link-preview"),
      h("div", {}, link(v.LINK, v.NAME || v.LINK, "attach-link-name"), v.DESC ? h("div", { class: "attach-desc" }, renderBbCode(v.DESC, ctx)) : null),
    ),
  USER: (v) =>
    h("div", { class: "attach-user" }, image(v.AVATAR, v.NAME, "attach-avatar") ?? h("span", { class: "attach-avatar blank" }), link(v.LINK, v.NAME, "attach-user-name")),
  GRID: (items, ctx) =>
    h(
      "div",
      { class: "attach-grid" },
      items.map((item) => {
        const display = String(item.DISPLAY ?? "BLOCK").toLowerCase();
        const cell = h(
          "div",
          { class: `grid-item grid-${display}` },
          h("div", { class: "grid-name" }, item.NAME ?? ""),
          h("div", { class: "grid-value" }, item.LINK ? link(item.LINK, item.VALUE ?? item.LINK) : renderBbCode(item.VALUE ?? "", ctx)),
        );
        const color = safeColor(item.COLOR);
        if (color) cell.querySelector(".grid-value").style.color = color;
        if (item.WIDTH && display !== "line") cell.style.width = `${Number(item.WIDTH) || 0}px`;
        return cell;
      }),
    ),
  IMAGE: (items) => h("div", { class: "attach-images" }, [items].flat().map((item) => link(item.LINK, image(item.PREVIEW ?? item.LINK, item.NAME, "attach-image") ?? item.NAME, "attach-image-link"))),
  FILE: (items) =>
    h(
      "div",
      { class: "attach-files" },
      items.map((item) => h("div", { class: "attach-file" }, h("span", { class: "file-icon" }, extensionOf(item.NAME || item.LINK)), link(item.LINK, item.NAME || item.LINK), item.SIZE ? h("span", { class: "file-size" }, formatSize(item.SIZE)) : null)),
    ),
  DELIMITER: (v) => {
    const line = h("hr", { class: "attach-delimiter" });
    const color = safeColor(v.COLOR);
    if (color) line.style.borderTopColor = color;
    if (v.SIZE) line.style.width = `${Number(v.SIZE) || 0}px`;
    return line;
  },
  RICH_LINK: () => h("div", { class: "attach-unknown" }, "rich link"),
};

export function extensionOf(name) {
  const ext = /\.([a-z0-9]{1,4})$/i.exec(String(name ?? ""))?.[1];
  return (ext ?? "file").toUpperCase();
}

export function formatSize(bytes) {
  const n = Number(bytes);
  if (!Number.isFinite(n)) return "";
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
