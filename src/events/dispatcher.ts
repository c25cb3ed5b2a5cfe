import { Agent as HttpAgent, request as httpRequest } from "node:http";
import type { LookupFunction } from "node:net";
import { redactQuery, redactValue } from "../domain/redact.js";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import type { Activity } from "../activity/activity.js";
import type { Logger } from "../logger.js";
import { encodeForm } from "./php-form.js";
import type { OutboxItem } from "./types.js";
import { WebhookTargets, WebhookTargetRefused } from "./webhook-targets.js";

export const DEFAULT_DELIVERY_TIMEOUT_MS = 10_000;
/** Events one bot may have waiting for its handler; more are dropped (and logged) until it catches up. */
export const MAX_BACKLOG_PER_BOT = 100;
/** How long shutdown waits for deliveries under way before dropping what is left. */
export const SHUTDOWN_GRACE_MS = 3_000;

/** Time as the deliveries log tells it: the portal's clock, and durations that a frozen clock keeps at 0. */
export interface DeliveryClock {
  now(portalId: string): Date;
  stopwatch(): () => number;
}

const SYSTEM_DELIVERY_CLOCK: DeliveryClock = {
  now: () => new Date(),
  stopwatch: () => {
    const started = performance.now();
    return () => performance.now() - started;
  },
};

/**
 * Sends webhook events to bot handlers: one attempt each, in the order raised, bounded by a
 * timeout, never following redirects, and never holding up the request that raised them. A portal
 * does not reliably retry, so neither does the emulator; every outcome lands in the deliveries log.
 */
export class WebhookDispatcher {
  private readonly inFlight = new Set<Promise<void>>();
  /** Bot handlers are usually on this machine: a kept-alive connection makes a delivery cost a write. */
  private readonly agents: Agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };
  /** One queue per bot: a hanging handler delays only its own bot's events. */
  private readonly chains = new Map<string, Promise<void>>();
  /** Cuts injected delays short at shutdown, so closing never waits them out. */
  private readonly closing = new AbortController();
  /** Aborts the POSTs still under way once the shutdown grace has passed. */
  private readonly dropping = new AbortController();
  /** Events queued or under way per bot (`portal:bot`). */
  private readonly backlog = new Map<string, number>();

  constructor(
    private readonly activity: Activity,
    private readonly log: Logger,
    private readonly timeoutMs = DEFAULT_DELIVERY_TIMEOUT_MS,
    private readonly clock: DeliveryClock = SYSTEM_DELIVERY_CLOCK,
    private readonly targets: WebhookTargets = new WebhookTargets([]),
  ) {}

  send(items: readonly OutboxItem[]): void {
    for (const item of items) {
      const key = `${item.portalId}:${item.botId}`;
      const waiting = this.backlog.get(key) ?? 0;
      if (waiting >= MAX_BACKLOG_PER_BOT || this.closing.signal.aborted) {
        const why = this.closing.signal.aborted ? "the emulator is shutting down" : `bot ${item.botId} already has ${waiting} events waiting for its handler (at most ${MAX_BACKLOG_PER_BOT})`;
        this.log.warn(`webhook ${item.type} to bot ${item.botId} dropped: ${why}`);
        this.record(item, { ...this.start(item), status: null, error: `not sent: ${why}`, dropped: true });
        continue;
      }
      this.backlog.set(key, waiting + 1);
      const delivery = (this.chains.get(key) ?? Promise.resolve()).then(() => this.carryOut(item));
      this.chains.set(key, delivery);
      this.inFlight.add(delivery);
      void delivery.finally(() => {
        this.inFlight.delete(delivery);
        if (this.chains.get(key) === delivery) this.chains.delete(key);
        const left = (this.backlog.get(key) ?? 1) - 1;
        if (left > 0) this.backlog.set(key, left);
        else this.backlog.delete(key);
      });
    }
  }

  /** Waits for deliveries under way (shutdown, tests). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Events queued or under way for one bot: what its handler has yet to take. */
  backlogOf(portalId: string, botId: number): number {
    return this.backlog.get(`${portalId}:${botId}`) ?? 0;
  }

  /**
   * Finishes the deliveries under way for a few seconds at most, so a handler that never answers
   * cannot hold up shutdown; what is left is dropped, each logged as not sent, and counted in one line.
   */
  async close(graceMs = SHUTDOWN_GRACE_MS): Promise<void> {
    this.closing.abort();
    const finished = await Promise.race([this.idle().then(() => true), sleep(graceMs, false, { ref: false })]);
    if (!finished) {
      const left = [...this.backlog.values()].reduce((sum, n) => sum + n, 0);
      this.log.warn(`shutdown: ${left} webhook deliveries still waiting after ${graceMs} ms were dropped`);
      this.dropping.abort();
      await this.idle();
    }
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

  /**
   * Sends one event as its fault rule says: dropped (logged, never sent), delayed (the bot's later
   * events wait behind it, since they share its queue), sent twice, or with a shorter timeout.
   */
  private async carryOut(item: OutboxItem): Promise<void> {
    const fault = item.fault;
    if (fault?.action === "drop") {
      this.log.info(`webhook ${item.type} to bot ${item.botId} dropped by fault rule ${fault.ruleId}`);
      this.record(item, { ...this.start(item), status: null, error: `dropped by fault rule ${fault.ruleId}`, dropped: true });
      return;
    }
    if (this.dropping.signal.aborted) {
      this.record(item, { ...this.start(item), status: null, error: "not sent: dropped at shutdown", dropped: true });
      return;
    }
    if (fault?.action === "delay") await sleep(fault.delayMs, undefined, { signal: this.closing.signal }).catch(() => undefined);
    const timeoutMs = fault?.action === "timeout" && fault.timeoutMs !== undefined ? fault.timeoutMs : this.timeoutMs;
    await this.deliver(item, timeoutMs);
    if (fault?.action === "duplicate") await this.deliver(item, timeoutMs);
  }

  private async deliver(item: OutboxItem, timeoutMs: number): Promise<void> {
    const started = this.start(item);
    let status: number | null = null;
    let error: string | null = null;
    try {
      // Checked again at send time: a fixture or an older data file may hold any URL.
      const refusal = this.targets.refusal(item.url);
      if (refusal) throw new WebhookTargetRefused(refusal);
      status = await post(this.agents, item.url, encodeForm(item.form), timeoutMs, this.targets.checkedLookup(item.url), this.dropping.signal);
      if (status < 200 || status >= 300) error = `handler answered HTTP ${status}`;
    } catch (failure) {
      error = describe(failure, timeoutMs, this.dropping.signal);
    }
    if (error) this.log.warn(`webhook ${item.type} to bot ${item.botId} at ${redactQuery(item.url)}: ${error}`);
    this.record(item, { ...started, status, error, dropped: false });
  }

  private start(item: OutboxItem): { at: Date; elapsed: () => number } {
    return { at: this.clock.now(item.portalId), elapsed: this.clock.stopwatch() };
  }

  private record(item: OutboxItem, outcome: { at: Date; elapsed: () => number; status: number | null; error: string | null; dropped: boolean }): void {
    this.activity.delivered(item.portalId, {
      time: outcome.at.toISOString(),
      botId: item.botId,
      eventId: item.eventId,
      event: item.type,
      url: redactQuery(item.url),
      payload: redactValue(Object.fromEntries(item.form)) as Record<string, string>,
      status: outcome.status,
      error: outcome.error,
      durationMs: outcome.elapsed(),
      ...(item.fault ? { fault: item.fault.ruleId } : {}),
      ...(outcome.dropped ? { dropped: true } : {}),
    });
  }
}

