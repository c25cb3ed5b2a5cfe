import { DEFAULT_MAX_PORTALS } from "./options.js";
import { Activity } from "./activity/activity.js";
import { EmulatorClock } from "./clock/emulator-clock.js";
import { portalNow } from "./clock/portal-clock.js";
import { EmulatorError } from "./errors/emulator-error.js";
import type { ErrorCode } from "./errors/catalogue.js";
import { WebhookDispatcher } from "./events/dispatcher.js";
import { EventSink, sinkOAuth } from "./events/sink.js";
import type { OutboxItem, RaisedEvent } from "./events/types.js";
import { WebhookTargets } from "./events/webhook-targets.js";
import { FaultBook } from "./faults/fault-book.js";
import type { Logger } from "./logger.js";
import { randomSource, type RandomSource } from "./random/random-source.js";
import type { FidelitySettings } from "./settings.js";
import { findPortal } from "./store/portals.js";
import type { Portal, State } from "./store/state.js";
import { NoFileChanges, type FileChanges } from "./store/file-bytes.js";
import { StorageFailure, type Store, type Stored } from "./store/store.js";
import { touchedMessages } from "./store/touched-messages.js";

/** What a change inside one portal works with; `files` takes the bytes of files it shares. */
export type PortalChange<T> = (portal: Portal, sink: EventSink, now: Date, files: FileChanges) => T;

/** What a change left to do once it is stored: webhook events to send, events to show in the feed. */
interface Committed<T> {
  result: T;
  outbox: OutboxItem[];
  raised: RaisedEvent[];
}

export interface ChangeOptions {
  /** The portal's instant the change happens at (a REST call fixes it once per call); default the portal's now. */
  now?: Date;
  /** The error when the portal is gone (REST answers as a portal would about unknown credentials). */
  missing?: ErrorCode;
}

export interface RuntimeOptions {
  settings: FidelitySettings;
  log: Logger;
  /** The global clock; a portal's now adds the portal's own offset. */
  time?: EmulatorClock;
  /** Every generated id, code, token and secret; reproducible with `--seed`. */
  random?: RandomSource;
  deliveryTimeoutMs?: number;
  /** `--webhook-allow`: where bots' webhooks may go beyond loopback. */
  webhookAllow?: readonly string[];
  /** `--max-portals`: portals held at once. */
  maxPortals?: number;
}

/**
 * What lives beside the store for the app's lifetime (activity logs, webhook sender, public URL,
 * clock) and the one path every change takes, from REST, batch and the control API alike.
 */
export class Runtime {
  readonly activity = new Activity();
  readonly dispatcher: WebhookDispatcher;
  /** Fault rules per portal (control API `/faults`), consulted by the REST path and event delivery. */
  readonly faults: FaultBook;
  readonly settings: FidelitySettings;
  readonly log: Logger;
  /** The global clock itself: moved by the control API, frozen with `--clock frozen`. */
  readonly time: EmulatorClock;
  /** Every generated id, code, token and secret; reproducible with `--seed`. */
  readonly random: RandomSource;
  /** Where bots' webhooks may go; the listeners register themselves so the emulator never calls itself. */
  readonly webhookTargets: WebhookTargets;
  /** Portals the emulator may hold at once (`--max-portals`). */
  readonly maxPortals: number;
  /** `http://127.0.0.1:PORT`: set once listening, so webhook events can tell bots where to call back. */
  publicUrl: string | null = null;

  constructor(
    readonly store: Store,
    options: RuntimeOptions,
  ) {
    this.settings = options.settings;
    this.log = options.log;
    this.time = options.time ?? new EmulatorClock();
    this.random = options.random ?? randomSource();
    this.faults = new FaultBook(() => this.random.fraction());
    const portalClock = (portalId: string) => {
      const portal = findPortal(store.state, portalId);
      return portal ? portalNow(this.clock(), portal) : this.clock();
    };
    this.webhookTargets = new WebhookTargets(options.webhookAllow ?? []);
    this.maxPortals = options.maxPortals ?? DEFAULT_MAX_PORTALS;
    this.dispatcher = new WebhookDispatcher(
      this.activity,
      this.log,
      options.deliveryTimeoutMs,
      { now: portalClock, stopwatch: () => this.time.stopwatch() },
      this.webhookTargets,
    );
  }

