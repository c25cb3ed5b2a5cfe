import type { z } from "zod";
import type { Touched } from "../activity/activity.js";
import type { Message, Portal } from "../store/state.js";
import { chatNamed } from "./directory.js";
import type { waitSchema } from "./schemas.js";

type MessageQuery = Pick<z.infer<typeof waitSchema>, "afterId" | "dialogId" | "viewerId" | "authorId" | "textContains">;

/**
 * The first message (lowest id) the wait is after, among those a change touched: a message a wait
 * saw once and passed over only matches later if a change writes it again (an edit), so the
 * messages a commit did not touch need no second look, however many the portal holds.
 */
export function waitedMessage(portal: Portal, q: MessageQuery, touched: Touched): Message | undefined {
  const chat = q.dialogId ? chatNamed(portal, q.viewerId ?? 1, q.dialogId) : undefined;
  const matches = (m: Message) =>
    m.id > q.afterId &&
    (!q.dialogId || m.chatId === chat?.id) &&
    (q.authorId === undefined || m.authorId === q.authorId) &&
    (!q.textContains || m.text.includes(q.textContains));
  if (touched === "all") return Object.values(portal.messages).find(matches);
  let first: Message | undefined;
  for (const id of touched) {
    const message = Object.hasOwn(portal.messages, id) ? portal.messages[id] : undefined;
    if (message && matches(message) && (!first || message.id < first.id)) first = message;
  }
  return first;
}
