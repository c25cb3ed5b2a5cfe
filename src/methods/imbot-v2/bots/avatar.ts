import { imageDimensions, imageFormat, type ImageFormat } from "../../../domain/image-size.js";

/**
 * Bot avatars arrive as base64 image bytes (no `data:` prefix), or CRest-style as `[fileName, base64]`.
 * The emulator keeps no image data: it checks what a portal checks (an image, at most 5000x5000 px)
 * and stores a placeholder URL.
 */

export const MAX_AVATAR_SIDE = 5000;

export interface AvatarImage {
  format: ImageFormat;
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
  const format = imageFormat(bytes);
  if (!format) return refusedType("avatar is not a PNG, JPEG, GIF, WEBP or BMP image");

  const size = imageDimensions(format, bytes);
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

/** A chat's picture, in the same placeholder form as a bot's. */
export function chatAvatarPlaceholder(domain: string, chatId: number, image: AvatarImage): string {
  return `https://${domain}/upload/emulator/chat-avatar/${chatId}.${image.format}`;
}

/** A new chat's picture from the `avatar` its creator sent: a readable image, else none (a portal creates the chat anyway). */
export function newChatAvatar(domain: string, chatId: number, raw: unknown): { avatar?: string } {
  const avatar = readAvatar(raw);
  return avatar.kind === "ok" ? { avatar: chatAvatarPlaceholder(domain, chatId, avatar.image) } : {};
}

function refusedType(reason: string): AvatarOutcome {
  return { kind: "refused", code: "BOT_AVATAR_INCORRECT_TYPE", reason };
}
