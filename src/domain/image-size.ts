/** Width and height of a picture, as the File entity's `image` carries them. */
export interface ImageSize {
  width: number;
  height: number;
}

export type ImageFormat = "png" | "jpg" | "gif" | "webp" | "bmp";

/**
 * The format of a PNG, JPEG, GIF, WEBP or BMP file, by its signature (bot avatars, shared files);
 * null for anything else.
 */
export function imageFormat(b: Uint8Array): ImageFormat | null {
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "png";
  if (startsWith(b, [0xff, 0xd8, 0xff])) return "jpg";
  if (startsWith(b, ascii("GIF87a")) || startsWith(b, ascii("GIF89a"))) return "gif";
  if (startsWith(b, ascii("RIFF")) && startsWith(b, ascii("WEBP"), 8)) return "webp";
  if (startsWith(b, ascii("BM"))) return "bmp";
  return null;
}

/** The size a picture's header gives, once its format is known; null when the header is cut short. */
export function imageDimensions(format: ImageFormat, bytes: Uint8Array): ImageSize | null {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (format) {
    case "png":
      // The IHDR chunk comes first: length, "IHDR", width, height (big-endian).
      return b.length >= 24 && b.toString("latin1", 12, 16) === "IHDR" ? { width: b.readUInt32BE(16), height: b.readUInt32BE(20) } : null;
    case "gif":
      return b.length >= 10 ? { width: b.readUInt16LE(6), height: b.readUInt16LE(8) } : null;
    case "bmp":
      return bmp(b);
    case "webp":
      return webp(b);
    case "jpg":
      return jpeg(b);
  }
}

/** The size of a picture with a positive width and height (the File entity's `image`); null for anything else. */
export function imageSize(bytes: Uint8Array): ImageSize | null {
  const format = imageFormat(bytes);
  const size = format ? imageDimensions(format, bytes) : null;
  return size && size.width > 0 && size.height > 0 ? size : null;
}

function startsWith(bytes: Uint8Array, signature: readonly number[], at = 0): boolean {
  return bytes.length >= at + signature.length && signature.every((b, i) => bytes[at + i] === b);
}

const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

function bmp(b: Buffer): ImageSize | null {
  if (b.length < 18) return null;
  const headerSize = b.readUInt32LE(14);
  if (headerSize === 12) return b.length >= 22 ? { width: b.readUInt16LE(18), height: b.readUInt16LE(20) } : null;
  return b.length >= 26 ? { width: Math.abs(b.readInt32LE(18)), height: Math.abs(b.readInt32LE(22)) } : null;
}

function webp(b: Buffer): ImageSize | null {
  if (b.length < 30) return null;
  const chunk = b.toString("latin1", 12, 16);
  // Lossy: a key frame's start code, then 14-bit width and height.
  if (chunk === "VP8 ") return { width: b.readUInt16LE(26) & 0x3fff, height: b.readUInt16LE(28) & 0x3fff };
  // Lossless: a signature byte, then width-1 and height-1 in 14 bits each.
  if (chunk === "VP8L") {
    const bits = b.readUInt32LE(21);
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  // Extended: canvas width-1 and height-1, 24 bits each.
  if (chunk === "VP8X") return { width: b.readUIntLE(24, 3) + 1, height: b.readUIntLE(27, 3) + 1 };
  return null;
}

/** Walks the JPEG segments up to the first start-of-frame marker, which carries the size. */
function jpeg(b: Buffer): ImageSize | null {
  let at = 2;
  while (at + 3 < b.length) {
    if (b[at] !== 0xff) return null;
    const marker = b[at + 1] as number;
    if (marker === 0xff) {
      at++;
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2;
      continue;
    }
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) return at + 9 <= b.length ? { height: b.readUInt16BE(at + 5), width: b.readUInt16BE(at + 7) } : null;
    if (marker === 0xda || marker === 0xd9) return null;
    at += 2 + b.readUInt16BE(at + 2);
  }
  return null;
}
