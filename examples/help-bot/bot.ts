/**
 * Help bot: a small Bitrix24 chat bot on the imbot.v2 REST API, written to be tested against
 * b24-emulator. It knows two commands, /help and /echo, and says hello in chats it joins.
 *
 * No dependencies: the global fetch and node:http. Every call goes through an incoming webhook
 * (`https://your-portal/rest/{userId}/{code}/`); the bot proves it owns itself with `botToken`.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";

/** What every REST call needs: the portal's incoming webhook and the bot's secret. */
export interface Connection {
  /** Base URL of an incoming webhook with the `imbot` scope. */
  webhookUrl: string;
  /** Chosen by you at registration; a portal takes whoever presents it as the bot's owner. */
  botToken: string;
}

export interface RegisterOptions extends Connection {
  /** "fetch": the bot polls Event.get. "webhook": the portal POSTs each event to `handlerUrl`. */
  eventMode: "fetch" | "webhook";
  handlerUrl?: string;
}

/** An event as Event.get returns it. Webhook deliveries are parsed into the same shape. */
export interface BotEvent {
  /** Only in fetch mode; webhook deliveries carry no queue position. */
  eventId?: number;
  type: string;
  data: Record<string, unknown>;
}

export interface HelpBot {
  botId: number;
  /**
   * Fetch mode: reads the next page of events, handles them in order and returns them. The events
   * handled here are confirmed (deleted from the queue) by the next call's `offset`. A running bot
   * calls it in a loop, a few seconds apart: the portal counts every call against its rate limit.
   */
  pollOnce(): Promise<BotEvent[]>;
}

export const BOT_CODE = "help_bot";

export const HELP_TEXT = ["Help bot knows these commands:", "/help - this list", "/echo <text> - sends <text> back to you"].join("\n");

export const GREETING = "Hello! I am Help bot. Type /help to see what I can do.";

/** A button under the help text: pressing it runs /echo for the user, with no typing. */
export const HELP_KEYBOARD = {
  BUTTONS: [{ TEXT: "Try /echo", COMMAND: "echo", COMMAND_PARAMS: "Hello from a button", DISPLAY: "LINE" }],
};

const COMMANDS = [
  { command: "help", title: { en: "List the commands of Help bot" } },
  { command: "echo", title: { en: "Send the text back" }, params: { en: "text" } },
];

/**
 * Registers the bot and its commands. Both calls are idempotent on a portal (same code or command
 * name from the same owner gives back what exists), so a bot can run this on every start.
 */
export async function registerHelpBot(options: RegisterOptions): Promise<HelpBot> {
  const { webhookUrl, botToken, eventMode, handlerUrl } = options;
  if (eventMode === "webhook" && !handlerUrl) throw new Error("webhook mode needs a handlerUrl");

  const { bot } = await callRest<{ bot: { id: number } }>(webhookUrl, "imbot.v2.Bot.register", {
    fields: { code: BOT_CODE, botToken, eventMode, webhookUrl: handlerUrl, properties: { name: "Help bot" } },
  });
  for (const fields of COMMANDS) {
    await callRest(webhookUrl, "imbot.v2.Command.register", { botId: bot.id, botToken, fields });
  }

  const connection = { webhookUrl, botToken };
  let nextOffset: number | undefined;
  return {
    botId: bot.id,
    async pollOnce() {
      const page = await callRest<{ events: BotEvent[] }>(webhookUrl, "imbot.v2.Event.get", {
        botId: bot.id,
        botToken,
        offset: nextOffset,
      });
      for (const event of page.events) {
        await handleEvent(connection, event);
        // Moved per event: if a handler throws, the next poll confirms only what was handled and
        // the failed event comes again.
        nextOffset = (event.eventId ?? 0) + 1;
      }
      return page.events;
    },
  };
}

/** The parts of ONIMBOTV2COMMANDADD the bot reads. Ids are numbers in fetch mode, strings in webhook mode. */
interface CommandAddData {
  bot: { id: number | string };
  command: { id: number | string; command: string; params: string };
  message: { id: number | string };
  chat: { dialogId: string };
}

interface JoinChatData {
  bot: { id: number | string };
  dialogId: string;
}

