import { issueGrant, refreshTokenOf } from "../oauth/grants.js";
import { serverEndpoint } from "../oauth/token.js";
import { randomSource, type RandomSource } from "../random/random-source.js";
import { DEFAULT_FIDELITY, type FidelitySettings } from "../settings.js";
import { handlerIdOf, keptHandlersFor } from "../store/kept-subscriptions.js";
import type { App, Bot, Portal } from "../store/state.js";
import { appIdOf, showsAppId } from "../domain/app-id.js";
import { botOwnerView } from "../views/bot.js";
import type { ChatShapes } from "../views/chat.js";
import { oauthAuthBlock } from "./oauth-auth.js";
import { phpFormPairs } from "./php-form.js";
import { type AppEventType, type DeliveryFaults, type OutboxItem, type RaisedEvent, type V1EventType, type V2EventType } from "./types.js";

const REAL_SERVER_ENDPOINT = "https://oauth.bitrix.info/rest/";
/** A token with less than this left is not handed out again: the handler should have time to use it. */
const REUSE_MARGIN_MS = 600_000;

/** What minting tokens for events needs; the defaults are the docs' lifetimes and the system's randomness. */
export interface SinkOAuth {
  random: RandomSource;
  accessTokenTtl: number;
  refreshTokenTtl: number;
}

export function sinkOAuth(settings: Pick<FidelitySettings, "accessTokenTtl" | "refreshTokenTtl">, random: RandomSource): SinkOAuth {
  return { random, accessTokenTtl: settings.accessTokenTtl, refreshTokenTtl: settings.refreshTokenTtl };
}

const DEFAULT_SINK_OAUTH: SinkOAuth = {
  random: randomSource(),
  accessTokenTtl: DEFAULT_FIDELITY.accessTokenTtl,
  refreshTokenTtl: DEFAULT_FIDELITY.refreshTokenTtl,
};

/**
 * Collects the events one change raises. Fetch-mode events go straight into the portal's queue
 * (part of the same commit); webhook-mode ones wait in the outbox until the change is durable.
 */
export class EventSink {
  readonly raised: RaisedEvent[] = [];
  readonly outbox: OutboxItem[] = [];

  constructor(
    private readonly portal: Portal,
    readonly now: Date,
    /** Base URL bots call back on (`.../rest/`), when the emulator knows where it listens. */
    readonly clientEndpoint: string | null,
    /** The portal's delivery fault rules, asked once per event. */
    private readonly faults: DeliveryFaults = () => undefined,
    private readonly oauth: SinkOAuth = DEFAULT_SINK_OAUTH,
    /** The emulated REST revision: before 35 event bot objects carry `appId` (BOT-FIX-0501-3). */
    private readonly restRevision: number = DEFAULT_FIDELITY.restRevision,
    /** How the chat objects of this change's events are shaped. */
    readonly shapes: ChatShapes = DEFAULT_FIDELITY,
  ) {}

  raise(bot: Bot, type: V2EventType, data: Record<string, unknown>): RaisedEvent {
    const eventId = ++this.portal.seq.event;
    const date = this.now.toISOString();
    const fault = bot.eventMode === "fetch" || bot.webhookUrl ? this.faults(bot.id, type) : undefined;
    const event: RaisedEvent = { eventId, botId: bot.id, type, mode: bot.eventMode, date, ...(fault ? { fault: fault.ruleId } : {}), ...aboutMessage(data) };
    if (bot.eventMode === "fetch") {
      // Fetch mode carries faults out in the queue: a dropped event never enters it, a duplicated one
      // enters twice (same id, as a retrying portal serves it), a delayed one holds back Event.get.
      const stored = { eventId, botId: bot.id, type, date, data: { bot: botOwnerView(this.restRevision)(bot, this.portal), ...data } };
      const marked = fault && fault.action !== "timeout" ? { ...stored, fault: fault.ruleId } : stored;
      if (fault?.action === "delay") {
        this.portal.events.push({ ...marked, heldUntil: new Date(this.now.getTime() + fault.delayMs).toISOString() });
      } else if (fault?.action !== "drop") {
        this.portal.events.push(marked);
        if (fault?.action === "duplicate") this.portal.events.push(structuredClone(marked));
      }
    } else if (bot.webhookUrl) {
      this.post(bot, eventId, type, bot.webhookUrl, this.webhookBody(bot, type, data, handlerIdOf(bot.id, type)), fault);
    }
    // Subscriptions the portal kept from the bot's app's earlier handlers hear it too (BOT-FIX-0501-1).
    for (const kept of keptHandlersFor(this.portal, bot, type)) {
      this.post(bot, eventId, type, kept.url, this.webhookBody(bot, type, data, kept.handlerId), fault);
    }
    this.raised.push(event);
    return event;
  }

