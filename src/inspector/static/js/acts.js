import { messageActions } from "./messages.js";

// What a person does to a message besides typing, each through its control API route: reply, react,
// edit and delete their own. The buttons show on hover or keyboard focus of the message.

const live = (m) => !m.deleted && !m.isSystem;
const own = (m, ctx) => live(m) && m.authorId === ctx.actingUserId;

messageActions.unshift(
  { label: "Reply", title: "Reply to this message", applies: live, run: (m, ctx) => ctx.replyTo(m) },
  { label: "React", title: "Set or remove a reaction", applies: live, run: (m, ctx) => ctx.togglePalette(m.id) },
  { label: "Edit", title: "Edit your message", applies: own, run: (m, ctx) => ctx.startEdit(m.id) },
  { label: "Delete", title: "Delete your message", applies: own, run: (m, ctx) => deleteMessage(m, ctx) },
);

function deleteMessage(message, ctx) {
  if (!confirm("Delete this message? Bots that saw it are told.")) return;
  return ctx.act(ctx.api.deleteMessage(message.id, ctx.actingUserId));
}
