import type { AnswerGrant } from "../domain/answer-window.js";
import type { Attach } from "../domain/attach.js";
import type { ImageSize } from "../domain/image-size.js";
import type { Keyboard } from "../domain/keyboard.js";

/** The whole persisted document: every portal, each a sealed tenant. */
export interface State {
  schemaVersion: 1;
  portals: Record<string, Portal>;
}

export interface Portal {
  id: string;
  domain: string;
  language: string;
  memberId: string;
  createdAt: string;
  /** The fixture the portal was built from, so a reset can rebuild it (same credentials). */
  origin: unknown;
  users: Record<string, User>;
  webhooks: Webhook[];
  apps: App[];
  /**
   * Apps uninstalled from the portal (spec OPEN-O5): their tokens only tell a caller the app is gone,
   * and their identity serves a later install under the same client id. Absent until one is.
   */
  uninstalledApps?: App[];
  bots: Record<string, Bot>;
  commands: Record<string, Command>;
  chats: Record<string, Chat>;
  messages: Record<string, Message>;
  answerGrants: AnswerGrant[];
  /** Fetch-mode event queues of all bots, oldest first (Event.get reads and confirms them). */
  events: StoredEvent[];
  /** Chat.InputAction.notify: the latest "typing" status per bot and chat, until it lapses. */
  inputActions?: { botId: number; chatId: number; code: string; until: string }[];
  /** Per bot id: the last `offset` Event.get confirmed up to (its ack cursor, spec OPEN-E1). */
  eventCursor?: Record<string, number>;
  /** How far this portal's clock runs ahead of the emulator's (ms); absent until its clock is moved. */
  clockOffsetMs?: number;
  /** imbot v1 event handlers of each owner (spec v1.md §2); absent until a v1 bot registers. */
  v1Handlers?: V1HandlerBook;
  /** Events of offline bindings (event.bind `event_type` offline), oldest first; absent until one. */
  v1OfflineEvents?: V1OfflineEvent[];
  /** Files bots uploaded (File.upload), by id; absent until the first one. */
  files?: Record<string, StoredFile>;
  /** Download links File.download handed out: each serves its file until `until` (spec OPEN-N4). */
  fileLinks?: { token: string; fileId: number; until: string }[];
  /**
   * ONIMBOTV2* subscriptions the portal kept after they stopped being a bot's current handler:
   * before REST revision 35 Bot.update and Bot.unregister never removed them (BOT-FIX-0501-1).
   * Absent until one is kept.
   */
  keptSubscriptions?: KeptSubscription[];
  /** Last id handed out per kind; bots are users, so they share the user sequence. */
  seq: { user: number; chat: number; message: number; command: number; event: number };
}

/**
 * A file shared in a chat. Its bytes are not in the state: the store keeps them under `key`, as a
 * file beside the data file or in memory (store/file-bytes.ts), and drops them with the portal.
 */
export interface StoredFile {
  id: number;
  chatId: number;
  authorId: number;
  date: string;
  name: string;
  size: number;
  /** Width and height read from a PNG, JPEG, GIF or WEBP header; null for anything else. */
  image?: ImageSize | null;
  /** Where the store keeps the bytes: `{id}-{random hex}`, never reused, so a late removal hits no newer file. */
  key: string;
}

export interface StoredEvent {
  eventId: number;
  botId: number;
  type: string;
  date: string;
  data: Record<string, unknown>;
  /** A delay fault holds the event (and every later one of its bot) back from Event.get until then. */
  heldUntil?: string;
  /** The delivery fault rule that delayed or duplicated it. */
  fault?: number;
}

export interface User {
  id: number;
  active: boolean;
  firstName: string;
  lastName: string;
  workPosition: string;
  gender: "M" | "F";
  color: string;
  avatar: string;
  email: string;
  extranet: boolean;
  bot: boolean;
  departments: number[];
  /** A person's last act on the portal's clock (ISO, UTC): a message, a press, a reaction, a read...; absent: never acted. */
  lastActivityDate?: string;
}

/** One event bound to one handler URL for an app (store/kept-subscriptions.ts). */
export interface KeptSubscription {
  /** The app the subscription belongs to: an OAuth app's client id, or a webhook bot's synthetic one. */
  clientId: string;
  /** The owner's botToken when a webhook caller registered the bot: bots of that token share it. */
  botToken: string | null;
  event: string;
  url: string;
  /** Sent as `event_handler_id`, as the bot's subscription had it. */
  handlerId: number;
}

export interface Webhook {
  userId: number;
  code: string;
  scopes: string[];
  expiresAt: string | null;
}

export interface App {
  clientId: string;
  /** Proves the app at the token endpoint; apps without one (older data, synthetic apps) get no tokens there. */
  clientSecret?: string | null;
  /** Where `/oauth/authorize/` sends the user back with a code; without one the code is shown as JSON. */
  redirectUri?: string | null;
  applicationToken: string;
  scopes: string[];
  tokens: AccessToken[];
  /** Live refresh tokens: a used one is removed, as the OAuth server rotates them (spec OPEN-O5). */
  refreshTokens?: RefreshGrant[];
  /** Authorization codes waiting to be exchanged (single use, 30 s). */
  codes?: AuthCode[];
  /** Where ONAPPINSTALL and ONAPPUPDATE go; absent until the control API installs the app. */
  installHandler?: string | null;
  /** The installed version (ONAPPUPDATE's PREVIOUS_VERSION); absent means 1. */
  version?: number;
  /**
   * Where the app bound its own lifecycle events with event.bind, one binding per event; they belong
   * to the app, not to a bot, and go when it is uninstalled. Absent until one.
   */
  eventBindings?: Partial<Record<AppLifecycleEvent, V1Binding>>;
}

