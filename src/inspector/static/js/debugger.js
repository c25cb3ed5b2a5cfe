import { fill, h, timeOf } from "./dom.js";

// The debugger panes: the message in detail, the REST journal, webhook deliveries, fetch-mode
// events waiting for Event.get, fault rules and the conformance report. Each renders from the page
// state; the stream keeps that state live.

const ms = (value) => `${Number(value).toFixed(1)} ms`;
const json = (value) => h("pre", { class: "json" }, JSON.stringify(value, null, 2));

export function renderPane(pane, ctx) {
  const render = { message: messagePane, journal: journalPane, deliveries: deliveriesPane, events: eventsPane, faults: faultsPane, conformance: conformancePane }[ctx.tab];
  fill(pane, render(ctx));
}

function messagePane(ctx) {
  const message = ctx.selectedMessage();
  if (!message) return h("p", { class: "empty" }, "Select a message (Details) to see the call that stored it and the events it raised.");
  const call = ctx.callOf(message.id);
  const events = ctx.eventsOf(message.id);
  return h(
    "div",
    { class: "details" },
    h("h3", {}, `Message ${message.id}`),
    h("dl", {}, h("dt", {}, "Author"), h("dd", {}, ctx.userName(message.authorId)), h("dt", {}, "Date"), h("dd", {}, message.date)),
    h("h4", {}, "Stored by"),
    call ? callRow(call, ctx, true) : h("p", { class: "empty" }, "No REST call (a user typed it, or the journal no longer has the call)."),
    h("h4", {}, `Events raised (${events.length})`),
    events.length === 0 ? h("p", { class: "empty" }, "None.") : events.map((e) => eventRow(e, ctx)),
    h("h4", {}, "As stored"),
    json(message),
  );
}

function eventRow(event, ctx) {
  const delivery = ctx.deliveries.find((d) => d.eventId === event.eventId);
  return h(
    "div",
    { class: "event-row" },
    h("span", { class: "ev-type" }, event.type),
    " to ",
    h("span", {}, ctx.userName(event.botId)),
    h("span", { class: `tag tag-${event.mode}` }, event.mode),
    delivery ? h("span", { class: delivery.error ? "status-bad" : "status-ok" }, ` delivered: ${delivery.status ?? "no answer"} in ${ms(delivery.durationMs)}`) : null,
    event.mode === "fetch" ? h("span", { class: "muted" }, ctx.pending.some((p) => p.eventId === event.eventId) ? " waiting for Event.get" : " fetched") : null,
  );
}

function journalPane(ctx) {
  const f = ctx.journalFilter;
  const bots = [...ctx.users.values()].filter((u) => u.bot);
  const filters = h(
    "div",
    { class: "filters" },
    h(
      "select",
      { "aria-label": "Bot", onchange: (e) => ctx.setJournalFilter({ botId: e.target.value }) },
      h("option", { value: "" }, "all bots"),
      bots.map((b) => h("option", { value: String(b.id), selected: f.botId === String(b.id) }, b.name)),
    ),
    h("input", { type: "search", placeholder: "method", value: f.method, "aria-label": "Method", oninput: (e) => ctx.setJournalFilter({ method: e.target.value }, true) }),
    h(
      "select",
      { "aria-label": "Outcome", onchange: (e) => ctx.setJournalFilter({ outcome: e.target.value }) },
      ["all", "ok", "errors", "faults", "findings"].map((o) => h("option", { value: o, selected: f.outcome === o }, o)),
    ),
    h(
      "label",
      { class: "muted", title: "Event.get calls that found nothing: a polling bot makes many" },
      h("input", { type: "checkbox", checked: f.polls, onchange: (e) => ctx.setJournalFilter({ polls: e.target.checked }) }),
      " empty polls",
    ),
  );
  const calls = ctx.journal.filter(
    (c) =>
      (!f.botId || String(c.params?.botId ?? "") === f.botId) &&
      (!f.method || c.method.toLowerCase().includes(f.method.toLowerCase())) &&
      outcomeMatches(c, f.outcome) &&
      (f.polls || !isEmptyPoll(c)),
  );
  const rows = calls.slice(-300).reverse();
  return h("div", {}, filters, rows.length === 0 ? h("p", { class: "empty" }, "No REST calls yet.") : rows.map((c) => callRow(c, ctx, c.id === ctx.selectedCallId)));
}

function outcomeMatches(call, outcome) {
  if (outcome === "faults") return call.fault !== undefined;
  if (outcome === "findings") return (call.conformance?.length ?? 0) > 0;
  return outcome === "all" || (outcome === "ok") === (call.error === null);
}

