import "./acts.js";
import { emulatorApi, portalApi } from "./api.js";
import { setUpComposer } from "./composer.js";
import { renderPane } from "./debugger.js";
import { fill, h, initials, timeOf } from "./dom.js";
import { oneLine } from "./bbcode.js";
import { renderMessage } from "./messages.js";

// The inspector page: state, the stream that keeps it live, and the views. A client of the public
// control API only; what it does, a test can do over HTTP too.

const PAGE = 50;
const $ = (id) => document.getElementById(id);

const state = {
  api: null,
  closeStream: () => {},
  users: new Map(),
  bots: [],
  chats: new Map(),
  chatId: null,
  actingUserId: 1,
  messages: [],
  hasMore: false,
  loadingOlder: false,
  // While a chat's history is being read, the stream's changes to that chat wait here: applied to
  // the list they would be overwritten by a page read before they happened.
  loadingChat: null,
  journal: [],
  deliveries: [],
  raised: [],
  pending: [],
  unread: new Map(),
  blockedKeyboards: new Set(),
  atBottom: true,
  selectedMessageId: null,
  selectedCallId: null,
  editingId: null,
  paletteFor: null,
  replyTo: null,
  faults: null,
  conformance: null,
  tab: "journal",
  journalFilter: { botId: "", method: "", outcome: "all", polls: false },
  clock: { now: null, at: 0 },
};

/** What the views get: the state and the operations they may call. */
const ctx = {
  get users() { return state.users; },
  get actingUserId() { return state.actingUserId; },
  get selectedMessageId() { return state.selectedMessageId; },
  get selectedCallId() { return state.selectedCallId; },
  get journal() { return state.journal; },
  get deliveries() { return state.deliveries; },
  get pending() { return state.pending; },
  get tab() { return state.tab; },
  get journalFilter() { return state.journalFilter; },
  get api() { return state.api; },
  get editingId() { return state.editingId; },
  get paletteFor() { return state.paletteFor; },
  get faults() { return state.faults; },
  get conformance() { return state.conformance; },
  userName: (id) => state.users.get(id)?.name || (id === 0 ? "System" : `user ${id}`),
  chatTitle: (id) => chatTitle(state.chats.get(id)),
  openChat: (id) => openChat(id),
  send: (text) => say(text),
  sendFile: (name, contentBase64, text) => sendFile(name, contentBase64, text),
  put: (text) => composer.put(text),
  press: (message, index) => press(message, index),
  block: (messageId) => state.blockedKeyboards.add(messageId),
  isBlocked: (messageId) => state.blockedKeyboards.has(messageId),
  openDialog: (dialogId) => openDialogId(dialogId),
  notice,
  act: (promise) => act(promise),
  messageById: (id) => state.messages.find((m) => m.id === id),
  goToMessage: (id) => {
    const target = rowOf(id);
    if (!target) return notice(`Message #${id} is further back in the history`);
    target.scrollIntoView({ block: "center" });
    target.focus();
  },
  replyTo: (message) => {
    state.replyTo = message;
    renderReplyBar();
    $("composer-input").focus();
  },
  startEdit: (id) => {
    state.editingId = id;
    refreshRows([id]);
    rowOf(id)?.querySelector(".edit-input")?.focus();
  },
  stopEdit: () => {
    const id = state.editingId;
    state.editingId = null;
    refreshRows([id]);
    rowOf(id)?.focus();
  },
  togglePalette: (id) => {
    const before = state.paletteFor;
    state.paletteFor = before === id ? null : id;
    refreshRows([before, state.paletteFor].filter((m) => m !== null));
    rowOf(id)?.querySelector(".palette button")?.focus();
  },
  closePalette: () => {
    const id = state.paletteFor;
    state.paletteFor = null;
    refreshRows([id]);
    rowOf(id)?.focus();
  },
  cancelReply: () => {
    state.replyTo = null;
    renderReplyBar();
  },
  clearFaults: () => clearFaults(),
  addFault: () => addFault(),
  openTab: (tab) => showTab(tab),
  callOf: (messageId) => state.journal.find((c) => c.messageIds?.includes(messageId)),
  eventsOf: (messageId) => {
    const raised = state.raised.filter((e) => e.messageId === messageId);
    const known = new Set(raised.map((e) => e.eventId));
    const pending = state.pending.filter((e) => !known.has(e.eventId) && e.data?.message?.id === messageId);
    return [...raised, ...pending.map((e) => ({ eventId: e.eventId, botId: e.botId, type: e.type, mode: "fetch", date: e.date, messageId }))];
  },
  selectedMessage: () => state.messages.find((m) => m.id === state.selectedMessageId),
  showMessage: (id) => {
    state.selectedMessageId = id;
    showTab("message");
    renderMessages({ keepScroll: true });
  },
  showCall: (id) => {
    state.selectedCallId = id;
    state.journalFilter = { botId: "", method: "", outcome: "all", polls: true };
    showTab("journal");
    document.querySelector(`#pane .call[data-id="${id}"]`)?.scrollIntoView({ block: "nearest" });
  },
  setJournalFilter: (change, keepFocus) => {
    Object.assign(state.journalFilter, change);
    const focused = keepFocus ? document.activeElement : null;
    renderDebugger();
    if (focused?.placeholder) document.querySelector(`#pane input[placeholder="${focused.placeholder}"]`)?.focus();
  },
  commands: () => commandsHere(),
};

