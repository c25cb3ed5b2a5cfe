import { dialogIdFor } from "../../../domain/dialog-id.js";
import { stringParam } from "../../params/coerce.js";
import { callerDialog, imChatView } from "../../im/dialogs.js";
import { defineMethod } from "../../types.js";
import { v1Params } from "../common.js";

/** imbot.dialog.get (spec v1.md §5): runs as the caller, no CLIENT_ID; the chat plus `dialog_id`. */
export const imbotDialogGet = defineMethod({
  name: "imbot.dialog.get",
  scope: "imbot",
  mutates: false,
  params: v1Params({ DIALOG_ID: stringParam }),
  handler(ctx, params) {
    const chat = callerDialog(ctx, params.DIALOG_ID);
    return { ...imChatView(ctx.portal, chat, ctx.caller.userId), dialog_id: dialogIdFor(chat, ctx.caller.userId) };
  },
});
