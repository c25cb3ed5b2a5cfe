import { renderAttach, renderSharedFile } from "./attach.js";
import { oneLine, renderBbCode } from "./bbcode.js";
import { dateOf, h, initials, timeOf } from "./dom.js";
import { renderEditor } from "./editor.js";
import { renderKeyboard } from "./keyboard.js";
import { renderPalette, renderReactions } from "./reactions.js";

/**
 * Buttons shown on a message. Add one with `messageActions.push({ label, title, applies(message, ctx),
 * run(message, ctx) })` (edit, delete, react...); `ctx` is the page context (see app.js).
 */
export const messageActions = [
  { label: "Details", title: "The call that stored it and the events it raised", applies: () => true, run: (m, ctx) => ctx.showMessage(m.id) },
];

const BOT_ANSWER = /^\[USER=(\d+)\][^[]*\[\/USER\]\n?/i;

/** One message row: avatar, author, time, text, attachments, keyboard, and what it links to. */
export function renderMessage(message, ctx) {
  const author = ctx.users.get(message.authorId);
  const answerOf = message.isSystem ? botAnswerAuthor(message, ctx) : null;
  const classes = ["msg"];
  if (message.isSystem) classes.push(answerOf ? "msg-bot-answer" : "msg-system");
  if (message.authorId === ctx.actingUserId) classes.push("msg-mine");
  if (message.deleted) classes.push("msg-deleted");
  if (author?.bot) classes.push("msg-bot");
  if (message.id === ctx.selectedMessageId) classes.push("msg-selected");
  const row = h("div", { class: classes.join(" "), dataset: { id: String(message.id) } });
  // Focusable, so the actions that show on hover show for the keyboard too (Tab into the row).
  if (!message.isSystem || answerOf) row.tabIndex = 0;

  if (message.isSystem && !answerOf) {
    row.append(h("div", { class: "msg-system-text" }, renderBbCode(message.text, ctx), " ", h("span", { class: "msg-time" }, timeOf(message.date))));
    return row;
  }
  const who = answerOf ?? author;
  const name = who?.name || (message.authorId ? `user ${message.authorId}` : "System");
  const avatar = h("div", { class: "avatar", title: name }, initials(name));
  if (who?.color) avatar.style.backgroundColor = who.color;
  const meta = h(
    "div",
    { class: "msg-meta" },
    h("span", { class: "msg-author" }, name),
    who?.bot ? h("span", { class: "tag tag-bot" }, "bot") : null,
    answerOf ? h("span", { class: "tag tag-outside", title: "The bot is not a member of this chat, so its answer is a system message" }, "answer from outside the chat") : null,
    h("span", { class: "msg-time", title: `${dateOf(message.date)} ${message.date}` }, timeOf(message.date)),
    (message.edited || message.params?.IS_EDITED === "Y") && !message.deleted ? h("span", { class: "tag tag-edited" }, "edited") : null,
    message.viewedByOthers && !message.deleted ? h("span", { class: "msg-viewed", title: "Read by someone other than its author" }, "✓✓") : null,
    links(message, ctx),
  );
  const body = h("div", { class: "msg-body" }, meta);
  if (message.replyId) body.append(replyQuote(message.replyId, ctx));
  if (message.deleted) body.append(h("div", { class: "msg-text msg-deleted-text" }, "This message was deleted"));
  else if (ctx.editingId === message.id) body.append(renderEditor(message, ctx));
  else {
    const text = answerOf ? message.text.replace(BOT_ANSWER, "") : message.text;
    if (text) body.append(h("div", { class: "msg-text" }, renderBbCode(text, ctx)));
    for (const file of message.files ?? []) body.append(renderSharedFile(file));
    for (const attach of message.params?.ATTACH ?? []) body.append(renderAttach(attach, ctx));
    if (message.params?.KEYBOARD) body.append(renderKeyboard(message, ctx));
  }
  const reactions = message.deleted ? null : renderReactions(message, ctx);
  if (reactions) body.append(reactions);
  if (ctx.paletteFor === message.id) body.append(renderPalette(message, ctx));
  const actions = messageActions.filter((a) => a.applies(message, ctx));
  // First in the row's tab order: Tab from a focused message reaches its actions at once.
  body.prepend(h("div", { class: "msg-actions" }, actions.map((a) => h("button", { type: "button", title: a.title ?? a.label, onclick: () => a.run(message, ctx) }, a.label))));
  row.append(avatar, body);
  return row;
}

/** The message a reply answers, quoted in one line; a click goes to it when it is on the page. */
function replyQuote(replyId, ctx) {
  const original = ctx.messageById(replyId);
  const text = !original ? `message #${replyId}` : original.deleted ? "deleted message" : oneLine(original.text);
  return h(
    "button",
    { type: "button", class: "reply-quote", title: "Go to the message this replies to", onclick: () => ctx.goToMessage(replyId) },
    original ? h("span", { class: "reply-author" }, ctx.userName(original.authorId)) : null,
    text,
  );
}

/** A bot outside the chat answers as a system message that starts with its name. */
function botAnswerAuthor(message, ctx) {
  const match = BOT_ANSWER.exec(message.text);
  const user = match ? ctx.users.get(Number(match[1])) : undefined;
  return user?.bot ? user : null;
}

function links(message, ctx) {
  const call = ctx.callOf(message.id);
  const events = ctx.eventsOf(message.id);
  return h(
    "span",
    { class: "msg-links" },
    call
      ? h("a", { href: "#", class: "link-call", title: "The REST call that stored this message", onclick: (e) => (e.preventDefault(), ctx.showCall(call.id)) }, `${call.method} #${call.id}`)
      : null,
    events.length > 0
      ? h("a", { href: "#", class: "link-events", title: events.map((e) => `${e.type} to bot ${e.botId}`).join("\n"), onclick: (e) => (e.preventDefault(), ctx.showMessage(message.id)) }, `${events.length} event${events.length > 1 ? "s" : ""}`)
      : null,
  );
}