const composer = setUpComposer($("composer"), ctx);

// ------------------------------------------------------------------------------------------------
// Loading

async function start() {
  const params = new URLSearchParams(location.hash.slice(1));
  const portals = await emulatorApi.portals();
  const wanted = params.get("portal");
  const id = portals.some((p) => p.id === wanted) ? wanted : portals.some((p) => p.id === "default") ? "default" : portals[0]?.id;
  renderPortals(portals, id);
  if (id) openPortal(id, Number(params.get("chat")?.replace(/^chat/, "")) || null);
}

function openPortal(id, chatId = null) {
  state.closeStream();
  state.api = portalApi(id);
  state.chatId = chatId;
  state.unread.clear();
  state.closeStream = state.api.stream(onStreamEvent, (s) => setLive(s));
}

/** Everything at once: on the first `ready`, after a reconnect and after a reset. */
async function loadAll() {
  const api = state.api;
  const [users, bots, chats, journal, deliveries, pending, clock] = await Promise.all([
    api.users(), api.bots(), api.chats(), api.journal(), api.deliveries(), api.events(), api.clock(),
  ]);
  if (api !== state.api) return;
  state.users = new Map(users.map((u) => [u.id, u]));
  state.bots = bots;
  state.chats = new Map(chats.map((c) => [c.id, c]));
  state.journal = [...journal];
  state.deliveries = [...deliveries];
  state.pending = pending;
  setClock(clock);
  if (!state.users.get(state.actingUserId) || state.users.get(state.actingUserId).bot) {
    state.actingUserId = users.find((u) => !u.bot && u.active)?.id ?? 1;
  }
  renderActing();
  const chatId = state.chats.has(state.chatId) ? state.chatId : state.chats.has(5) ? 5 : [...state.chats.keys()][0];
  renderChats();
  renderDebugger();
  if (state.tab === "faults" || state.tab === "conformance") void loadReport(state.tab);
  if (chatId !== undefined) await openChat(chatId);
}

async function openChat(chatId) {
  if (!state.chats.has(chatId)) return notice(`No chat ${chatId} in this portal`);
  state.chatId = chatId;
  state.unread.delete(chatId);
  state.selectedMessageId = null;
  state.editingId = null;
  state.paletteFor = null;
  if (state.replyTo?.chatId !== chatId) ctx.cancelReply();
  history.replaceState(null, "", `#portal=${encodeURIComponent(state.api.id)}&chat=chat${chatId}`);
  const loading = { chatId, held: [] };
  state.loadingChat = loading;
  try {
    const page = await state.api.history(`chat${chatId}`, { limit: PAGE });
    if (state.chatId !== chatId) return;
    state.messages = page.messages;
    state.hasMore = page.hasMore;
    renderChats();
    renderChatHead();
    renderMessages({ toBottom: true });
  } finally {
    if (state.loadingChat === loading) state.loadingChat = null;
    // Also when the read failed or another chat was opened meanwhile: the chat list still counts them.
    // A change the page already shows is drawn again, not twice: onMessage finds the row by id.
    for (const [change, message] of loading.held) onMessage(change, message);
  }
}

