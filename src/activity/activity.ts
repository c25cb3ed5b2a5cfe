import { EventEmitter } from "node:events";
import type { RaisedEvent } from "../events/types.js";
import type { ConformanceFinding, ConformanceSummary } from "../domain/conformance.js";
import { redactValue } from "../domain/redact.js";
import { boundedRecord } from "./bounded-record.js";

/** One REST call as the journal keeps it: secrets masked, outcome recorded. */
export interface JournalEntry {
  id: number;
  time: string;
  httpMethod: string;
  method: string;
  params: Record<string, unknown>;
  status: number;
  error: string | null;
  durationMs: number;
  /** The id of the fault rule that answered or delayed the call (status 0: connection dropped). */
  fault?: number;
  /** What the emulator warned about this call (a setting with no effect, a body that looks wrong); absent when nothing. */
  warnings?: string[];
  /** Who called: a webhook's user or an app, without secrets. */
  caller?: string;
  /** What the caller got back, secrets masked (cut when long). */
  response?: unknown;
  /** Messages the call stored, so a message can be traced back to the call that produced it. */
  messageIds?: number[];
  /** Events the call raised (both delivery modes). */
  eventIds?: number[];
  /** Where the call deviates from the documented contract (the conformance report). */
  conformance?: ConformanceFinding[];
  /** The params were too large to keep whole: long strings are cut (bounded-record.ts). */
  truncated?: true;
}

/** One webhook POST to a bot's handler and how it went. */
export interface Delivery {
  id: number;
  time: string;
  botId: number;
  eventId: number;
  event: string;
  url: string;
  payload: Record<string, string>;
  status: number | null;
  error: string | null;
  durationMs: number;
  /** The delivery fault rule that dropped, delayed, duplicated or timed out this attempt. */
  fault?: number;
  /** True when a fault rule dropped the event: it was never sent. */
  dropped?: boolean;
  /** The payload was too large to keep whole: long strings are cut (bounded-record.ts). */
  truncated?: true;
}

/** What a long-poll waits for; a change wakes only the waits of the kinds it can produce. */
export type WaitKind = "message" | "call" | "delivery";
const WAIT_KINDS: readonly WaitKind[] = ["message", "call", "delivery"];
/** The ids of the records a change wrote or removed, or "all" when a wait must look at everything. */
export type Touched = ReadonlySet<number> | "all";

const KEEP_PER_PORTAL = 5_000; // at most 20% more between trims
/** Long-polls (control `wait`) under way at once, over all portals; more are refused. */
export const MAX_PENDING_WAITS = 1_000;
/** Bytes (as JSON) of journal entries, and of deliveries, kept per portal: the oldest go first. */
export const KEEP_BYTES_PER_PORTAL = 8 * 1024 * 1024;

interface PortalActivity {
  journal: JournalEntry[];
  deliveries: Delivery[];
  raised: RaisedEvent[];
  nextId: number;
  /** Counted apart from the journal, so the report outlives trimmed entries. */
  conformance: { calls: number; byRule: Map<string, ConformanceSummary["rules"][number]> };
  journalBytes: ByteCount;
  deliveryBytes: ByteCount;
}

interface ByteCount {
  total: number;
  of: WeakMap<object, number>;
}

const EXAMPLES_PER_RULE = 5;
/** Findings a journal entry keeps: a body of 100,000 unknown keys would otherwise keep 100,000. */
export const FINDINGS_PER_ENTRY = 50;

/**
 * What happened in each portal that is not portal state: the call journal, webhook deliveries,
 * and a change signal that long-polls wait on. Kept in memory, bounded per portal.
 */
export class Activity {
  private readonly portals = new Map<string, PortalActivity>();
  private readonly changes = new EventEmitter().setMaxListeners(0);
  /** Wakes waits, keyed by kind and portal, so a REST call's journal entry never probes message waits. */
  private readonly wakes = new EventEmitter().setMaxListeners(0);
  private probes = 0;
  private readonly waiting = new Set<() => void>();
  private readonly streams = new Set<() => void>();

