import { imageFormat, type ImageFormat } from "../domain/image-size.js";

const IMAGE_TYPES: Record<ImageFormat, string> = { png: "image/png", jpg: "image/jpeg", gif: "image/gif", webp: "image/webp", bmp: "image/bmp" };

/**
 * The headers of a shared file, served from the emulator's own origin although its name and bytes are
 * anyone's: a raster picture, known by its signature, keeps its image type so a page can preview it;
 * everything else (HTML and SVG included) is application/octet-stream. Always an attachment, never
 * sniffed, and sandboxed should a browser render it anyway, so no file runs script as the emulator.
 */
export function fileHeaders(file: { name: string; size: number }, head: Uint8Array): Record<string, string | number> {
  const format = imageFormat(head);
  return {
    "Content-Type": format ? IMAGE_TYPES[format] : "application/octet-stream",
    "Content-Length": file.size,
    "Content-Disposition": attachmentNamed(file.name),
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
  };
}

/**
 * `attachment; filename*=UTF-8''…` (RFC 8187): every byte outside the header's attr-chars is
 * percent-encoded, so quotes, semicolons and line breaks in a name cannot add a parameter or a header.
 */
export function attachmentNamed(name: string): string {
  const encoded = encodeURIComponent(wellFormed(name)).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename*=UTF-8''${encoded}`;
}

/** A lone surrogate (possible in a JSON string) has no UTF-8 form: it becomes U+FFFD, as a decoder would show it. */
function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");
}