/** Pages back when the list is scrolled to its top: a long chat is read a page at a time. */
async function loadOlder() {
  if (!state.hasMore || state.loadingOlder || state.messages.length === 0) return;
  state.loadingOlder = true;
  const chatId = state.chatId;
  try {
    const page = await state.api.history(`chat${chatId}`, { limit: PAGE, before: state.messages[0].id });
    if (state.chatId !== chatId) return;
    const list = $("messages");
    const fromBottom = list.scrollHeight - list.scrollTop;
    state.messages = [...page.messages, ...state.messages];
    state.hasMore = page.hasMore;
    renderMessages({ keepScroll: true });
    list.scrollTop = list.scrollHeight - fromBottom;
  } finally {
    state.loadingOlder = false;
  }
}

// ------------------------------------------------------------------------------------------------
// The stream

let pendingRefresh = null;

function onStreamEvent(item) {
  switch (item.type) {
    case "ready":
    case "reset":
      if (item.type === "reset") notice("The portal was reset");
      return void loadAll().catch(fail);
    case "deleted":
      notice(`Portal ${item.portalId} was deleted`);
      return void start().catch(fail);
    case "message":
      return onMessage(item.change, item.message);
    case "chat":
      state.chats.set(item.chat.id, { ...state.chats.get(item.chat.id), ...item.chat });
      renderChats();
      if (item.chat.id === state.chatId) renderChatHead();
      return;
    case "directory":
      return void Promise.all([state.api.users(), state.api.bots()]).then(([users, bots]) => {
        state.users = new Map(users.map((u) => [u.id, u]));
        state.bots = bots;
        renderActing();
        renderChats();
        renderChatHead();
        renderMessages({ keepScroll: true });
      }, fail);
    case "call":
      state.journal.push(item.call);
      refreshPending();
      refreshRows(item.call.messageIds ?? []);
      if (item.call.fault !== undefined) refreshReport("faults");
      if (item.call.conformance) refreshReport("conformance");
      return renderDebugger("journal");
    case "delivery":
      state.deliveries.push(item.delivery);
      if (item.delivery.fault !== undefined) refreshReport("faults");
      return renderDebugger("deliveries");
    case "event":
      if (item.event.fault !== undefined) refreshReport("faults");
      state.raised.push(item.event);
      refreshPending();
      return refreshRows(item.event.messageId ? [item.event.messageId] : []);
  }
}

function onMessage(change, message) {
  if (state.loadingChat?.chatId === message.chatId) return void state.loadingChat.held.push([change, message]);
  const chat = state.chats.get(message.chatId);
  if (chat && change === "added") {
    chat.lastMessage = message;
    chat.messageCount += 1;
    if (message.chatId !== state.chatId && message.authorId !== state.actingUserId) state.unread.set(message.chatId, (state.unread.get(message.chatId) ?? 0) + 1);
  } else if (chat?.lastMessage?.id === message.id) chat.lastMessage = message;
  renderChats();
  if (message.chatId !== state.chatId) return;
  if (change === "added") renderChatHead();
  const at = state.messages.findIndex((m) => m.id === message.id);
  const list = $("messages");
  if (change === "removed") {
    if (at !== -1) state.messages.splice(at, 1);
    rowOf(message.id)?.remove();
  } else if (at !== -1) {
    state.messages[at] = message;
    refreshRows([message.id]);
  } else if (change === "added") {
    // Only the new row is drawn: a long history stays as it is.
    state.messages.push(message);
    list.querySelector(".empty")?.remove();
    list.append(renderMessage(message, ctx));
  }
  followBottom();
}

