import { addChat, addMembers } from "../store/chats.js";
import { isPressBlocked, recordBlockedPress } from "../store/button-blocks.js";
import { without } from "../store/lists.js";
import { MAX_PENDING_WAITS, type Delivery, type JournalEntry, type Touched } from "../activity/activity.js";
import { groupChatKind } from "../domain/chat-kind.js";
import { dialogIdFor, parseDialogId } from "../domain/dialog-id.js";
import { dialogHint } from "./dialog-hint.js";
import { EmulatorError } from "../errors/emulator-error.js";
import { type CommandInvocation, publishButtonPress, publishJoin, publishNewMessage } from "../events/message-flow.js";
import type { RaisedEvent } from "../events/types.js";
import type { PortalChange, Runtime } from "../runtime.js";
import { installApp, updateApp, type AppInstallation, type InstallApp, type UpdateApp } from "./app-install.js";
import { uninstallApp, type AppUninstallation, type UninstallApp } from "./app-uninstall.js";
import { appendMessage, liveMessage } from "../store/messages.js";
import { noteActivity } from "../store/user-activity.js";
import type { Chat, Message, Portal, StoredEvent, StoredFile } from "../store/state.js";
import type { EventSink } from "../events/sink.js";
import type { Readable } from "node:stream";
import { shareFile } from "../store/files.js";
import { fileView } from "../views/file.js";
import { decodeFileContent } from "../methods/imbot-v2/files/content.js";
import { chatView } from "../views/chat.js";
import { messageView, type MessageView } from "../views/message.js";
import { userView } from "../views/user.js";
import {
  createChatSchema,
  createUserSchema,
  membersSchema,
  pressButtonSchema,
  userSaysSchema,
  waitSchema,
  type CreateChat,
  type CreateUser,
  type PressButton,
  type UserSays,
  type WaitQuery,
  type ClockMove,
} from "./schemas.js";
import type { ConformanceSummary } from "../domain/conformance.js";
import { deliveryFaultSchema, restFaultSchema, type FaultInput, type FaultRule } from "../faults/rules.js";
import { findPortal } from "./portals.js";
import { movePortalClock, readPortalClock, type ClockReading } from "./clock-control.js";
import { parseControl } from "./validate.js";
import { liveInputActions, type InputActionView } from "./input-actions.js";
import { portalNow } from "../clock/portal-clock.js";
import { waitedMessage } from "./message-wait.js";
import {
  contextSchema,
  openDialogSchema,
  deleteSchema,
  editSchema,
  reactSchema,
  readSchema,
  sendFileSchema,
  userDeletes,
  userEdits,
  userOpensContext,
  userReacts,
  userReads,
  type ContextInput,
  type DeleteInput,
  type EditInput,
  type ReactInput,
  type ReadInput,
  type SendFileInput,
} from "./user-acts.js";
import {
  chatNamed,
  chatSummaries,
  directoryBots,
  directoryUsers,
  historyPage,
  type ChatSummary,
  type ControlMessage,
  type DirectoryBot,
  type DirectoryUser,
} from "./directory.js";
import { subscribeToPortal, type StreamEvent } from "./feed.js";
import { iteratorOver, type PortalStream } from "./portal-stream.js";

/** What a wait found: a message, a journaled REST call, or a webhook delivery. */
export type WaitMatch = MessageView | JournalEntry | Delivery;

/** What a user's message set off: the stored message, the commands it invoked, the events raised. */
export interface UserMessageOutcome {
  message: MessageView;
  commands: CommandInvocation[];
  events: RaisedEvent[];
}

/**
 * The emulator's hands inside one portal: act as a user, and look at what bots did. The control
 * HTTP API and the programmatic API both call these, so they behave the same.
 */
export class PortalControl {
  constructor(
    private readonly runtime: Runtime,
    readonly id: string,
  ) {}

  private portal(): Portal {
    const portal = findPortal(this.runtime.store.state, this.id);
    if (!portal) throw new EmulatorError("PORTAL_NOT_FOUND", `No portal "${this.id}"`);
    return portal;
  }