  private of(portalId: string): PortalActivity {
    let entry = this.portals.get(portalId);
    if (!entry) {
      entry = {
        journal: [],
        deliveries: [],
        raised: [],
        nextId: 0,
        conformance: { calls: 0, byRule: new Map() },
        journalBytes: byteCount(),
        deliveryBytes: byteCount(),
      };
      this.portals.set(portalId, entry);
    }
    return entry;
  }

  record(portalId: string, entry: Omit<JournalEntry, "id">): JournalEntry {
    const portal = this.of(portalId);
    // Cut, then mask, for every writer: masking reads every character, and an upload's base64 is 140 MB.
    const params = boundedRecord(entry.params);
    params.value = redactValue(params.value) as Record<string, unknown>;
    const kept = entry.conformance && entry.conformance.length > FINDINGS_PER_ENTRY ? { conformance: entry.conformance.slice(0, FINDINGS_PER_ENTRY) } : {};
    const full: JournalEntry = { id: ++portal.nextId, ...entry, ...kept, params: params.value, ...(params.truncated ? { truncated: true as const } : {}) };
    const responseBytes = entry.response === undefined ? 0 : (JSON.stringify(entry.response)?.length ?? 0);
    const findingBytes = full.conformance === undefined ? 0 : JSON.stringify(full.conformance).length;
    pushBounded(portal.journal, portal.journalBytes, full, params.bytes + responseBytes + findingBytes);
    // The report counts every finding; the entry keeps the first few.
    this.countFindings(portal, { ...full, conformance: entry.conformance });
    this.changed(portalId, ["call"]);
    return full;
  }

  /** The conformance report: findings per rule, with the first calls that showed each. */
  conformance(portalId: string): ConformanceSummary {
    const { calls, byRule } = this.of(portalId).conformance;
    return { calls, rules: [...byRule.values()].map((r) => ({ ...r, examples: [...r.examples] })) };
  }

  private countFindings(portal: PortalActivity, entry: JournalEntry): void {
    portal.conformance.calls += 1;
    for (const finding of entry.conformance ?? []) {
      let summary = portal.conformance.byRule.get(finding.rule);
      if (!summary) {
        summary = { rule: finding.rule, count: 0, examples: [] };
        portal.conformance.byRule.set(finding.rule, summary);
      }
      summary.count += 1;
      if (summary.examples.length < EXAMPLES_PER_RULE) {
        summary.examples.push({ callId: entry.id, method: entry.method, param: finding.param, detail: finding.detail });
      }
    }
  }

  delivered(portalId: string, delivery: Omit<Delivery, "id">): Delivery {
    const portal = this.of(portalId);
    const payload = boundedRecord(delivery.payload);
    const full: Delivery = { id: ++portal.nextId, ...delivery, payload: payload.value, ...(payload.truncated ? { truncated: true as const } : {}) };
    pushBounded(portal.deliveries, portal.deliveryBytes, full, payload.bytes);
    this.changed(portalId, ["delivery"]);
    return full;
  }

  /** Events a committed change raised, in both delivery modes (the event stream reports them). */
  raisedEvents(portalId: string, events: readonly RaisedEvent[]): void {
    if (events.length === 0) return;
    const portal = this.of(portalId);
    for (const event of events) push(portal.raised, event);
    // No wait looks at raised events; only the event stream does.
    this.changed(portalId, []);
  }

  raised(portalId: string): readonly RaisedEvent[] {
    return this.of(portalId).raised;
  }

  journal(portalId: string): readonly JournalEntry[] {
    return this.of(portalId).journal;
  }

  deliveries(portalId: string): readonly Delivery[] {
    return this.of(portalId).deliveries;
  }

  forget(portalId: string): void {
    this.portals.delete(portalId);
    this.changed(portalId);
  }

  /**
   * Signals that something in the portal changed (a commit, a journal entry, a delivery): the event
   * stream always hears it, waits only when it is of a kind they wait for (`kinds`, default all).
   * `touched` names the records of those kinds that changed, so a wait's probe can look at just them.
   */
  changed(portalId: string, kinds: readonly WaitKind[] = WAIT_KINDS, touched: Touched = "all"): void {
    this.changes.emit(portalId);
    for (const kind of kinds) this.wakes.emit(wakeKey(kind, portalId), touched);
  }