/** A reader at the bottom of the chat stays there as messages arrive and rows grow, as in any chat. */
function followBottom() {
  if (state.atBottom) $("messages").scrollTop = $("messages").scrollHeight;
}

function rowOf(id) {
  return $("messages").querySelector(`.msg[data-id="${Number(id)}"]`);
}

/** Redraws the rows of these messages (a new link to a call or an event, an edit). */
function refreshRows(ids) {
  for (const id of ids) {
    const message = state.messages.find((m) => m.id === id);
    const row = rowOf(id);
    if (message && row) replaceRow(row, renderMessage(message, ctx));
  }
  followBottom();
}

/**
 * A redrawn row keeps what the person was doing in it: the focus (by its place among the row's
 * controls) and the text being edited.
 */
function replaceRow(row, fresh) {
  const controls = (el) => [el, ...el.querySelectorAll("button, a, textarea, select, input")];
  const focused = controls(row).indexOf(document.activeElement);
  const editing = row.querySelector(".edit-input");
  const draft = fresh.querySelector(".edit-input");
  if (editing && draft) draft.value = editing.value;
  row.replaceWith(fresh);
  if (focused !== -1) controls(fresh)[focused]?.focus();
}

/** Fetch-mode queues change with every raise and every Event.get: read them once things settle. */
function refreshPending() {
  clearTimeout(pendingRefresh);
  pendingRefresh = setTimeout(async () => {
    state.pending = await state.api.events();
    renderDebugger("events");
  }, 150);
}

// ------------------------------------------------------------------------------------------------
// Acting as a user

/** Runs a control call; a refusal is shown as one line (code: description). Answers the result, or null. */
async function act(promise) {
  try {
    return await promise;
  } catch (error) {
    fail(error);
    return null;
  }
}

async function say(text) {
  const sent = await act(state.api.say(state.actingUserId, `chat${state.chatId}`, text, state.replyTo?.id));
  if (sent) ctx.cancelReply();
  return sent !== null;
}

async function sendFile(name, contentBase64, text) {
  return (await act(state.api.sendFile(state.actingUserId, `chat${state.chatId}`, name, contentBase64, text))) !== null;
}

async function press(message, index) {
  const pressed = await act(state.api.press(state.actingUserId, message.id, index));
  for (const c of pressed?.commands ?? []) notice(`${ctx.userName(state.actingUserId)} pressed ${c.command}${c.params ? ` ${c.params}` : ""}: ${ctx.userName(c.botId)} got COMMANDADD`);
}

/** The acting person reads the chat to its end: others' messages there become viewed. */
async function readChat(chat) {
  const read = await act(state.api.read(`chat${chat.id}`, state.actingUserId));
  if (read) notice(`${ctx.userName(state.actingUserId)} read ${chatTitle(chat)}: ${read.viewedMessages.length} message${read.viewedMessages.length === 1 ? "" : "s"} newly viewed`);
}

/** ONIMBOTV2CONTEXTGET to every bot in the chat, as a deep link with BOT_CONTEXT does. */
async function sendContext(chat) {
  const answer = await ask(`Open ${chatTitle(chat)} with a context`, [{ name: "context", label: "Context (a JSON object)", type: "json", value: '{"source": "inspector"}' }]);
  if (!answer) return;
  const sent = await act(state.api.openContext(state.actingUserId, `chat${chat.id}`, JSON.parse(answer.context)));
  if (sent) notice(`Context sent: ${sent.events.map((e) => `${ctx.userName(e.botId)} got ${e.type}`).join(", ")}`);
}

/** Opens the acting person's 1:1 dialog with a bot (JOINCHAT the first time), with a context if one is given. */
async function openBot() {
  const answer = await ask(`${ctx.userName(state.actingUserId)} opens a bot`, [
    { name: "botId", label: "Bot", type: "bot" },
    { name: "context", label: "Context (a JSON object, optional: sends CONTEXTGET)", type: "json", optional: true },
  ]);
  if (!answer) return;
  const opened = await act(state.api.openDialog(state.actingUserId, Number(answer.botId)));
  if (!opened) return;
  const events = [...opened.events];
  if (answer.context.trim()) events.push(...((await act(state.api.openContext(state.actingUserId, opened.dialogId, JSON.parse(answer.context))))?.events ?? []));
  if (events.length > 0) notice(events.map((e) => `${ctx.userName(e.botId)} got ${e.type}`).join(", "));
  if (!state.chats.has(opened.chatId)) state.chats = new Map((await state.api.chats()).map((c) => [c.id, c]));
  await openChat(opened.chatId);
}

