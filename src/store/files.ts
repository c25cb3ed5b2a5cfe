import { imageSize } from "../domain/image-size.js";
import { appendMessage } from "./messages.js";
import type { Message, Portal, StoredFile } from "./state.js";

/** A file shared in a chat by a person or a bot, with the text posted beside it. */
export interface SharedFile {
  chatId: number;
  authorId: number;
  name: string;
  bytes: Buffer;
  text: string;
}

/**
 * Shares a file in a chat as a portal does: the file under the next free id, and its author's
 * message carrying `params.FILE_ID`. A picture keeps the size its header gives.
 */
export function shareFile(portal: Portal, shared: SharedFile, now: Date): { file: StoredFile; message: Message } {
  const files = (portal.files ??= {});
  const id = Math.max(0, ...Object.keys(files).map(Number)) + 1;
  const file: StoredFile = {
    id,
    chatId: shared.chatId,
    authorId: shared.authorId,
    date: now.toISOString(),
    name: shared.name,
    size: shared.bytes.length,
    image: imageSize(shared.bytes),
    contentBase64: shared.bytes.toString("base64"),
  };
  files[id] = file;
  const draft = { chatId: shared.chatId, authorId: shared.authorId, text: shared.text, isSystem: false, urlPreview: false, attach: null, keyboard: null };
  const message = appendMessage(portal, draft, now);
  message.params.FILE_ID = [id];
  return { file, message };
}

/** The file a download link names, while the link lasts (`now` is the portal's). */
export function fileOfLink(portal: Portal, token: string, now: Date): StoredFile | undefined {
  const link = portal.fileLinks?.find((l) => l.token === token);
  if (!link || Date.parse(link.until) <= now.getTime()) return undefined;
  return portal.files?.[link.fileId];
}

/** Keeps the links still valid at `now` and adds a new one. */
export function addFileLink(portal: Portal, link: { token: string; fileId: number; until: string }, now: Date): void {
  const live = (portal.fileLinks ?? []).filter((l) => Date.parse(l.until) > now.getTime());
  portal.fileLinks = [...live, link];
}
