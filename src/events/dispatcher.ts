import type { Activity } from "../activity/activity.js";
import type { Logger } from "../logger.js";
import { encodeForm } from "./php-form.js";
import type { OutboxItem } from "./types.js";

export const DEFAULT_DELIVERY_TIMEOUT_MS = 10_000;

/**
 * Sends webhook events to bot handlers: one attempt each, in the order raised, bounded by a
 * timeout, never following redirects, and never holding up the request that raised them. A portal
 * does not reliably retry, so neither does the emulator; every outcome lands in the deliveries log.
 */
export class WebhookDispatcher {
  private readonly inFlight = new Set<Promise<void>>();
  /** One queue per bot: a hanging handler delays only its own bot's events. */
  private readonly chains = new Map<string, Promise<void>>();

  constructor(
    private readonly activity: Activity,
    private readonly log: Logger,
    private readonly timeoutMs = DEFAULT_DELIVERY_TIMEOUT_MS,
  ) {}

  send(items: readonly OutboxItem[]): void {
    for (const item of items) {
      const key = `${item.portalId}:${item.botId}`;
      const delivery = (this.chains.get(key) ?? Promise.resolve()).then(() => this.deliver(item));
      this.chains.set(key, delivery);
      this.inFlight.add(delivery);
      void delivery.finally(() => {
        this.inFlight.delete(delivery);
        if (this.chains.get(key) === delivery) this.chains.delete(key);
      });
    }
  }

  /** Waits for deliveries under way (shutdown, tests). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private async deliver(item: OutboxItem): Promise<void> {
    const started = Date.now();
    let status: number | null = null;
    let error: string | null = null;
    try {
      const response = await fetch(item.url, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", "User-Agent": "Bitrix24 Webhook Engine" },
        body: encodeForm(item.form),
        redirect: "manual",
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      status = response.status;
      await response.body?.cancel();
      if (status < 200 || status >= 300) error = `handler answered HTTP ${status}`;
    } catch (failure) {
      error = describe(failure, this.timeoutMs);
    }
    if (error) this.log.warn(`webhook ${item.type} to bot ${item.botId} at ${item.url}: ${error}`);
    this.activity.delivered(item.portalId, {
      time: new Date(started).toISOString(),
      botId: item.botId,
      eventId: item.eventId,
      event: item.type,
      url: item.url,
      payload: Object.fromEntries(item.form),
      status,
      error,
      durationMs: Date.now() - started,
    });
  }
}

function describe(failure: unknown, timeoutMs: number): string {
  const err = failure as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err.name === "TimeoutError") return `no answer within ${timeoutMs} ms`;
  return err.cause?.code ?? err.cause?.message ?? err.message ?? String(failure);
}