function openDialogId(dialogId) {
  const chatId = /^chat(\d+)$/.exec(dialogId)?.[1];
  if (chatId) return openChat(Number(chatId));
  const userId = Number(dialogId);
  const chat = [...state.chats.values()].find((c) => c.type === "private" && c.members.includes(userId) && c.members.includes(state.actingUserId));
  if (chat) return openChat(chat.id);
  notice(`Type a first message to ${ctx.userName(userId)} to open that dialog`);
}

function commandsHere() {
  const chat = state.chats.get(state.chatId);
  return state.bots.flatMap((bot) =>
    bot.commands
      .filter((c) => !c.hidden && (c.common || chat?.members.includes(bot.id)))
      .map((c) => ({ ...c, botName: bot.name })),
  );
}

// ------------------------------------------------------------------------------------------------
// Views

function chatTitle(chat) {
  if (!chat) return "unknown chat";
  if (chat.type !== "private") return chat.title || `Chat ${chat.id}`;
  const other = chat.members.find((m) => m !== state.actingUserId) ?? chat.members[0];
  return other !== undefined ? ctx.userName(other) : `Dialog ${chat.id}`;
}

function renderPortals(portals, selected) {
  const select = $("portal");
  fill(select, portals.map((p) => h("option", { value: p.id, selected: p.id === selected }, p.id)));
}

function renderActing() {
  const people = [...state.users.values()].filter((u) => !u.bot && u.active);
  fill($("acting"), people.map((u) => h("option", { value: String(u.id), selected: u.id === state.actingUserId }, `${u.name} (${u.id})`)));
}

function renderChats() {
  const chats = [...state.chats.values()].sort((a, b) => (b.lastMessage?.id ?? 0) - (a.lastMessage?.id ?? 0));
  fill(
    $("chats"),
    chats.map((chat) => {
      const title = chatTitle(chat);
      const unread = state.unread.get(chat.id) ?? 0;
      const last = chat.lastMessage;
      const preview = last ? (last.deleted ? "deleted message" : oneLine(last.text, 200) || (last.files ? `📎 ${last.files[0].name}` : last.params?.ATTACH ? "[attachment]" : "")) : "no messages yet";
      const avatar = h("div", { class: "avatar" }, chat.type === "private" ? initials(title) : "#");
      if (chat.color) avatar.style.backgroundColor = chat.color;
      return h(
        "li",
        { class: `chat-item${chat.id === state.chatId ? " active" : ""}${unread ? " unread" : ""}`, dataset: { id: String(chat.id) }, onclick: () => openChat(chat.id) },
        avatar,
        h(
          "div",
          { class: "chat-item-body" },
          h("div", { class: "chat-item-top" }, h("span", { class: "chat-item-title" }, title), h("span", { class: "muted" }, last ? timeOf(last.date) : "")),
          h("div", { class: "chat-item-preview" }, last && last.authorId ? `${ctx.userName(last.authorId).split(" ")[0]}: ` : "", preview.slice(0, 80)),
        ),
        unread ? h("span", { class: "badge", title: `${unread} new` }, String(unread)) : null,
      );
    }),
  );
}

