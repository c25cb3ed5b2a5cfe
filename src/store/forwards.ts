import { addFile } from "./files.js";
import { appendMessage } from "./messages.js";
import type { Chat, Message, Portal, StoredFile } from "./state.js";

/**
 * Forwarded copies as a portal makes them (server `Message/Forward/ForwardService`): each source
 * message becomes a new message of the forwarding user (here the bot) in the target chat, with the
 * source's text and attachments, no link preview, the client's uuid as its `uuid`, and a `forward`
 * note pointing at the original (the original's own note when it was itself a forward). Files are
 * copied into the target chat, so that chat's members can read them.
 */
export function forwardMessages(
  portal: Portal,
  target: Chat,
  authorId: number,
  sources: readonly { uuid: string; message: Message }[],
  now: Date,
): Record<string, number> {
  const uuidMap: Record<string, number> = {};
  for (const { uuid, message: source } of sources) {
    const copy = appendMessage(
      portal,
      { chatId: target.id, authorId, text: source.text, isSystem: false, urlPreview: false, attach: null, keyboard: null },
      now,
    );
    if (source.params.ATTACH) copy.params.ATTACH = jsonCopy(source.params.ATTACH);
    const fileIds = (source.params.FILE_ID ?? []).flatMap((id) => {
      const file = portal.files?.[id];
      return file ? [copyFile(portal, file, target.id, authorId, now).id] : [];
    });
    if (fileIds.length > 0) copy.params.FILE_ID = fileIds;
    copy.uuid = uuid;
    copy.forward = source.forward ?? { id: source.id, userId: source.isSystem ? 0 : source.authorId, chatId: source.chatId, date: source.date };
    uuidMap[uuid] = copy.id;
  }
  return uuidMap;
}

function copyFile(portal: Portal, file: StoredFile, chatId: number, authorId: number, now: Date): StoredFile {
  return addFile(portal, (id) => ({ ...jsonCopy(file), id, chatId, authorId, date: now.toISOString() }));
}

/** A JSON copy, not structuredClone: inside a change the stored objects are the change tracker's proxies, which cannot be cloned. */
function jsonCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
