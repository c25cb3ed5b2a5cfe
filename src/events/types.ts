export const EVENT_TYPES = [
  "ONIMBOTV2MESSAGEADD",
  "ONIMBOTV2MESSAGEUPDATE",
  "ONIMBOTV2MESSAGEDELETE",
  "ONIMBOTV2JOINCHAT",
  "ONIMBOTV2DELETE",
  "ONIMBOTV2CONTEXTGET",
  "ONIMBOTV2COMMANDADD",
  "ONIMBOTV2REACTIONCHANGE",
] as const;

/** The imbot v1 events, raised for bots registered through `imbot.register` (spec v1.md §6). */
export const V1_EVENT_TYPES = [
  "ONIMBOTMESSAGEADD",
  "ONIMBOTMESSAGEUPDATE",
  "ONIMBOTMESSAGEDELETE",
  "ONIMCOMMANDADD",
  "ONIMBOTJOINCHAT",
  "ONIMBOTDELETE",
] as const;

export type V1EventType = (typeof V1_EVENT_TYPES)[number];

/** Events of an application rather than a bot, POSTed to its install handler (spec oauth.md §7). */
export const APP_EVENT_TYPES = ["ONAPPINSTALL", "ONAPPUPDATE", "ONAPPUNINSTALL"] as const;

export type AppEventType = (typeof APP_EVENT_TYPES)[number];

export type V2EventType = (typeof EVENT_TYPES)[number];

export type EventType = V2EventType | V1EventType | AppEventType;

/** An event as raised, for the control API's answer and journal (both delivery modes). */
export interface RaisedEvent {
  eventId: number;
  botId: number;
  type: EventType;
  mode: "fetch" | "webhook";
  date: string;
  /** The delivery fault rule that acts on it (dropped, delayed, duplicated, timed out). */
  fault?: number;
  /** The message the event is about, when it is about one (links a message to what it set off). */
  messageId?: number;
}

/** What a delivery fault rule does to one event. */
export interface DeliveryFault {
  ruleId: number;
  action: "drop" | "delay" | "duplicate" | "timeout";
  delayMs: number;
  timeoutMs: number | undefined;
}

/** Asks the portal's fault rules about one event about to be raised. */
export type DeliveryFaults = (botId: number, type: EventType) => DeliveryFault | undefined;

/** A webhook POST waiting to be sent once the change that raised it is committed. */
export interface OutboxItem {
  portalId: string;
  botId: number;
  eventId: number;
  type: EventType;
  url: string;
  /** The form fields, already PHP-encoded as `[key, value]` pairs. */
  form: [string, string][];
  fault?: DeliveryFault;
}