function renderChatHead() {
  const chat = state.chats.get(state.chatId);
  if (!chat) return;
  const group = chat.type !== "private";
  const outside = [...state.users.values()].filter((u) => u.active && !chat.members.includes(u.id));
  fill(
    $("chat-head"),
    h(
      "div",
      { class: "chat-head-top" },
      h("div", { class: "chat-title" }, chatTitle(chat), h("span", { class: "muted" }, ` chat${chat.id} · ${chat.type} · ${chat.messageCount} message${chat.messageCount === 1 ? "" : "s"}`)),
      h(
        "div",
        { class: "chat-acts" },
        h("button", { type: "button", title: `${ctx.userName(state.actingUserId)} reads the chat to its end`, onclick: () => readChat(chat) }, "Mark read"),
        h("button", { type: "button", title: "Open the chat with a context: every bot in it gets ONIMBOTV2CONTEXTGET", onclick: () => sendContext(chat) }, "Context…"),
      ),
    ),
    h(
      "div",
      { class: "members" },
      chat.members.map((id) => {
        const user = state.users.get(id);
        const dot = h("span", { class: "dot" });
        if (user?.color) dot.style.backgroundColor = user.color;
        return h(
          "span",
          { class: `member${user?.bot ? " member-bot" : ""}` },
          dot,
          ctx.userName(id),
          group && id !== chat.ownerId ? h("button", { type: "button", class: "remove", title: `Remove ${ctx.userName(id)}`, onclick: () => removeMember(chat, id) }, "×") : null,
        );
      }),
      group && outside.length > 0
        ? h(
            "select",
            { class: "add-member", "aria-label": "Add member", onchange: (e) => addMember(chat, Number(e.target.value)) },
            h("option", { value: "" }, "+ add member"),
            outside.map((u) => h("option", { value: String(u.id) }, `${u.name}${u.bot ? " (bot)" : ""}`)),
          )
        : null,
    ),
  );
  const member = chat.members.includes(state.actingUserId);
  $("composer-note").textContent = member ? "" : `${ctx.userName(state.actingUserId)} is not a member of this chat`;
}

function renderMessages({ toBottom = false, keepScroll = false } = {}) {
  const list = $("messages");
  const top = list.scrollTop;
  fill(
    list,
    state.hasMore ? h("button", { type: "button", class: "older", onclick: () => loadOlder() }, "Load older messages") : null,
    state.messages.length === 0 ? h("p", { class: "empty" }, "No messages yet.") : state.messages.map((m) => renderMessage(m, ctx)),
  );
  if (toBottom) {
    state.atBottom = true;
    list.scrollTop = list.scrollHeight;
  } else if (keepScroll) list.scrollTop = top;
  followBottom();
}

function renderDebugger(onlyIf) {
  if (onlyIf && onlyIf !== state.tab && state.tab !== "message") return;
  renderPane($("pane"), ctx);
}

/**
 * Fault rules and the conformance report are read when their view opens, and again when the stream
 * shows a call, delivery or event they count (a fault fired, a finding made) while it is open.
 */
const reportTimers = {};
function refreshReport(name) {
  if (state.tab !== name) return;
  clearTimeout(reportTimers[name]);
  reportTimers[name] = setTimeout(() => void loadReport(name), 150);
}

async function loadReport(name) {
  const api = state.api;
  const report = await act(name === "faults" ? api.faults() : api.conformance());
  if (api !== state.api || report === null) return;
  state[name] = report;
  renderDebugger(name);
}

/** A rule exactly as POST .../faults takes it, typed as JSON: every kind of rule without a form per kind. */
async function addFault() {
  const example = '{"method": "imbot.v2.Command.answer", "error": "QUERY_LIMIT_EXCEEDED", "status": 503, "times": 1}';
  const answer = await ask("Add a fault rule", [{ name: "rule", label: "The rule, as POST /_emulator/portals/{id}/faults takes it", type: "json", value: example }]);
  if (!answer) return;
  const added = await act(state.api.addFault(JSON.parse(answer.rule)));
  if (added) notice(`Added fault rule #${added.id}`);
  await loadReport("faults");
}

async function clearFaults() {
  const cleared = await act(state.api.clearFaults());
  if (cleared) notice(`Removed ${cleared.deleted} fault rule${cleared.deleted === 1 ? "" : "s"}`);
  await loadReport("faults");
}

function showTab(tab) {
  state.tab = tab;
  if (tab === "faults" || tab === "conformance") {
    state[tab] = null;
    void loadReport(tab);
  }
  for (const button of document.querySelectorAll("#tabs button")) button.classList.toggle("active", button.dataset.tab === tab);
  renderDebugger();
}