interface Agents {
  http: HttpAgent;
  https: HttpsAgent;
}

/**
 * One POST, no redirects followed, bounded by `timeoutMs`; resolves the status. A kept-alive
 * connection the handler closed while idle fails on reuse before any answer (ECONNRESET with
 * `reusedSocket`): the handler never saw that request, so it is sent once more on a new connection.
 * This is transport repair, not the portal retrying an event.
 */
async function post(agents: Agents, url: string, body: string, timeoutMs: number, lookup: LookupFunction, dropped: AbortSignal): Promise<number> {
  try {
    return await postOnce(agents, url, body, timeoutMs, lookup, dropped);
  } catch (failure) {
    if (!(failure instanceof StaleConnection)) throw failure;
    return postOnce(agents, url, body, timeoutMs, lookup, dropped);
  }
}

class StaleConnection extends Error {
  readonly code = "ECONNRESET";
}

function postOnce(agents: Agents, url: string, body: string, timeoutMs: number, lookup: LookupFunction, dropped: AbortSignal): Promise<number> {
  const target = new URL(url);
  const secure = target.protocol === "https:";
  const send = secure ? httpsRequest : httpRequest;
  let answered = false;
  return new Promise((resolve, reject) => {
    const req = send(
      target,
      {
        method: "POST",
        agent: secure ? agents.https : agents.http,
        lookup,
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          "Content-Length": Buffer.byteLength(body),
          "User-Agent": "Bitrix24 Webhook Engine",
        },
        signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), dropped]),
      },
      (res) => {
        answered = true;
        res.resume();
        res.once("end", () => resolve(res.statusCode ?? 0));
        res.once("error", reject);
      },
    );
    req.once("error", (error: NodeJS.ErrnoException) => {
      const stale = !answered && req.reusedSocket && error.code === "ECONNRESET" && !dropped.aborted;
      reject(stale ? new StaleConnection(error.message) : error);
    });
    req.end(body);
  });
}

function describe(failure: unknown, timeoutMs: number, dropped: AbortSignal): string {
  if (dropped.aborted) return "not sent in full: dropped at shutdown";
  const err = failure as { name?: string; code?: string; message?: string; cause?: { name?: string } };
  if (err.name === "TimeoutError" || err.cause?.name === "TimeoutError" || err.name === "AbortError") {
    return `no answer within ${timeoutMs} ms`;
  }
  if (failure instanceof WebhookTargetRefused) return `not sent: ${failure.message}`;
  return err.code ?? err.message ?? String(failure);
}