  /** Every change goes through the runtime's one change path. */
  private change<T>(apply: PortalChange<T>): Promise<T> {
    return this.runtime.change(this.id, apply);
  }

  /**
   * Posts a message as a user, as if typed in the chat: bots that see it get MESSAGEADD, typed
   * slash commands raise COMMANDADD and open the answer window.
   * @example
   * const { commands } = await portal.userSays({ authorId: 1, dialogId: "chat5", text: "/help" });
   * // commands[0] => { botId: 456, commandId: 42, messageId: 790, dialogId: "chat5", ... }
   */
  async userSays(input: UserSays): Promise<UserMessageOutcome> {
    const { authorId, dialogId, text, replyId } = parseControl(userSaysSchema, input);
    return this.change((portal, sink, now) =>
      this.personPosts(portal, sink, now, authorId, dialogId, (chat) => {
        const message = appendMessage(portal, { chatId: chat.id, authorId, text, isSystem: false, urlPreview: true, attach: null, keyboard: null }, now);
        if (replyId !== undefined) {
          const original = portal.messages[replyId];
          if (!original || original.chatId !== chat.id || original.deleted) throw new EmulatorError("CONTROL_ARGUMENT", `replyId ${replyId} is not a message of ${dialogId}`);
          message.replyId = replyId;
        }
        return message;
      }),
    );
  }

  /**
   * A person sends a file (base64) with an optional text, as from the chat's paperclip: the message
   * carries `params.FILE_ID`, and the bots a typed message would reach get MESSAGEADD with it (a
   * `/command` in the text calls the command instead, as with userSays). Refusals as File.upload's:
   * FILE_EMPTY, FILE_TOO_LARGE, FILE_INVALID_CONTENT; TEXT_FIELD_DISABLED as userSays.
   * @example
   * const { file } = await portal.userSendsFile({ userId: 1, dialogId: "456", name: "report.pdf", contentBase64: pdf.toString("base64") });
   * // the bot gets ONIMBOTV2MESSAGEADD with message.params.FILE_ID = [file.id], and File.download gives the bytes back
   */
  async userSendsFile(input: SendFileInput): Promise<UserMessageOutcome & { file: Record<string, unknown> }> {
    const sent = parseControl(sendFileSchema, input);
    return this.change((portal, sink, now, files) => {
      let shared: StoredFile | undefined;
      const outcome = this.personPosts(portal, sink, now, sent.userId, sent.dialogId, (chat) => {
        const { name, bytes } = decodeFileContent({ name: sent.name, content: sent.contentBase64 }, this.runtime.settings.maxFileBytes, { name: "name", content: "contentBase64" });
        const { file, message } = shareFile(portal, { chatId: chat.id, authorId: sent.userId, name, bytes, text: sent.text }, now, { files, random: this.runtime.random });
        shared = file;
        return message;
      });
      if (!shared) throw new Error("personPosts did not post the file");
      return { ...outcome, file: fileView(portal, shared) };
    });
  }

  /**
   * A file shared in the portal (File.upload or a person's), as the chat's link serves it: its name,
   * length and a stream of its bytes. The inspector links to it at `GET …/files/{fileId}`.
   * @example
   * const file = portal.file(1);
   * const bytes = Buffer.concat(await file.stream().toArray());
   */
  file(fileId: number): { name: string; size: number; stream(): Readable } {
    const stored = this.portal().files?.[fileId];
    const body = stored && this.runtime.store.files.open(this.id, stored.key);
    if (!stored || !body) throw new EmulatorError("CONTROL_NOT_FOUND", `No file ${fileId}`);
    return { name: stored.name, ...body };
  }

