import { without } from "../store/lists.js";
import { randomBytes } from "node:crypto";
import type { Bot, Portal } from "../store/state.js";
import { botExtendedView } from "../views/bot.js";
import { phpFormPairs } from "./php-form.js";
import { EVENT_TYPES, type DeliveryFaults, type EventType, type OutboxItem, type RaisedEvent } from "./types.js";

const TOKEN_LIFETIME_SECONDS = 3600;
const SERVER_ENDPOINT = "https://oauth.bitrix.info/rest/";

/**
 * Collects the events one change raises. Fetch-mode events go straight into the portal's queue
 * (part of the same commit); webhook-mode ones wait in the outbox until the change is durable.
 */
export class EventSink {
  readonly raised: RaisedEvent[] = [];
  readonly outbox: OutboxItem[] = [];

  constructor(
    private readonly portal: Portal,
    private readonly now: Date,
    /** Base URL bots call back on (`.../rest/`), when the emulator knows where it listens. */
    private readonly clientEndpoint: string | null,
    /** The portal's delivery fault rules, asked once per event. */
    private readonly faults: DeliveryFaults = () => undefined,
  ) {}

  raise(bot: Bot, type: EventType, data: Record<string, unknown>): RaisedEvent {
    const eventId = ++this.portal.seq.event;
    const date = this.now.toISOString();
    const fault = bot.eventMode === "fetch" || bot.webhookUrl ? this.faults(bot.id, type) : undefined;
    const event: RaisedEvent = { eventId, botId: bot.id, type, mode: bot.eventMode, date, ...(fault ? { fault: fault.ruleId } : {}) };
    if (bot.eventMode === "fetch") {
      // Fetch mode carries faults out in the queue: a dropped event never enters it, a duplicated one
      // enters twice (same id, as a retrying portal serves it), a delayed one holds back Event.get.
      const stored = { eventId, botId: bot.id, type, date, data: { bot: botExtendedView(bot, this.portal), ...data } };
      const marked = fault && fault.action !== "timeout" ? { ...stored, fault: fault.ruleId } : stored;
      if (fault?.action === "delay") {
        this.portal.events.push({ ...marked, heldUntil: new Date(this.now.getTime() + fault.delayMs).toISOString() });
      } else if (fault?.action !== "drop") {
        this.portal.events.push(marked);
        if (fault?.action === "duplicate") this.portal.events.push(structuredClone(marked));
      }
    } else if (bot.webhookUrl) {
      this.outbox.push({
        portalId: this.portal.id,
        botId: bot.id,
        eventId,
        type,
        url: bot.webhookUrl,
        form: phpFormPairs(this.webhookBody(bot, type, data)),
        ...(fault ? { fault } : {}),
      });
    }
    this.raised.push(event);
    return event;
  }

  private webhookBody(bot: Bot, type: EventType, data: Record<string, unknown>): Record<string, unknown> {
    const endpoint = this.clientEndpoint ?? `https://${this.portal.domain}/rest/`;
    return {
      event: type,
      event_handler_id: bot.id * 100 + EVENT_TYPES.indexOf(type) + 1,
      data: { bot: { id: bot.id, code: bot.code, auth: this.botAuth(bot, endpoint) }, ...data },
      ts: Math.floor(this.now.getTime() / 1000),
      auth: {
        domain: this.portal.domain,
        client_endpoint: endpoint,
        server_endpoint: SERVER_ENDPOINT,
        member_id: this.portal.memberId,
        application_token: bot.applicationToken,
      },
    };
  }

  /** A live access token of the bot's app, so a webhook handler can call back with OAuth. */
  private botAuth(bot: Bot, endpoint: string): Record<string, unknown> {
    const app = this.portal.apps.find((a) => a.clientId === bot.clientId);
    const expiresMs = this.now.getTime() + TOKEN_LIFETIME_SECONDS * 1000;
    let token = app?.tokens.find((t) => t.expiresAt !== null && Date.parse(t.expiresAt) - this.now.getTime() > 600_000);
    if (app && !token) {
      app.tokens = without(app.tokens, (t) => t.expiresAt !== null && Date.parse(t.expiresAt) <= this.now.getTime());
      token = { accessToken: randomBytes(16).toString("hex"), userId: app.tokens[0]?.userId ?? 1, expiresAt: new Date(expiresMs).toISOString() };
      app.tokens.push(token);
    }
    const expires = token?.expiresAt ? Math.floor(Date.parse(token.expiresAt) / 1000) : Math.floor(expiresMs / 1000);
    return {
      access_token: token?.accessToken ?? "",
      expires,
      expires_in: TOKEN_LIFETIME_SECONDS,
      scope: "imbot",
      domain: this.portal.domain,
      server_endpoint: SERVER_ENDPOINT,
      status: "L",
      client_endpoint: endpoint,
      member_id: this.portal.memberId,
      user_id: token?.userId ?? 1,
      application_token: bot.applicationToken,
    };
  }
}