/** Reacts to one event. Unknown types are ignored: a portal adds event types over time. */
export async function handleEvent(connection: Connection, event: BotEvent): Promise<void> {
  const { webhookUrl, botToken } = connection;
  if (event.type === "ONIMBOTV2JOINCHAT") {
    const data = event.data as unknown as JoinChatData;
    await callRest(webhookUrl, "imbot.v2.Chat.Message.send", {
      botId: Number(data.bot.id),
      botToken,
      dialogId: data.dialogId,
      fields: { message: GREETING },
    });
  } else if (event.type === "ONIMBOTV2COMMANDADD") {
    const data = event.data as unknown as CommandAddData;
    // The answer must name the exact call it answers: the portal matches command, message and
    // chat, so a reply can never land in a chat the user did not type in.
    await callRest(webhookUrl, "imbot.v2.Command.answer", {
      botId: Number(data.bot.id),
      botToken,
      commandId: Number(data.command.id),
      messageId: Number(data.message.id),
      dialogId: data.chat.dialogId,
      fields: reply(data.command.command, data.command.params),
    });
  }
}

function reply(command: string, params: string): Record<string, unknown> {
  if (command === "/help") return { message: HELP_TEXT, keyboard: HELP_KEYBOARD };
  if (command === "/echo") return { message: params.trim() === "" ? "Nothing to echo: type /echo and some text." : params };
  return { message: `I do not know ${command}. Type /help.` };
}

/**
 * Webhook mode: a node:http listener for the URL given as `handlerUrl`. It answers 200 only after
 * the event was handled, so a failure shows up as 500 in the portal's delivery log instead of
 * vanishing.
 *
 * `auth[application_token]` is how a handler tells the portal's POSTs from anyone else's. A bot
 * registered through an incoming webhook is never told its token by Bot.register: the portal
 * makes one up (so does the emulator, per bot) and the first place it appears is a delivery. So
 * without `applicationToken` the handler only demands a non-empty one; once you know yours (an
 * application gets it when installed), pass it and anything else is refused.
 */
export function createWebhookHandler(connection: Connection, options: { applicationToken?: string } = {}): RequestListener {
  return (request: IncomingMessage, response: ServerResponse) => {
    if (request.method !== "POST") {
      response.writeHead(405).end();
      return;
    }
    readBody(request)
      .then(async (body) => {
        const form = parsePhpForm(body);
        const auth = form.auth;
        const token = typeof auth === "object" ? auth.application_token : undefined;
        if (typeof token !== "string" || token === "" || (options.applicationToken && token !== options.applicationToken)) {
          response.writeHead(401).end();
          return;
        }
        const data = typeof form.data === "object" ? form.data : {};
        await handleEvent(connection, { type: String(form.event), data });
        response.writeHead(200).end("ok");
      })
      .catch((error: unknown) => {
        console.error("help bot: event failed:", error);
        if (!response.headersSent) response.writeHead(500);
        response.end();
      });
  };
}

interface FormObject {
  [key: string]: string | FormObject;
}

/**
 * Decodes a PHP-style form body (`data[command][id]=42`) into nested objects. Every value stays a
 * string and list indexes become keys ("0", "1"): enough for reading an event.
 */
export function parsePhpForm(body: string): FormObject {
  const root: FormObject = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const [head = "", ...rest] = key.split("[");
    const path = [head, ...rest.map((part) => part.replace(/\]$/, ""))];
    let node = root;
    for (const name of path.slice(0, -1)) {
      const next = node[name];
      node = typeof next === "object" ? next : (node[name] = {});
    }
    node[path.at(-1) ?? head] = value;
  }
  return root;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => (body += chunk));
    request.on("end", () => resolve(body));
    request.on("error", reject);
  });
}

/** One REST call. The API answers `{result}` or `{error, error_description}`; the latter becomes an exception. */
async function callRest<T = unknown>(webhookUrl: string, method: string, params: Record<string, unknown>): Promise<T> {
  const base = webhookUrl.endsWith("/") ? webhookUrl : `${webhookUrl}/`;
  const response = await fetch(`${base}${method}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(params),
  });
  const body = (await response.json()) as { result?: T; error?: string; error_description?: string };
  if (body.error !== undefined || !response.ok) {
    throw new Error(`${method} failed with HTTP ${response.status}: ${body.error ?? "?"} ${body.error_description ?? ""}`.trim());
  }
  return body.result as T;
}