  /**
   * What typing into a chat shares, whatever is posted: the person must be in it and its text field
   * on; a first message opens a 1:1 dialog (JOINCHAT); commands and MESSAGEADD follow.
   */
  private personPosts(portal: Portal, sink: EventSink, now: Date, authorId: number, dialogId: string, post: (chat: Chat) => Message): UserMessageOutcome {
    const author = portal.users[authorId];
    if (!author || author.bot) throw new EmulatorError("CONTROL_NOT_FOUND", `No user ${authorId} (bots talk through REST)`);
    const { chat, joined } = this.dialogOf(portal, authorId, dialogId, now);
    if (!chat.members.includes(authorId)) {
      throw new EmulatorError("CONTROL_ARGUMENT", `User ${authorId} is not a member of ${dialogId}`);
    }
    if (chat.textFieldEnabled === false) throw new EmulatorError("TEXT_FIELD_DISABLED", `A bot has switched off the text field of ${dialogId}`);
    noteActivity(portal, authorId, now);
    const events = joined ? publishJoin(portal, chat, [joined], authorId, sink) : [];
    const message = post(chat);
    const flow = publishNewMessage(portal, message, sink, this.flow(now));
    return { message: messageView(message), commands: flow.commands, events: [...events, ...flow.events] };
  }