function isEmptyPoll(call) {
  return call.method === "imbot.v2.Event.get" && call.error === null && Array.isArray(call.response?.result?.events) && call.response.result.events.length === 0;
}

function callRow(call, ctx, open) {
  const bad = call.error !== null;
  const findings = call.conformance ?? [];
  return h(
    "details",
    { class: `call${bad ? " call-error" : ""}`, open, dataset: { id: String(call.id) } },
    h(
      "summary",
      {},
      h("span", { class: "muted" }, timeOf(call.time)),
      h("span", { class: "call-method" }, call.method),
      h("span", { class: bad ? "status-bad" : "status-ok" }, String(call.status), bad ? ` ${call.error}` : ""),
      h("span", { class: "muted" }, ms(call.durationMs)),
      call.fault !== undefined ? h("span", { class: "tag tag-fault", title: "A fault rule answered or delayed this call" }, `fault #${call.fault}`) : null,
      findings.length > 0 ? h("span", { class: "tag tag-finding", title: "Deviations from the documented contract" }, `${findings.length} finding${findings.length > 1 ? "s" : ""}`) : null,
    ),
    call.caller ? h("p", { class: "muted" }, `${call.httpMethod} by ${call.caller}`) : null,
    call.fault !== undefined
      ? h("p", { class: "fault-note" }, `Answered by fault rule #${call.fault}${call.status === 0 ? " (connection dropped)" : ""} `, h("a", { href: "#", onclick: (e) => (e.preventDefault(), ctx.openTab("faults")) }, "see Faults"))
      : null,
    findings.length > 0 ? [h("h5", {}, "Conformance"), h("ul", { class: "findings" }, findings.map((x) => findingItem(x)))] : null,
    h("h5", {}, "Params"),
    json(call.params),
    call.response !== undefined ? [h("h5", {}, "Response"), json(call.response)] : null,
    call.messageIds?.length ? h("p", {}, "Stored messages ", call.messageIds.map((id) => h("a", { href: "#", onclick: (e) => (e.preventDefault(), ctx.showMessage(id)) }, `#${id} `))) : null,
  );
}

function deliveriesPane(ctx) {
  if (ctx.deliveries.length === 0) return h("p", { class: "empty" }, "No webhook deliveries yet (fetch-mode bots read events with Event.get).");
  return ctx.deliveries
    .slice(-300)
    .reverse()
    .map((d) =>
      h(
        "details",
        { class: `call${d.error ? " call-error" : ""}` },
        h(
          "summary",
          {},
          h("span", { class: "muted" }, timeOf(d.time)),
          h("span", { class: "call-method" }, d.event),
          h("span", {}, ctx.userName(d.botId)),
          h("span", { class: d.error || d.dropped ? "status-bad" : "status-ok" }, d.dropped ? "dropped" : d.status === null ? "no answer" : String(d.status)),
          h("span", { class: "muted" }, ms(d.durationMs)),
          d.fault !== undefined ? h("span", { class: "tag tag-fault" }, `fault #${d.fault}`) : null,
        ),
        d.error ? h("p", { class: "status-bad" }, d.error) : null,
        h("p", { class: "muted" }, `POST ${d.url}`),
        h("table", { class: "payload" }, Object.entries(d.payload).map(([k, v]) => h("tr", {}, h("td", {}, k), h("td", {}, v)))),
      ),
    );
}

function eventsPane(ctx) {
  const byBot = new Map();
  for (const e of ctx.pending) byBot.set(e.botId, [...(byBot.get(e.botId) ?? []), e]);
  if (byBot.size === 0) return h("p", { class: "empty" }, "No fetch-mode events waiting for Event.get.");
  return [...byBot].map(([botId, events]) =>
    h(
      "section",
      { class: "bot-events" },
      h("h4", {}, `${ctx.userName(botId)}: ${events.length} waiting`),
      events.map((e) =>
        h(
          "details",
          { class: "call" },
          h(
            "summary",
            {},
            h("span", { class: "muted" }, `#${e.eventId}`),
            h("span", { class: "call-method" }, e.type),
            h("span", { class: "muted" }, timeOf(e.date)),
            e.fault !== undefined ? h("span", { class: "tag tag-fault" }, `fault #${e.fault}`) : null,
            e.heldUntil ? h("span", { class: "muted", title: "A delay fault holds it back from Event.get" }, `held until ${timeOf(e.heldUntil)}`) : null,
          ),
          json(e.data),
        ),
      ),
    ),
  );
}

