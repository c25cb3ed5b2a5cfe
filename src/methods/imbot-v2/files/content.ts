import { EmulatorError } from "../../../errors/emulator-error.js";

/** Strict base64 (PHP `base64_decode($s, true)`): only the alphabet, padding at the end. */
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The longest base64 of a file of at most `maxBytes` (100 MiB: 139,810,133 characters). */
export function maxBase64Length(maxBytes: number): number {
  return Math.floor((maxBytes * 4) / 3);
}

/**
 * A file as a portal takes it from base64, a bot's upload and a person's alike: FILE_EMPTY (no
 * name or no content), FILE_TOO_LARGE (on the base64 length, before decoding), FILE_INVALID_CONTENT.
 */
export function decodeFileContent(
  raw: { name: string; content: string },
  maxBytes: number,
  names = { name: "fields.name", content: "fields.content" },
): { name: string; bytes: Buffer } {
  const name = raw.name.trim();
  const { content } = raw;
  if (name === "" || content === "") throw new EmulatorError("FILE_EMPTY", `${names.name} and ${names.content} are required`);
  const longest = maxBase64Length(maxBytes);
  if (content.length > longest) {
    throw new EmulatorError("FILE_TOO_LARGE", `${names.content} is ${content.length} base64 characters; at most ${longest} (${maxBytes} bytes decoded)`);
  }
  if (!BASE64.test(content) || content.length % 4 === 1) throw new EmulatorError("FILE_INVALID_CONTENT", `${names.content} is not valid base64`);
  return { name, bytes: decodeBase64(content) };
}

/** Base64 characters decoded at a time: a multiple of 4, so every slice but the last is whole. */
const SLICE = 4 * 1024 * 1024;

/**
 * Strict base64 (already checked) to bytes, a slice at a time: node copies a string's characters
 * before decoding them, and a copy of a whole 140 MB base64 would cost as much as the file again.
 */
function decodeBase64(content: string): Buffer {
  const padding = content.endsWith("==") ? 2 : content.endsWith("=") ? 1 : 0;
  const bytes = Buffer.allocUnsafe(Math.floor((content.length * 3) / 4) - padding);
  let written = 0;
  for (let at = 0; at < content.length; at += SLICE) written += bytes.write(content.slice(at, at + SLICE), written, "base64");
  return bytes.subarray(0, written);
}