function setClock(clock) {
  state.clock = { now: Date.parse(clock.now), at: Date.now(), frozen: clock.frozen };
  renderClock();
}

function renderClock() {
  if (!state.clock.now) return;
  const now = state.clock.frozen ? state.clock.now : state.clock.now + (Date.now() - state.clock.at);
  $("clock-now").textContent = new Date(now).toISOString().replace("T", " ").slice(0, 19) + " UTC";
}

function setLive(status) {
  const el = $("live");
  el.textContent = status === "live" ? "live" : status;
  el.className = `live live-${status}`;
}

let noticeTimer = null;
function notice(text, bad = false) {
  const el = $("notice");
  el.textContent = text;
  el.className = bad ? "notice bad" : "notice";
  el.hidden = false;
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => (el.hidden = true), 4000);
}

function fail(error) {
  notice(error.line ?? error.message ?? String(error), true);
}

function renderReplyBar() {
  const bar = $("reply-bar");
  const message = state.replyTo;
  bar.hidden = !message;
  if (!message) return fill(bar);
  fill(
    bar,
    h("span", { class: "muted" }, "Reply to "),
    h("span", { class: "reply-author" }, ctx.userName(message.authorId)),
    h("span", { class: "reply-text" }, oneLine(message.text)),
    h("button", { type: "button", class: "remove", title: "Cancel the reply (Escape)", "aria-label": "Cancel the reply", onclick: () => ctx.cancelReply() }, "×"),
  );
}

// ------------------------------------------------------------------------------------------------
// Portal-wide actions (the toolbar; add one with toolbarActions.push({label, title, run}))

export const toolbarActions = [
  { label: "New user", title: "Add a user to the portal", run: () => newUser() },
  { label: "New chat", title: "Create a group chat", run: () => newChat() },
  { label: "New dialog", title: "Write a first message to a user or bot (opens the 1:1 dialog)", run: () => newDialog() },
  { label: "Open bot", title: "Open your 1:1 dialog with a bot (JOINCHAT the first time), optionally with a context (CONTEXTGET)", run: () => openBot() },
  { label: "Reset portal", title: "Rebuild the portal from its fixture", run: () => resetPortal() },
];

async function addMember(chat, userId) {
  if (!userId) return;
  await state.api.addMembers(`chat${chat.id}`, [userId], state.actingUserId).catch(fail);
}

async function removeMember(chat, userId) {
  await state.api.removeMember(`chat${chat.id}`, userId).catch(fail);
}

function ask(title, fields) {
  const dialog = $("dialog");
  return new Promise((resolve) => {
    const inputs = fields.map((f) =>
      f.type === "users"
        ? usersPicker(f)
        : f.type === "user" || f.type === "bot"
          ? userSelect(f)
          : f.type === "json"
            ? jsonInput(f)
            : h("input", { name: f.name, placeholder: f.label, required: f.required }),
    );
    const form = h(
      "form",
      { method: "dialog" },
      h("h3", {}, title),
      fields.map((f, i) => h("label", {}, h("span", {}, f.label), inputs[i])),
      h("div", { class: "dialog-buttons" }, h("button", { value: "cancel", formnovalidate: true }, "Cancel"), h("button", { value: "ok", class: "primary" }, "OK")),
    );
    fill(dialog, form);
    dialog.onclose = () => {
      if (dialog.returnValue !== "ok") return resolve(null);
      const data = new FormData(form);
      resolve(Object.fromEntries(fields.map((f) => [f.name, f.type === "users" ? data.getAll(f.name).map(Number) : String(data.get(f.name) ?? "")])));
    };
    dialog.showModal();
  });
}

