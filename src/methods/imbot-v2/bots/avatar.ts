/**
 * Bot avatars arrive as base64 image bytes (no `data:` prefix), or CRest-style as `[fileName, base64]`.
 * The emulator keeps no image data: it checks what a portal checks (an image, at most 5000x5000 px)
 * and stores a placeholder URL.
 */

export const MAX_AVATAR_SIDE = 5000;

export interface AvatarImage {
  format: "png" | "jpg" | "gif" | "webp" | "bmp";
  width: number;
  height: number;
}

export type AvatarOutcome =
  | { kind: "none" }
  | { kind: "ok"; image: AvatarImage }
  | { kind: "refused"; code: "BOT_AVATAR_INCORRECT_TYPE" | "BOT_AVATAR_INCORRECT_SIZE"; reason: string };

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/** Reads `properties.avatar`. Absent, null or "" means no avatar (nothing changes). */
export function readAvatar(raw: unknown): AvatarOutcome {
  if (raw === undefined || raw === null || raw === "") return { kind: "none" };
  const content = Array.isArray(raw) && raw.length === 2 && typeof raw[1] === "string" ? raw[1] : raw;
  if (typeof content !== "string") {
    return refusedType("avatar must be base64-encoded image bytes");
  }
  const text = content.replace(/\s+/g, "");
  if (text.startsWith("data:")) {
    return refusedType('avatar must be bare base64 without a "data:" prefix');
  }
  if (text === "" || !BASE64.test(text)) return refusedType("avatar is not valid base64");

  const bytes = Buffer.from(text, "base64");
  const format = sniffFormat(bytes);
  if (!format) return refusedType("avatar is not a PNG, JPEG, GIF, WEBP or BMP image");

  const size = imageSize(format, bytes);
  if (!size || size.width <= 0 || size.height <= 0) {
    return { kind: "refused", code: "BOT_AVATAR_INCORRECT_SIZE", reason: `could not read the ${format} image's dimensions` };
  }
  if (size.width > MAX_AVATAR_SIDE || size.height > MAX_AVATAR_SIDE) {
    return {
      kind: "refused",
      code: "BOT_AVATAR_INCORRECT_SIZE",
      reason: `avatar is ${size.width}x${size.height} px; at most ${MAX_AVATAR_SIDE}x${MAX_AVATAR_SIDE} is allowed`,
    };
  }
  return { kind: "ok", image: { format, ...size } };
}

/** The URL a portal would serve the stored file from; the emulator serves nothing there. */
export function avatarPlaceholder(domain: string, botId: number, image: AvatarImage): string {
  return `https://${domain}/upload/emulator/bot-avatar/${botId}.${image.format}`;
}

function refusedType(reason: string): AvatarOutcome {
  return { kind: "refused", code: "BOT_AVATAR_INCORRECT_TYPE", reason };
}

function startsWith(bytes: Buffer, signature: readonly number[], at = 0): boolean {
  return bytes.length >= at + signature.length && signature.every((b, i) => bytes[at + i] === b);
}

const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

function sniffFormat(bytes: Buffer): AvatarImage["format"] | null {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "png";
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return "jpg";
  if (startsWith(bytes, ascii("GIF87a")) || startsWith(bytes, ascii("GIF89a"))) return "gif";
  if (startsWith(bytes, ascii("RIFF")) && startsWith(bytes, ascii("WEBP"), 8)) return "webp";
  if (startsWith(bytes, ascii("BM"))) return "bmp";
  return null;
}

type Size = { width: number; height: number } | null;

function imageSize(format: AvatarImage["format"], b: Buffer): Size {
  switch (format) {
    case "png":
      return b.length >= 24 ? { width: b.readUInt32BE(16), height: b.readUInt32BE(20) } : null;
    case "gif":
      return b.length >= 10 ? { width: b.readUInt16LE(6), height: b.readUInt16LE(8) } : null;
    case "bmp":
      return bmpSize(b);
    case "webp":
      return webpSize(b);
    case "jpg":
      return jpegSize(b);
  }
}

function bmpSize(b: Buffer): Size {
  if (b.length < 18) return null;
  const headerSize = b.readUInt32LE(14);
  if (headerSize === 12) return b.length >= 22 ? { width: b.readUInt16LE(18), height: b.readUInt16LE(20) } : null;
  return b.length >= 26 ? { width: Math.abs(b.readInt32LE(18)), height: Math.abs(b.readInt32LE(22)) } : null;
}

function webpSize(b: Buffer): Size {
  if (b.length < 30) return null;
  const chunk = b.toString("latin1", 12, 16);
  if (chunk === "VP8X") {
    return { width: 1 + b.readUIntLE(24, 3), height: 1 + b.readUIntLE(27, 3) };
  }
  if (chunk === "VP8 ") {
    return { width: b.readUInt16LE(26) & 0x3fff, height: b.readUInt16LE(28) & 0x3fff };
  }
  if (chunk === "VP8L") {
    const [b0, b1, b2, b3] = [b[21] ?? 0, b[22] ?? 0, b[23] ?? 0, b[24] ?? 0];
    return {
      width: 1 + (((b1 & 0x3f) << 8) | b0),
      height: 1 + (((b3 & 0x0f) << 10) | (b2 << 2) | ((b1 & 0xc0) >> 6)),
    };
  }
  return null;
}

/** Walks the JPEG segments up to the first start-of-frame marker, which carries the size. */
function jpegSize(b: Buffer): Size {
  let i = 2;
  while (i + 3 < b.length) {
    if (b[i] !== 0xff) return null;
    const marker = b[i + 1] ?? 0;
    if (marker === 0xff) {
      i++;
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2;
      continue;
    }
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) {
      return i + 9 <= b.length ? { height: b.readUInt16BE(i + 5), width: b.readUInt16BE(i + 7) } : null;
    }
    if (marker === 0xda || marker === 0xd9) return null;
    i += 2 + b.readUInt16BE(i + 2);
  }
  return null;
}