  /** The global now (`time.now()`); a portal's now adds its own offset (clock/portal-clock.ts). */
  readonly clock = (): Date => this.time.now();

  /** Where bots call back (`http://127.0.0.1:PORT/rest/`), once known. */
  clientEndpoint(): string | null {
    return this.publicUrl ? `${this.publicUrl}/rest/` : null;
  }

  /**
   * The one change path: applies `apply` to the portal, persists what it changed, then sends the
   * webhook events it raised and wakes the waits on what it changed. A change lands whole or not at all:
   * when `apply` throws or the write fails, the store is exactly as before and nothing is sent.
   */
  change<T>(portalId: string, apply: PortalChange<T>, options: ChangeOptions = {}): Promise<T> {
    return this.commit(portalId, (state, files) => {
      const portal = this.portalIn(state, portalId, options);
      const now = options.now ?? portalNow(this.clock(), portal);
      const sink = this.sinkFor(portal, now);
      return { result: apply(portal, sink, now, files), outbox: sink.outbox, raised: sink.raised };
    });
  }

  /**
   * A change beyond one portal's events (create, delete or reset a portal; an OAuth grant): the same
   * path, persisted whole or not at all, with no events to raise.
   */
  changeState<T>(apply: (state: State, globalNow: Date, files: FileChanges) => T): Promise<T> {
    const globalNow = this.clock();
    return this.commit(null, (state, files) => ({ result: apply(state, globalNow, files), outbox: [], raised: [] }));
  }

  /**
   * Runs a reading call with the same tools as a change, on the live state: nothing is persisted,
   * and a reader must raise no webhook events (they would have no durable change to follow).
   */
  read<T>(portalId: string, apply: PortalChange<T>, options: ChangeOptions = {}): T {
    const portal = this.portalIn(this.store.state, portalId, options);
    const now = options.now ?? portalNow(this.clock(), portal);
    return apply(portal, this.sinkFor(portal, now), now, new NoFileChanges());
  }

  private sinkFor(portal: Portal, now: Date): EventSink {
    const oauth = sinkOAuth(this.settings, this.random);
    return new EventSink(portal, now, this.clientEndpoint(), this.faults.deliveryFaultsOf(portal.id), oauth, this.settings.restRevision, this.settings);
  }

  private portalIn(state: State, portalId: string, options: ChangeOptions): Portal {
    const portal = findPortal(state, portalId);
    if (portal) return portal;
    throw options.missing ? new EmulatorError(options.missing) : new EmulatorError("PORTAL_NOT_FOUND", `No portal "${portalId}"`);
  }

  private async commit<T>(portalId: string | null, mutate: (state: State, files: FileChanges) => Committed<T>): Promise<T> {
    let committed: Committed<T>;
    let changes: Stored<Committed<T>>["changes"];
    try {
      ({ result: committed, changes } = await this.store.commit(mutate));
    } catch (error) {
      if (error instanceof StorageFailure) {
        this.log.error(`${error.message}; the change was undone and answered 503 STORAGE_UNAVAILABLE`);
        throw new EmulatorError("STORAGE_UNAVAILABLE", `Storage is unavailable, nothing was changed: ${error.message}`);
      }
      throw error;
    }
    this.dispatcher.send(committed.outbox);
    // Calls and deliveries are signalled where they are recorded; messages here, from any change
    // (a portal created or reset by `changeState` too), naming the ones it touched.
    const touched = touchedMessages(changes, this.store.state);
    if (portalId !== null) {
      this.activity.raisedEvents(portalId, committed.raised);
      if (!touched.has(portalId)) this.activity.changed(portalId, []);
    }
    for (const [id, messages] of touched) this.activity.changed(id, ["message"], messages);
    return committed.result;
  }
}