/** A JSON object in a text box; the form will not submit until it parses. */
function jsonInput(field) {
  const input = h("textarea", { name: field.name, rows: "4", class: "json-input", spellcheck: "false" });
  const said = h("span", { class: "field-problem" });
  input.value = field.value ?? "";
  const check = () => {
    const text = input.value.trim();
    let problem = "";
    if (text || !field.optional) {
      try {
        const value = JSON.parse(text);
        if (value === null || typeof value !== "object" || Array.isArray(value)) problem = "A JSON object, e.g. {\"source\": \"inspector\"}";
      } catch (error) {
        problem = `Not JSON: ${error.message}`;
      }
    }
    input.setCustomValidity(problem);
    said.textContent = problem;
  };
  input.addEventListener("input", check);
  check();
  return [input, said];
}

function userSelect(field) {
  const others = [...state.users.values()].filter((u) => u.active && u.id !== state.actingUserId && (field.type !== "bot" || u.bot));
  return h("select", { name: field.name, required: true }, others.map((u) => h("option", { value: String(u.id) }, `${u.name}${u.bot ? " (bot)" : ""}`)));
}

function usersPicker(field) {
  return h(
    "div",
    { class: "picker" },
    [...state.users.values()]
      .filter((u) => u.active && u.id !== state.actingUserId)
      .map((u) => h("label", {}, h("input", { type: "checkbox", name: field.name, value: String(u.id) }), ` ${u.name}${u.bot ? " (bot)" : ""}`)),
  );
}

async function newUser() {
  const answer = await ask("New user", [{ name: "firstName", label: "First name", required: true }, { name: "lastName", label: "Last name" }]);
  if (answer) await state.api.createUser(answer).catch(fail);
}

async function newChat() {
  const answer = await ask(`New chat owned by ${ctx.userName(state.actingUserId)}`, [{ name: "title", label: "Title", required: true }, { name: "members", label: "Members", type: "users" }]);
  if (!answer) return;
  const chat = await state.api.createChat({ title: answer.title, ownerId: state.actingUserId, members: answer.members }).catch(fail);
  if (chat) {
    state.chats.set(chat.id, { id: chat.id, dialogId: `chat${chat.id}`, type: "chat", title: answer.title, color: "", ownerId: state.actingUserId, members: [state.actingUserId, ...answer.members], messageCount: 0, lastMessage: null });
    await openChat(chat.id);
  }
}

async function newDialog() {
  const answer = await ask(`New dialog of ${ctx.userName(state.actingUserId)}`, [
    { name: "userId", label: "With", type: "user" },
    { name: "text", label: "First message", required: true },
  ]);
  if (!answer) return;
  const sent = await state.api.say(state.actingUserId, answer.userId, answer.text).catch(fail);
  if (sent) {
    state.chats = new Map((await state.api.chats()).map((c) => [c.id, c]));
    await openChat(sent.message.chatId);
  }
}

async function resetPortal() {
  if (!confirm(`Reset portal "${state.api.id}" to its fixture? Every message, chat and user added since is lost.`)) return;
  await state.api.reset().catch(fail);
}

// ------------------------------------------------------------------------------------------------
// Wiring

fill($("toolbar"), toolbarActions.map((a) => h("button", { type: "button", title: a.title, onclick: () => a.run() }, a.label)));
$("portal").addEventListener("change", (e) => openPortal(e.target.value));
$("acting").addEventListener("change", (e) => {
  state.actingUserId = Number(e.target.value);
  renderChats();
  renderChatHead();
  renderMessages({ keepScroll: true });
});
for (const button of document.querySelectorAll("[data-advance]")) {
  button.addEventListener("click", () => state.api.advanceClock(Number(button.dataset.advance)).then(setClock, fail));
}
for (const button of document.querySelectorAll("#tabs button")) button.addEventListener("click", () => showTab(button.dataset.tab));
// Escape anywhere closes an open reaction palette.
document.addEventListener("keydown", (e) => {
  if (e.key === "Escape" && state.paletteFor !== null) ctx.closePalette();
});
$("messages").addEventListener("scroll", (e) => {
  const list = e.target;
  state.atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
  if (list.scrollTop < 40) void loadOlder();
});
// The list shrinks when the chat header grows (members added): the last message stays in view.
new ResizeObserver(followBottom).observe($("messages"));
setInterval(renderClock, 1000);
start().catch(fail);
