import { isoWithOffsetFromIso } from "../../../domain/dates.js";
import { fullName } from "../../../store/messages.js";
import type { Portal, StoredFile } from "../../../store/state.js";
import { extensionOf, fileKind } from "./kind.js";

/**
 * The File entity (`CB2/entities.md#file`). `image` stays false: the emulator does not read image
 * dimensions (README, Fidelity notes).
 */
export function fileView(portal: Portal, file: StoredFile): Record<string, unknown> {
  const author = portal.users[file.authorId];
  return {
    id: file.id,
    chatId: file.chatId,
    date: isoWithOffsetFromIso(file.date),
    type: fileKind(file.name),
    name: file.name,
    extension: extensionOf(file.name),
    size: file.size,
    image: false,
    authorId: file.authorId,
    authorName: author ? fullName(author) : "",
    isTranscribable: false,
    isVideoNote: false,
    isVoiceNote: false,
  };
}