  /**
   * An imbot v1 event: one form POST to an owner's handler on behalf of all its target bots (v1
   * has no fetch mode). The v1 encoder builds the body; the event id orders it among the rest.
   */
  raiseForm(bots: readonly Bot[], type: V1EventType, url: string, body: Record<string, unknown>): RaisedEvent[] {
    const eventId = ++this.portal.seq.event;
    const date = this.now.toISOString();
    const first = bots[0];
    const fault = first ? this.faults(first.id, type) : undefined;
    const events: RaisedEvent[] = bots.map((bot) => ({ eventId, botId: bot.id, type, mode: "webhook", date, ...(fault ? { fault: fault.ruleId } : {}) }));
    if (first) this.outbox.push({ portalId: this.portal.id, botId: first.id, eventId, type, url, form: phpFormPairs(body), ...(fault ? { fault } : {}) });
    this.raised.push(...events);
    return events;
  }

  /**
   * An application's own event (ONAPPINSTALL, ONAPPUPDATE, ONAPPUNINSTALL): one form POST to `url`.
   * It concerns no bot, so it is logged under bot 0 and no delivery fault rule applies.
   */
  raiseAppEvent(type: AppEventType, url: string, body: Record<string, unknown>): RaisedEvent {
    const eventId = ++this.portal.seq.event;
    const event: RaisedEvent = { eventId, botId: 0, type, mode: "webhook", date: this.now.toISOString() };
    this.outbox.push({ portalId: this.portal.id, botId: 0, eventId, type, url, form: phpFormPairs(body) });
    this.raised.push(event);
    return event;
  }

  private post(bot: Bot, eventId: number, type: V2EventType, url: string, body: Record<string, unknown>, fault: OutboxItem["fault"]): void {
    this.outbox.push({ portalId: this.portal.id, botId: bot.id, eventId, type, url, form: phpFormPairs(body), ...(fault ? { fault } : {}) });
  }

  private webhookBody(bot: Bot, type: V2EventType, data: Record<string, unknown>, handlerId: number): Record<string, unknown> {
    const endpoint = this.clientEndpoint ?? `https://${this.portal.domain}/rest/`;
    return {
      event: type,
      event_handler_id: handlerId,
      data: { bot: { id: bot.id, code: bot.code, ...(showsAppId(this.restRevision) ? { appId: appIdOf(bot) } : {}), auth: this.botAuth(bot, endpoint) }, ...data },
      ts: Math.floor(this.now.getTime() / 1000),
      auth: {
        domain: this.portal.domain,
        client_endpoint: endpoint,
        server_endpoint: this.serverEndpoint(endpoint),
        member_id: this.portal.memberId,
        application_token: bot.applicationToken,
      },
    };
  }

  /**
   * A live access token of the bot's app with its refresh token, so a webhook handler can call back
   * with OAuth and refresh at the advertised `server_endpoint` (this emulator) when it expires.
   */
  private botAuth(bot: Bot, endpoint: string): Record<string, unknown> {
    const app = this.portal.apps.find((a) => a.clientId === bot.clientId);
    const endpoints = { client: endpoint, server: this.serverEndpoint(endpoint) };
    return oauthAuthBlock(this.portal, this.appTokens(app, undefined), endpoints, bot.applicationToken);
  }

  /**
   * An access token of `app` with at least ten minutes left and its refresh token, minted when
   * there is none: acting as `userId`, or as any of the app's users when not given.
   */
  appTokens(app: App | undefined, userId: number | undefined) {
    const nowMs = this.now.getTime();
    const lifetimes = { access: this.oauth.accessTokenTtl, refresh: this.oauth.refreshTokenTtl };
    let token = app?.tokens.find(
      (t) =>
        (userId === undefined || t.userId === userId) &&
        t.expiresAt !== null &&
        Date.parse(t.expiresAt) - nowMs > REUSE_MARGIN_MS &&
        refreshTokenOf(app, t.accessToken, this.now),
    );
    if (app && !token) token = issueGrant(app, userId ?? app.tokens[0]?.userId ?? 1, this.now, lifetimes, this.oauth.random).access;
    const refresh = app && token ? refreshTokenOf(app, token.accessToken, this.now) : undefined;
    return {
      access_token: token?.accessToken ?? "",
      expires: token?.expiresAt ? Math.floor(Date.parse(token.expiresAt) / 1000) : Math.floor(nowMs / 1000) + lifetimes.access,
      expires_in: lifetimes.access,
      scope: app ? app.scopes.join(",") : "imbot",
      user_id: token?.userId ?? userId ?? 1,
      refresh_token: refresh?.refreshToken ?? "",
    };
  }

  /** Where events tell bots to call back (`.../rest/`), and where to refresh their tokens. */
  endpoints(): { client: string; server: string } {
    const client = this.clientEndpoint ?? `https://${this.portal.domain}/rest/`;
    return { client, server: this.serverEndpoint(client) };
  }

  /** This emulator's OAuth server once it listens (spec OPEN-O1); before that, the real one's address. */
  private serverEndpoint(clientEndpoint: string): string {
    return this.clientEndpoint ? serverEndpoint(clientEndpoint.replace(/\/rest\/$/, "")) : REAL_SERVER_ENDPOINT;
  }
}

function aboutMessage(data: Record<string, unknown>): { messageId?: number } {
  const message = data.message as { id?: unknown } | undefined;
  const id = typeof message?.id === "number" ? message.id : data.messageId;
  return typeof id === "number" ? { messageId: id } : {};
}