function findingItem(finding) {
  return h(
    "li",
    {},
    h("span", { class: "finding-rule" }, finding.rule),
    " ",
    h("code", {}, finding.batchKey ? `cmd[${finding.batchKey}] ${finding.param}` : finding.param),
    `: ${finding.detail}`,
    finding.refuse === false ? h("span", { class: "muted" }, " (reported only)") : null,
  );
}

/** What a rule matches: a REST method, or a bot's events on their way. */
function faultTarget(rule, ctx) {
  if (rule.target === "rest") return rule.method;
  return `${rule.event ?? "every event"} to ${rule.botId ? ctx.userName(rule.botId) : "every bot"}`;
}

/** What a rule does to what it matches, in words. */
function faultEffect(rule) {
  const after = rule.delayMs ? ` after ${rule.delayMs} ms` : "";
  if (rule.target === "delivery") {
    if (rule.action === "drop") return "drops it";
    if (rule.action === "delay") return `delays it ${rule.delayMs ?? 0} ms`;
    if (rule.action === "duplicate") return "delivers it twice";
    if (rule.action === "timeout") return `gives the handler ${rule.timeoutMs} ms`;
    return String(rule.action);
  }
  if (rule.error) return `answers ${rule.error}${rule.status ? ` (HTTP ${rule.status})` : ""}${after}`;
  if (rule.reset) return `drops the connection${after}`;
  return `delays ${rule.delayMs ?? 0} ms, then answers normally`;
}

function faultsPane(ctx) {
  const rules = ctx.faults;
  if (rules === null) return h("p", { class: "empty" }, "Reading the fault rules…");
  const head = h(
    "div",
    { class: "filters" },
    h("span", { class: "muted" }, `${rules.length} rule${rules.length === 1 ? "" : "s"}`),
    h("button", { type: "button", class: "add-fault", onclick: () => ctx.addFault() }, "Add rule…"),
    h("button", { type: "button", class: "clear-faults", disabled: rules.length === 0, onclick: () => ctx.clearFaults() }, "Clear all"),
  );
  if (rules.length === 0) return h("div", {}, head, h("p", { class: "empty" }, "No fault rules: every call and event goes through."));
  return h(
    "div",
    {},
    head,
    h(
      "table",
      { class: "faults" },
      h("thead", {}, h("tr", {}, ["#", "Matches", "Does", "Times", "Fired"].map((t) => h("th", {}, t)))),
      h(
        "tbody",
        {},
        rules.map((r) =>
          h(
            "tr",
            { class: r.active ? "fault-active" : "fault-spent", dataset: { id: String(r.id) } },
            h("td", {}, String(r.id), r.active ? null : h("div", { class: "tag" }, "used up")),
            h("td", { class: "fault-target" }, h("span", { class: "tag" }, r.target), " ", faultTarget(r, ctx)),
            h("td", { class: "fault-effect" }, faultEffect(r), r.probability < 1 ? h("span", { class: "muted" }, ` (p ${r.probability})`) : null),
            h("td", { class: "fault-times" }, r.times === undefined ? "until cleared" : String(r.times)),
            h("td", { class: "fault-fired" }, String(r.fired)),
          ),
        ),
      ),
    ),
  );
}

function conformancePane(ctx) {
  const report = ctx.conformance;
  if (report === null) return h("p", { class: "empty" }, "Reading the conformance report…");
  const total = report.rules.reduce((sum, r) => sum + r.count, 0);
  const head = h("p", { class: "muted" }, `${report.calls} call${report.calls === 1 ? "" : "s"} checked, ${total} finding${total === 1 ? "" : "s"}`);
  if (report.rules.length === 0) return h("div", {}, head, h("p", { class: "empty" }, "Every call so far follows the documented contract."));
  return h(
    "div",
    {},
    head,
    report.rules.map((r) =>
      h(
        "section",
        { class: "conformance-rule", dataset: { rule: r.rule } },
        h("h4", {}, h("span", { class: "finding-rule" }, r.rule), h("span", { class: "badge" }, String(r.count))),
        h(
          "ul",
          { class: "findings" },
          r.examples.map((x) =>
            h(
              "li",
              {},
              h("a", { href: "#", title: "Show the call in the journal", onclick: (e) => (e.preventDefault(), ctx.showCall(x.callId)) }, `#${x.callId} ${x.method}`),
              " ",
              h("code", {}, x.param),
              `: ${x.detail}`,
            ),
          ),
        ),
      ),
    ),
  );
}
