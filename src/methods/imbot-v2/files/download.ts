import { EmulatorError } from "../../../errors/emulator-error.js";
import { addFileLink } from "../../../store/files.js";
import { boundParam } from "../../params/coerce.js";
import { bindInt } from "../../params/binder.js";
import type { MethodContext } from "../../types.js";
import { defineBotMethod } from "../define.js";

/** How long a download link serves its file (spec OPEN-N4; the docs call it one-time). */
export const DOWNLOAD_LINK_SECONDS = 600;

/**
 * imbot.v2.File.download (spec v2-complete.md §2): a link to a file shared in a chat the bot is in.
 * OAuth callers get `/rest/download.json?token=…`, webhook callers `/rest/{userId}/{code}/download/?token=…`;
 * either serves the bytes for 10 minutes, as often as asked. A file transfer, so refused inside batch
 * like File.upload (spec OPEN-R8; the server source refuses only its own `download` method, see the
 * Fidelity notes).
 */
export const download = defineBotMethod({
  name: "imbot.v2.File.download",
  mutates: true,
  batchable: false,
  params: { fileId: boundParam("int") },
  handler(ctx, params, bot) {
    const fileId = bindInt(params.fileId, "fileId");
    const file = ctx.portal.files?.[fileId];
    if (!file) throw new EmulatorError("FILE_NOT_FOUND", `No file ${fileId}`);
    if (!ctx.portal.chats[file.chatId]?.members.includes(bot.id)) {
      throw new EmulatorError("FILE_ACCESS_ERROR", `File ${fileId} is not shared in a chat bot ${bot.id} is in`);
    }
    const token = `imbot|${ctx.random.hex(24)}`;
    const until = new Date(ctx.now.getTime() + DOWNLOAD_LINK_SECONDS * 1000).toISOString();
    addFileLink(ctx.portal, { token, fileId, until }, ctx.now);
    return { downloadUrl: `${downloadBase(ctx)}?token=${encodeURIComponent(token)}` };
  },
});

function downloadBase(ctx: MethodContext): string {
  const rest = ctx.events.clientEndpoint ?? `https://${ctx.portal.domain}/rest/`;
  const caller = ctx.caller;
  return caller.kind === "oauth" ? `${rest}download.json` : `${rest}${caller.userId}/${encodeURIComponent(caller.code)}/download/`;
}
