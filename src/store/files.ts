import { imageSize } from "../domain/image-size.js";
import type { RandomSource } from "../random/random-source.js";
import type { FileChanges } from "./file-bytes.js";
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

/** What storing a file needs beside the portal: where its bytes go, and a fresh key for them. */
export interface FileStaging {
  files: FileChanges;
  random: RandomSource;
}

/**
 * Shares a file in a chat as a portal does: the file under the next free id, and its author's
 * message carrying `params.FILE_ID`. A picture keeps the size its header gives. The bytes are
 * staged with the change, which stores them beside the state.
 */
export function shareFile(portal: Portal, shared: SharedFile, now: Date, staging: FileStaging): { file: StoredFile; message: Message } {
  const file = addFile(portal, (id) => {
    const key = `${id}-${staging.random.hex(8)}`;
    staging.files.add(portal.id, key, shared.bytes);
    return { id, chatId: shared.chatId, authorId: shared.authorId, date: now.toISOString(), name: shared.name, size: shared.bytes.length, image: imageSize(shared.bytes), key };
  });
  const draft = { chatId: shared.chatId, authorId: shared.authorId, text: shared.text, isSystem: false, urlPreview: false, attach: null, keyboard: null };
  const message = appendMessage(portal, draft, now);
  message.params.FILE_ID = [file.id];
  return { file, message };
}

/**
 * Stores a file record under the portal's next free file id (shared or forwarded alike). The chat's
 * Drive folder is made with its first file, and stays.
 */
export function addFile(portal: Portal, build: (id: number) => StoredFile): StoredFile {
  const files = (portal.files ??= {});
  const file = build(highest(Object.keys(files).map(Number)) + 1);
  files[file.id] = file;
  const chat = portal.chats[file.chatId];
  if (chat && chat.diskFolderId === undefined) chat.diskFolderId = highest(Object.values(portal.chats).map((c) => c.diskFolderId ?? 0)) + 1;
  return file;
}

/** The largest of the numbers, 0 for none; a loop, since spreading 100,000 ids into Math.max overflows the stack. */
function highest(numbers: readonly number[]): number {
  let max = 0;
  for (const n of numbers) if (n > max) max = n;
  return max;
}

/** Drops the bytes of every file of the portal with the change that deletes or resets it. */
export function dropPortalFiles(portal: Portal, files: FileChanges): void {
  for (const file of Object.values(portal.files ?? {})) files.remove(portal.id, file.key);
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
