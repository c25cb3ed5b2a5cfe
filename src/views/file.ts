import { isoWithOffsetFromIso } from "../domain/dates.js";
import { extensionOf, fileKind } from "../domain/file-kind.js";
import { fullName } from "../store/messages.js";
import type { Portal, StoredFile } from "../store/state.js";

/**
 * The File entity (`CB2/entities.md#file`). A picture whose header gave its size is `type: "image"`
 * with `image: {width, height}`; otherwise the extension decides the type and `image` is false.
 */
export function fileView(portal: Portal, file: StoredFile): Record<string, unknown> {
  const author = portal.users[file.authorId];
  return {
    id: file.id,
    chatId: file.chatId,
    date: isoWithOffsetFromIso(file.date),
    type: file.image ? "image" : fileKind(file.name),
    name: file.name,
    extension: extensionOf(file.name),
    size: file.size,
    image: file.image ? { width: file.image.width, height: file.image.height } : false,
    authorId: file.authorId,
    authorName: author ? fullName(author) : "",
    isTranscribable: false,
    isVideoNote: false,
    isVoiceNote: false,
  };
}