  /** Probes the waits have run so far in this process (tests check which changes wake which waits). */
  get probesRun(): number {
    return this.probes;
  }

  /** Long-polls under way. */
  get pendingWaits(): number {
    return this.waiting.size;
  }

  /** Ends every wait and every stream now, as if it had timed out (shutdown). */
  releaseWaits(): void {
    for (const giveUp of [...this.waiting]) giveUp();
    for (const end of [...this.streams]) end();
  }

  /**
   * Calls `listener` after every change in the portal until the returned function is called, or
   * `end` runs at shutdown. The event stream is fed by this, the signal the long-polls wait on.
   */
  watch(portalId: string, listener: () => void, end: () => void): () => void {
    this.changes.on(portalId, listener);
    const stop = () => {
      this.changes.off(portalId, listener);
      this.streams.delete(finish);
    };
    const finish = () => {
      stop();
      end();
    };
    this.streams.add(finish);
    return stop;
  }

  /**
   * Resolves with the first non-undefined value of `probe`, checked now (on "all") and after every
   * change of `kind` in the portal (on what the changes touched), or with undefined after `timeoutMs`.
   */
  waitFor<T>(portalId: string, kind: WaitKind, probe: (touched: Touched) => T | undefined, timeoutMs: number): Promise<T | undefined> {
    const key = wakeKey(kind, portalId);
    const counted = (touched: Touched) => {
      this.probes++;
      return probe(touched);
    };
    const found = counted("all");
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve) => {
      // Probed once per turn of the event loop, after the change's request is answered: a burst of
      // changes costs one probe per wait, and no REST call waits for the probes of a thousand waits.
      let pending: Touched | null = null;
      let done = false;
      const onChange = (touched: Touched) => {
        if (pending !== null) {
          pending = joinTouched(pending, touched);
          return;
        }
        pending = touched;
        setImmediate(() => {
          const since = pending ?? "all";
          pending = null;
          if (done) return;
          const value = counted(since);
          if (value !== undefined) finish(value);
        });
      };
      const timer = setTimeout(() => finish(undefined), timeoutMs);
      const giveUp = () => finish(undefined);
      const finish = (value: T | undefined) => {
        done = true;
        clearTimeout(timer);
        this.wakes.off(key, onChange);
        this.waiting.delete(giveUp);
        resolve(value);
      };
      this.wakes.on(key, onChange);
      this.waiting.add(giveUp);
    });
  }
}

function joinTouched(a: Touched, b: Touched): Touched {
  return a === "all" || b === "all" ? "all" : new Set([...a, ...b]);
}

function wakeKey(kind: WaitKind, portalId: string): string {
  return `${kind} ${portalId}`;
}

function byteCount(): ByteCount {
  return { total: 0, of: new WeakMap() };
}

/** Appends, then drops the oldest entries past the count (in batches) or the byte budget. */
function pushBounded<T extends object>(list: T[], count: ByteCount, item: T, bytes: number): void {
  list.push(item);
  count.of.set(item, bytes);
  count.total += bytes;
  const overCount = list.length > KEEP_PER_PORTAL * 1.2 ? list.length - KEEP_PER_PORTAL : 0;
  if (overCount === 0 && count.total <= KEEP_BYTES_PER_PORTAL) return;
  let drop = 0;
  let freed = 0;
  while (drop < list.length - 1 && (drop < overCount || count.total - freed > KEEP_BYTES_PER_PORTAL)) freed += count.of.get(list[drop++] as T) ?? 0;
  list.splice(0, drop);
  count.total -= freed;
}

/** Trims in batches: dropping one old entry per push would shift the whole list every time. */
function push<T>(list: T[], item: T): void {
  list.push(item);
  if (list.length > KEEP_PER_PORTAL * 1.2) list.splice(0, list.length - KEEP_PER_PORTAL);
}