/** The app events an app can bind for itself (its install handler hears ONAPPINSTALL). */
export type AppLifecycleEvent = "ONAPPUPDATE" | "ONAPPUNINSTALL";

export interface AccessToken {
  accessToken: string;
  userId: number;
  expiresAt: string | null;
}

export interface RefreshGrant {
  refreshToken: string;
  userId: number;
  expiresAt: string | null;
  /** The access token issued with it, so an event can hand out a matching pair. */
  accessToken?: string;
}

export interface AuthCode {
  code: string;
  userId: number;
  expiresAt: string;
}

/**
 * A bot is owned by an OAuth app (clientId) or, under webhook auth, by whoever presents its botToken.
 * The default fixture gives its bot both (spec OPEN-R10); bots registered over REST get one.
 */
export interface Bot {
  id: number;
  code: string;
  type: "bot" | "supervisor" | "personal" | "openline" | "network";
  eventMode: "fetch" | "webhook";
  webhookUrl: string | null;
  isHidden: boolean;
  isReactionsEnabled: boolean;
  isSupportOpenline: boolean;
  backgroundId: string | null;
  clientId: string | null;
  botToken: string | null;
  /** Signs webhook deliveries (`auth[application_token]`): the app's, or a per-bot one for webhook-registered bots. */
  applicationToken: string;
  countMessage: number;
  createdAt: string;
  /** Registered through imbot v1: its events follow v1 (spec v1.md §7), whatever API changes it later. */
  api?: "v1";
  /** The imbot.register TYPE letter; `type` holds its v2 reading (B and H are both "bot"). */
  v1Type?: V1BotType;
}

export type V1BotType = "B" | "H" | "S" | "O";

/** The handler URL parameters of imbot.register / imbot.command.register, one per v1 event. */
export type V1HandlerKind =
  | "EVENT_MESSAGE_ADD"
  | "EVENT_MESSAGE_UPDATE"
  | "EVENT_MESSAGE_DELETE"
  | "EVENT_WELCOME_MESSAGE"
  | "EVENT_BOT_DELETE"
  | "EVENT_COMMAND_ADD";

/**
 * v1 handlers are bound per owner and event, not per bot: the last URL an owner registered for an
 * event serves all of its bots. Each binding has an id, sent as `event_handler_id`.
 */
export interface V1HandlerBook {
  lastId: number;
  owners: Record<string, Partial<Record<V1HandlerKind, V1Binding>>>;
}

/**
 * One handler binding. `authType` (event.bind's `auth_type`): the user whose token the event's
 * `auth` carries, 0 for the user who caused it. `offline`: the event is queued for
 * event.offline.get instead of being POSTed.
 */
export interface V1Binding {
  id: number;
  url: string;
  authType?: number;
  offline?: true;
}

/** An event of an offline binding, waiting for event.offline.get. */
export interface V1OfflineEvent {
  owner: string;
  id: number;
  event: string;
  date: string;
  /** The user on whose behalf it was raised (`EVENT_ADDITIONAL[user_id]`). */
  userId: number;
  data: Record<string, unknown>;
}

export interface Command {
  id: number;
  botId: number;
  command: string;
  common: boolean;
  hidden: boolean;
  extranetSupport: boolean;
  title: Record<string, string>;
  params: Record<string, string>;
}

export interface Chat {
  id: number;
  /** "private" is a 1:1 dialog; everything else is a group chat ("lines": an open-line chat). */
  type: "chat" | "open" | "private" | "lines";
  title: string;
  description: string;
  color: string;
  ownerId: number;
  members: number[];
  managers: number[];
  /** The pair imbot.chat.add was given, by which imbot.chat.get and im.chat.get find the chat. */
  entityType?: string;
  entityId?: string;
  dateCreate: string;
  lastMessageId: number;
  messageCount: number;
  /** The chat's picture (a placeholder URL, as bots' avatars); absent means none. */
  avatar?: string;
  /** Chat.TextField.enabled; absent means on. */
  textFieldEnabled?: boolean;
  /** Per member id: the last message id they have read (Chat.Message.read). */
  lastRead?: Record<string, number>;
  /** Per member id: when their read mark last moved (the view time of what it reached). */
  lastReadAt?: Record<string, string>;
  /** The chat's Drive folder, made with its first file; absent until then. */
  diskFolderId?: number;
  /**
   * Per member id: the chat's last message id when they joined; older messages are not theirs to read
   * (MESSAGE_ACCESS_DENIED). Members without an entry joined at creation and see everything.
   */
  joinedAfter?: Record<string, number>;
}

export interface MessageForward {
  id: number;
  /** 0 when the original was a system message. */
  userId: number;
  chatId: number;
  date: string;
}

export interface Message {
  id: number;
  chatId: number;
  /** 0 for system messages. */
  authorId: number;
  date: string;
  text: string;
  isSystem: boolean;
  urlPreview: boolean;
  params: { ATTACH?: Attach[]; KEYBOARD?: Keyboard; MENU?: unknown[]; IS_EDITED?: "Y"; FILE_ID?: number[] };
  /** Set by Chat.Message.delete without `complete`: the row stays, the text is gone. */
  deleted?: boolean;
  /** Set once Chat.Message.update changed it; the inspector marks it as edited. */
  edited?: boolean;
  replyId?: number;
  uuid?: string;
  /** Set on a forwarded copy: the original message (Chat.Message.send `forwardIds`). */
  forward?: MessageForward;
  /** Someone other than the author has read it. */
  viewedByOthers?: boolean;
  /** Reaction code -> ids of the people (and bots) who set it. */
  reactions?: Record<string, number[]>;
  /** `userId:buttonIndex` of BLOCK=Y keyboard buttons already pressed (store/button-blocks.ts). */
  blockedPresses?: string[];
}