  /**
   * Presses a COMMAND button of a bot's keyboard: the bot gets COMMANDADD with context "keyboard".
   * @example
   * await portal.pressButton({ userId: 1, messageId: 801, command: "help" });
   */
  async pressButton(input: PressButton): Promise<{ commands: CommandInvocation[]; events: RaisedEvent[] }> {
    const press = parseControl(pressButtonSchema, input);
    return this.change((portal, sink, now) => {
      const user = portal.users[press.userId];
      const found = liveMessage(portal, press.messageId);
      if (!user) throw new EmulatorError("CONTROL_NOT_FOUND", `No user ${press.userId}`);
      if (!found) throw new EmulatorError("CONTROL_NOT_FOUND", `No message ${press.messageId}`);
      const { message, chat } = found;
      if (!chat.members.includes(user.id)) {
        throw new EmulatorError("CONTROL_ARGUMENT", `User ${user.id} is not in the chat of message ${message.id}, so cannot press its buttons`);
      }
      const keyboard = message.params.KEYBOARD;
      const buttons = keyboard?.BUTTONS ?? [];
      const button =
        press.buttonIndex !== undefined ? buttons[press.buttonIndex] : buttons.find((b) => b.COMMAND === press.command);
      if (!keyboard || !button) throw new EmulatorError("CONTROL_NOT_FOUND", `Message ${message.id} has no such button`);
      if (typeof button.COMMAND !== "string") {
        throw new EmulatorError("CONTROL_ARGUMENT", "Only COMMAND buttons reach a bot; this button acts in the client");
      }
      if (button.DISABLED === "Y") throw new EmulatorError("CONTROL_ARGUMENT", "The button is disabled");
      const buttonIndex = buttons.indexOf(button);
      const blocks = button.BLOCK === "Y";
      if (blocks && !press.force && isPressBlocked(message, user.id, buttonIndex)) {
        throw new EmulatorError(
          "CONTROL_ARGUMENT",
          `User ${user.id} already pressed this BLOCK=Y button; it stays blocked until the bot replaces the keyboard (send force: true to press anyway)`,
        );
      }
      const name = button.COMMAND.replace(/^\//, "");
      const command = Object.values(portal.commands).find((c) => c.botId === keyboard.BOT_ID && c.command === name);
      const bot = portal.bots[keyboard.BOT_ID];
      if (!command || !bot) {
        throw new EmulatorError("CONTROL_NOT_FOUND", `Bot ${keyboard.BOT_ID} has no command "${name}"`);
      }
      const params = typeof button.COMMAND_PARAMS === "string" ? button.COMMAND_PARAMS : "";
      if (blocks) recordBlockedPress(message, user.id, buttonIndex);
      noteActivity(portal, user.id, now);
      const events = publishButtonPress(portal, { bot, command, message, chat, user, params }, sink, this.flow(now));
      const dialogId = dialogIdFor(chat, bot.id);
      return {
        commands: [{ botId: bot.id, commandId: command.id, messageId: message.id, dialogId, command: `/${name}`, params }],
        events,
      };
    });
  }

  /**
   * A person edits their own message: bots that may see the new text get ONIMBOTV2MESSAGEUPDATE.
   * @example
   * await portal.userEdits(790, { userId: 1, text: "/help again" });
   */
  async userEdits(messageId: number, input: EditInput): Promise<{ message: MessageView; events: RaisedEvent[] }> {
    const edit = parseControl(editSchema, input);
    return this.change((portal, sink) => {
      const { message, events } = userEdits(portal, sink, messageId, edit);
      return { message: messageView(message), events };
    });
  }

  /**
   * A person deletes their own message: bots that saw it get ONIMBOTV2MESSAGEDELETE.
   * @example
   * await portal.userDeletes(790, { userId: 1 });
   */
  async userDeletes(messageId: number, input: DeleteInput): Promise<{ events: RaisedEvent[] }> {
    const removal = parseControl(deleteSchema, input);
    return this.change((portal, sink) => userDeletes(portal, sink, messageId, removal));
  }

  /**
   * A person sets (or removes) a reaction: a bot author with reactions enabled gets ONIMBOTV2REACTIONCHANGE.
   * @example
   * await portal.userReacts({ userId: 1, messageId: 801, reaction: "like" });
   */
  async userReacts(input: ReactInput): Promise<{ events: RaisedEvent[] }> {
    const reaction = parseControl(reactSchema, input);
    return this.change((portal, sink) => userReacts(portal, sink, reaction));
  }

  /**
   * A person opens a chat with a context (a deep link): every bot in it gets ONIMBOTV2CONTEXTGET.
   * @example
   * await portal.userOpensContext({ userId: 1, dialogId: "456", context: { pairing: "abc" } });
   */
  async userOpensContext(input: ContextInput): Promise<{ events: RaisedEvent[] }> {
    const opened = parseControl(contextSchema, input);
    return this.change((portal, sink, now) => {
      const chat = this.dialogOf(portal, opened.userId, opened.dialogId, now);
      noteActivity(portal, opened.userId, now);
      const joined = chat.joined ? publishJoin(portal, chat.chat, [chat.joined], opened.userId, sink) : [];
      return { events: [...joined, ...userOpensContext(portal, sink, chat.chat, opened).events] };
    });
  }

  /**
   * A person opens their 1:1 dialog with a bot; the first time, the bot gets ONIMBOTV2JOINCHAT.
   * @example
   * const { dialogId } = await portal.userOpensDialog({ userId: 2, botId: 456 });
   */
  async userOpensDialog(input: { userId: number; botId: number }): Promise<{ dialogId: string; chatId: number; events: RaisedEvent[] }> {
    const { userId, botId } = parseControl(openDialogSchema, input);
    return this.change((portal, sink, now) => {
      if (!portal.bots[botId]) throw new EmulatorError("CONTROL_NOT_FOUND", `No bot ${botId}`);
      const user = portal.users[userId];
      if (!user || user.bot) throw new EmulatorError("CONTROL_NOT_FOUND", `No person ${userId}`);
      const { chat, joined } = this.dialogOf(portal, userId, String(botId), now);
      noteActivity(portal, userId, now);
      const events = joined ? publishJoin(portal, chat, [joined], userId, sink) : [];
      return { dialogId: String(botId), chatId: chat.id, events };
    });
  }

  /**
   * A person reads a chat up to a message (default: all of it); bots' messages become viewedByOthers.
   * @example
   * await portal.userReads("chat5", { userId: 1 });
   */
  async userReads(dialogId: string, input: ReadInput): Promise<{ viewedMessages: number[] }> {
    const read = parseControl(readSchema, input);
    return this.change((portal, _sink, now) => {
      const chat = chatNamed(portal, read.userId, dialogId);
      if (!chat) throw new EmulatorError("CONTROL_NOT_FOUND", `No chat ${dialogId} seen from user ${read.userId}`);
      return userReads(portal, chat, read, now);
    });
  }

  /**
   * Installs an app on the portal: a new one, or the portal's app with that clientId. Its install
   * handler gets ONAPPINSTALL with the tokens (refresh_token, application_token) in `auth[...]`.
   * @example
   * const app = await portal.installApp({ installHandler: "http://127.0.0.1:8080/install" });
   * // app => { clientId: "local.…", clientSecret, applicationToken, accessToken, refreshToken, version: 1, event: {...} }
   */
  installApp(input: InstallApp): Promise<AppInstallation> {
    return installApp(this.runtime, this.id, input);
  }

  /**
   * A new version of an installed app: the handler it bound for ONAPPUPDATE (else its install handler) gets it, with a new application_token.
   * @example
   * await portal.updateApp(app.clientId, { version: 2 });
   */
  updateApp(clientId: string, input: UpdateApp): Promise<AppInstallation> {
    return updateApp(this.runtime, this.id, clientId, input);
  }

  /**
   * Uninstalls an app: its bots are unregistered (their deletion events first), the handler it bound
   * for ONAPPUNINSTALL (else its install handler) gets it with `data[CLEAN]`, and its tokens answer
   * APPLICATION_NOT_FOUND from then on.
   * @example
   * const done = await portal.uninstallApp(app.clientId, { clean: true });
   * // done => { clientId, clean: true, unregisteredBots: [457], event: { type: "ONAPPUNINSTALL", ... }, events: [...] }
   */
  uninstallApp(clientId: string, input: UninstallApp = {}): Promise<AppUninstallation> {
    return uninstallApp(this.runtime, this.id, clientId, input);
  }

  /**
   * Adds a user who can then talk to bots.
   * @example
   * const carla = await portal.createUser({ firstName: "Carla", extranet: true });
   */
  async createUser(input: CreateUser): Promise<Record<string, unknown>> {
    const fields = parseControl(createUserSchema, input);
    return this.change((portal) => {
      const id = ++portal.seq.user;
      portal.users[id] = { id, active: true, color: "#df532d", avatar: "", bot: false, departments: [1], ...fields };
      return userView(portal.users[id]!);
    });
  }

  /**
   * Creates a group chat as its owner; bots among the members get JOINCHAT.
   * @example
   * const chat = await portal.createChat({ title: "Support", ownerId: 1, members: [2, 456] });
   */
  async createChat(input: CreateChat): Promise<Record<string, unknown>> {
    const fields = parseControl(createChatSchema, input);
    return this.change((portal, sink, now) => {
      const members = [...new Set([fields.ownerId, ...fields.members])];
      const unknown = members.filter((m) => !portal.users[m]?.active);
      if (unknown.length > 0) throw new EmulatorError("CONTROL_NOT_FOUND", `No active user or bot ${unknown.join(", ")}`);
      const chat = addChat(portal, { ...groupChatKind(fields), title: fields.title, ownerId: fields.ownerId, members }, now);
      publishJoin(portal, chat, members, fields.ownerId, sink);
      return chatView(portal, chat, fields.ownerId, this.runtime.settings);
    });
  }

  /**
   * Adds users or bots to a group chat; bots get JOINCHAT from `addedBy` (default the owner).
   * @example
   * await portal.addToChat("chat5", { userIds: [botId], addedBy: 1 });
   */
  async addToChat(dialogId: string, input: { userIds: number[]; addedBy?: number }): Promise<{ added: number[]; events: RaisedEvent[] }> {
    const { userIds, addedBy } = parseControl(membersSchema, input);
    return this.change((portal, sink, now) => {
      const chat = this.groupChat(portal, dialogId);
      const unknown = userIds.filter((u) => !portal.users[u]?.active);
      if (unknown.length > 0) throw new EmulatorError("CONTROL_NOT_FOUND", `No active user or bot ${unknown.join(", ")}`);
      const added = userIds.filter((u) => !chat.members.includes(u));
      addMembers(chat, added);
      noteActivity(portal, addedBy ?? chat.ownerId, now);
      return { added, events: publishJoin(portal, chat, added, addedBy ?? chat.ownerId, sink) };
    });
  }

  /**
   * Removes a user or bot from a group chat.
   * @example
   * await portal.removeFromChat("chat5", 456);
   */
  async removeFromChat(dialogId: string, userId: number): Promise<{ removed: boolean }> {
    return this.change((portal) => {
      const chat = this.groupChat(portal, dialogId);
      const before = chat.members.length;
      chat.members = without(chat.members, (m) => m === userId);
      chat.managers = without(chat.managers, (m) => m === userId);
      return { removed: chat.members.length < before };
    });
  }

  /**
   * The chat's messages as stored: author, system flag, text, attach, keyboard.
   * A 1:1 dialog named by a user id is read from `viewerId`'s side (default user 1).
   * @example
   * const answers = (await portal.messages("chat5")).filter((m) => m.authorId === 456);
   */
  messages(dialogId: string, viewerId = 1): ControlMessage[] {
    return this.history(dialogId, { viewerId }).messages;
  }

  /**
   * One page of a chat's history, oldest first: the last `limit` messages before message `before`
   * (both optional), and whether older ones exist.
   * @example
   * const { messages, hasMore } = portal.history("chat5", { limit: 50 });
   * const older = portal.history("chat5", { limit: 50, before: messages[0].id });
   */
  history(dialogId: string, page: { viewerId?: number; before?: number; limit?: number } = {}): { messages: ControlMessage[]; hasMore: boolean } {
    const portal = this.portal();
    const viewerId = page.viewerId ?? 1;
    const chat = chatNamed(portal, viewerId, dialogId);
    if (!chat) throw new EmulatorError("CONTROL_NOT_FOUND", `No chat ${dialogId} seen from user ${viewerId}${dialogHint(portal, dialogId)}`);
    return historyPage(portal, chat, page);
  }

  /**
   * The "typing" indicators bots show right now (Chat.InputAction.notify), on the portal's clock:
   * lapsed ones are gone. Lets a test assert that the bot showed typing before it answered.
   * @example
   * const typing = portal.inputActions().find((a) => a.botId === 456 && a.dialogId === "chat5");
   */
  inputActions(): InputActionView[] {
    const portal = this.portal();
    return liveInputActions(portal, portalNow(this.runtime.clock(), portal));
  }

  /**
   * The portal's users and bots, with names and colours.
   * @example
   * const anna = portal.users().find((u) => u.id === 1); // { name: "Anna Admin", bot: false, ... }
   */
  users(): DirectoryUser[] {
    return directoryUsers(this.portal());
  }

  /**
   * The portal's bots with their commands (titles and parameter hints in the portal's language).
   * @example
   * const help = portal.bots()[0].commands[0]; // { command: "/help", title: "Show help", ... }
   */
  bots(): DirectoryBot[] {
    return directoryBots(this.portal());
  }

  /**
   * Every chat of the portal, group chats and 1:1 dialogs, each with its members and last message.
   * @example
   * const support = portal.chats().find((c) => c.dialogId === "chat5");
   */
  chats(): ChatSummary[] {
    return chatSummaries(this.portal());
  }

  /**
   * Calls `listener` with every change in the portal from now on: messages, REST calls, webhook
   * deliveries, raised events, chat changes, resets. Returns the function that stops it.
   * @example
   * const stop = portal.subscribe((e) => { if (e.type === "message") console.log(e.message.text); });
   * stop();
   */
  subscribe(listener: (event: StreamEvent) => void): () => void {
    this.portal();
    return subscribeToPortal(this.runtime, this.id, listener);
  }

  /**
   * The same changes as an async iterator (what `GET /_emulator/portals/{id}/stream` sends).
   * @example
   * const stream = portal.stream();
   * await portal.userSays({ authorId: 1, dialogId: "chat5", text: "hi" });
   * for await (const e of stream) if (e.type === "message") { expect(e.message.text).toBe("hi"); break; }
   */
  stream(): PortalStream {
    this.portal();
    return iteratorOver((listener, onEnd) => subscribeToPortal(this.runtime, this.id, listener, onEnd));
  }

  /**
   * Every REST call made with this portal's credentials: method, masked params, status, error.
   * @example
   * expect(portal.journal().at(-1)).toMatchObject({ method: "imbot.v2.Command.answer", status: 200 });
   */
  journal(): readonly JournalEntry[] {
    this.portal();
    return this.runtime.activity.journal(this.id);
  }

  /**
   * Every webhook POST to a bot handler: URL, payload, response status, time.
   * @example
   * expect(portal.deliveries().map((d) => d.event)).toContain("ONIMBOTV2COMMANDADD");
   */
  deliveries(): readonly Delivery[] {
    this.portal();
    return this.runtime.activity.deliveries(this.id);
  }

  /**
   * The conformance report: for every rule the portal's calls broke (unknown or coerced parameters,
   * upper-case aliases, query parameters in a POST, legacy forms), how often and the first calls.
   * @example
   * expect(portal.conformance().rules).toEqual([]); // the client keeps to the documented contract
   */
  conformance(): ConformanceSummary {
    this.portal();
    return this.runtime.activity.conformance(this.id);
  }

  /**
   * Injects a fault into this portal only. A REST rule answers matching calls with an error, a
   * delay or a dropped connection; a delivery rule (`target: "delivery"`) drops, delays, duplicates
   * or times out bots' events. Each fires `times` times (default: until cleared), then the portal
   * behaves normally again; journal entries and deliveries it touched carry its id as `fault`.
   * @example
   * await portal.addFault({ method: "imbot.v2.Command.answer", error: "QUERY_LIMIT_EXCEEDED", status: 503, times: 2 });
   * await portal.addFault({ method: "*", delayMs: 300, probability: 0.2 });
   * await portal.addFault({ target: "delivery", botId: 456, event: "ONIMBOTV2COMMANDADD", action: "duplicate", times: 1 });
   */
  addFault(input: FaultInput): FaultRule {
    this.portal();
    const target = (input as { target?: unknown } | null | undefined)?.target;
    if (target !== undefined && target !== "rest" && target !== "delivery") {
      throw new EmulatorError("CONTROL_ARGUMENT", 'target: "rest" (the default) or "delivery"');
    }
    const spec = target === "delivery" ? parseControl(deliveryFaultSchema, input) : parseControl(restFaultSchema, input);
    return this.runtime.faults.add(this.id, spec);
  }

  /**
   * The portal's fault rules, used-up ones included, each with its `fired` count.
   * @example
   * expect(portal.faults()[0]).toMatchObject({ fired: 2, active: false });
   */
  faults(): FaultRule[] {
    this.portal();
    return this.runtime.faults.list(this.id);
  }

  /**
   * Removes every fault rule of the portal.
   * @example
   * portal.clearFaults(); // => { deleted: 2 }
   */
  clearFaults(): { deleted: number } {
    this.portal();
    return { deleted: this.runtime.faults.clear(this.id) };
  }

  /**
   * Fetch-mode events not yet confirmed by Event.get (optionally one bot's).
   * @example
   * const pending = portal.events(456).map((e) => e.type); // ["ONIMBOTV2COMMANDADD"]
   */
  events(botId?: number): readonly StoredEvent[] {
    const portal = this.portal();
    const unconfirmed = (e: StoredEvent) => e.eventId >= (portal.eventCursor?.[e.botId] ?? 0);
    const events = portal.events.filter((e) => (botId === undefined || e.botId === botId) && unconfirmed(e));
    // Copies: what the control API hands out must not be a way to change the store behind its back.
    return JSON.parse(JSON.stringify(events)) as StoredEvent[];
  }

  /**
   * Waits until a matching message, REST call or delivery exists (or appears within the timeout),
   * so tests never sleep. Resolves undefined on timeout.
   * @example
   * const reply = await portal.waitFor({ for: "message", dialogId: "chat5", authorId: 456, timeout: 2000 });
   */
  async waitFor(query: WaitQuery): Promise<WaitMatch | undefined> {
    const q = parseControl(waitSchema, query);
    this.portal();
    if (this.runtime.activity.pendingWaits >= MAX_PENDING_WAITS) {
      throw new EmulatorError("WAIT_LIMIT_EXCEEDED", `${MAX_PENDING_WAITS} long-polls are waiting already; let some finish first`);
    }
    const probe = (touched: Touched): WaitMatch | undefined => {
      const portal = findPortal(this.runtime.store.state, this.id);
      if (!portal) return undefined;
      if (q.for === "message") {
        const found = waitedMessage(portal, q, touched);
        return found ? messageView(found) : undefined;
      }
      if (q.for === "call") {
        return this.runtime.activity.journal(this.id).find(
          (j) =>
            j.id > q.afterId &&
            (!q.method || j.method.toLowerCase() === q.method.toLowerCase()) &&
            (q.error === undefined || j.error === q.error),
        );
      }
      return this.runtime.activity.deliveries(this.id).find(
        (d) => d.id > q.afterId && (q.botId === undefined || d.botId === q.botId) && (!q.event || d.event === q.event),
      );
    };
    return this.runtime.activity.waitFor(this.id, q.for, probe, q.timeout);
  }

  /**
   * Shorthand: the next message by `authorId` in `dialogId` after message `afterId`.
   * @example
   * const reply = await portal.waitForMessage("chat5", { authorId: 456, afterId: message.id });
   */
  async waitForMessage(
    dialogId: string,
    options: { authorId?: number; afterId?: number; textContains?: string; timeout?: number; viewerId?: number } = {},
  ): Promise<MessageView | undefined> {
    return (await this.waitFor({ for: "message", dialogId, ...options })) as MessageView | undefined;
  }

  /**
   * This portal's clock: its now and how far it runs ahead of the emulator's clock.
   * @example
   * const { now } = portal.clock(); // "2026-11-23T10:00:00.000Z"
   */
  clock(): ClockReading {
    return readPortalClock(this.runtime, this.id);
  }

  /**
   * Moves this portal's clock only (the emulator's clock moves every portal): by seconds, or to an
   * instant. Token expiry, answer windows, event and message dates follow it.
   * @example
   * await portal.moveClock({ advanceSeconds: 3601 });        // every access token of the portal expires
   * await portal.moveClock({ now: "2026-12-31T23:59:00Z" });
   */
  async moveClock(move: ClockMove): Promise<ClockReading> {
    return movePortalClock(this.runtime, this.id, move);
  }

  private flow(now: Date) {
    return { now, answerWindowSeconds: this.runtime.settings.answerWindowSeconds };
  }

  private groupChat(portal: Portal, dialogId: string): Chat {
    const ref = parseDialogId(dialogId);
    const chat = ref?.kind === "chat" ? portal.chats[ref.chatId] : undefined;
    if (!chat || chat.type === "private") throw new EmulatorError("CONTROL_NOT_FOUND", `No group chat ${dialogId}${dialogHint(portal, dialogId)}`);
    return chat;
  }

  /** The chat a user means by dialogId; a 1:1 dialog is opened on first use (a bot gets JOINCHAT then). */
  private dialogOf(portal: Portal, userId: number, dialogId: string, now: Date): { chat: Chat; joined: number | null } {
    const ref = parseDialogId(dialogId);
    if (!ref) throw new EmulatorError("CONTROL_ARGUMENT", `"${dialogId}" is not a dialogId (chatN or a user id)`);
    const existing = chatNamed(portal, userId, dialogId);
    if (existing) return { chat: existing, joined: null };
    if (ref.kind === "chat") throw new EmulatorError("CONTROL_NOT_FOUND", `No chat ${dialogId}`);
    const other = portal.users[ref.userId];
    if (!other?.active || ref.userId === userId) {
      throw new EmulatorError("CONTROL_NOT_FOUND", `No user or bot ${ref.userId}${dialogHint(portal, dialogId)}`);
    }
    const chat = addChat(portal, { type: "private", ownerId: userId, members: [userId, ref.userId] }, now);
    return { chat, joined: other.bot ? other.id : null };
  }
}

