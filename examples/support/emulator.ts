/**
 * Two ways to get a portal for a bot test, with one shape, so a scenario is written once:
 * - `inProcessPortal`: the emulator runs inside the test process (`startEmulator()`); the control
 *   methods are plain calls.
 * - `EmulatorProcess`: the emulator runs as its own process, as `npx b24-emulator` would; the test
 *   speaks to it only over HTTP (the control API under /_emulator). Use this shape when your bot is
 *   not written in JavaScript or runs in its own process.
 *
 * In your project, import from "b24-emulator" instead of "../../src/index.js".
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Delivery, MessageView, PortalControl, RunningEmulator, UserMessageOutcome, WaitMatch } from "../../src/index.js";

type WaitQuery = Parameters<PortalControl["waitFor"]>[0];
type MessageWait = NonNullable<Parameters<PortalControl["waitForMessage"]>[1]>;
type Found = WaitMatch | undefined;

/** The control methods the examples use; `PortalControl` has them all, `HttpPortalControl` mirrors them. */
export interface Control {
  addToChat(dialogId: string, input: { userIds: number[]; addedBy?: number }): Promise<unknown>;
  userSays(input: { authorId: number; dialogId: string; text: string }): Promise<UserMessageOutcome>;
  pressButton(input: { userId: number; messageId: number; command?: string; buttonIndex?: number }): Promise<unknown>;
  messages(dialogId: string): MessageView[] | Promise<MessageView[]>;
  events(botId?: number): readonly unknown[] | Promise<readonly unknown[]>;
  deliveries(): readonly Delivery[] | Promise<readonly Delivery[]>;
  waitFor(query: WaitQuery): Promise<Found>;
  waitForMessage(dialogId: string, options?: MessageWait): Promise<MessageView | undefined>;
}

export interface TestPortal {
  id: string;
  /** The portal's incoming webhook: what the bot is configured with. */
  webhookUrl: string;
  control: Control;
}

export async function inProcessPortal(emulator: RunningEmulator): Promise<TestPortal> {
  const portal = await emulator.createPortal();
  return { id: portal.id, webhookUrl: portal.webhookUrl, control: portal.control };
}

const CLI = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));

/** `node dist/cli.js --port 0 --memory` in a child process, found through the URL it prints. */
export class EmulatorProcess {
  private constructor(
    private readonly child: ChildProcess,
    private readonly exited: Promise<unknown>,
    readonly httpUrl: string,
  ) {}

  static async start(): Promise<EmulatorProcess> {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first`);
    const child = spawn(process.execPath, [CLI, "--port", "0", "--memory"], { stdio: ["ignore", "pipe", "pipe"] });
    const exited = new Promise((resolve) => child.once("exit", resolve));
    let output = "";
    const httpUrl = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the emulator printed no URL within 15 s:\n${output}`)), 15_000);
      const read = (chunk: Buffer) => {
        output += chunk.toString();
        const url = /http:\s+(http:\/\/\S+)/.exec(output)?.[1];
        if (url) {
          clearTimeout(timer);
          resolve(url);
        }
      };
      child.stdout?.on("data", read);
      child.stderr?.on("data", read);
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`the emulator exited (${String(code)}) before listening:\n${output}`));
      });
    });
    return new EmulatorProcess(child, exited, httpUrl);
  }

  /** A fresh portal with its own credentials, so tests never see each other's bots or messages. */
  async createPortal(): Promise<TestPortal> {
    const portal = await requestJson<{ id: string; webhookUrl: string }>("POST", `${this.httpUrl}/_emulator/portals`, {});
    return { id: portal.id, webhookUrl: portal.webhookUrl, control: new HttpPortalControl(`${this.httpUrl}/_emulator/portals/${portal.id}`) };
  }

  async stop(): Promise<void> {
    this.child.kill("SIGTERM");
    await this.exited;
  }
}

/** The control API of one portal over HTTP, method for method like `PortalControl`. */
export class HttpPortalControl implements Control {
  constructor(private readonly base: string) {}

  addToChat(dialogId: string, input: { userIds: number[]; addedBy?: number }) {
    return requestJson("POST", `${this.base}/chats/${encodeURIComponent(dialogId)}/members`, input);
  }

  userSays(input: { authorId: number; dialogId: string; text: string }) {
    return requestJson<UserMessageOutcome>("POST", `${this.base}/messages`, input);
  }

  pressButton(input: { userId: number; messageId: number; command?: string; buttonIndex?: number }) {
    return requestJson("POST", `${this.base}/buttons`, input);
  }

  async messages(dialogId: string) {
    const body = await requestJson<{ messages: MessageView[] }>("GET", `${this.base}/chats/${encodeURIComponent(dialogId)}/messages`);
    return body.messages;
  }

  async events(botId?: number) {
    const query = botId === undefined ? "" : `?botId=${botId}`;
    return (await requestJson<{ events: unknown[] }>("GET", `${this.base}/events${query}`)).events;
  }

  async deliveries() {
    return (await requestJson<{ deliveries: Delivery[] }>("GET", `${this.base}/deliveries`)).deliveries;
  }

  /** Long-polls `GET /wait`; its 408 WAIT_TIMEOUT becomes undefined, as in `PortalControl.waitFor`. */
  async waitFor(query: WaitQuery): Promise<Found> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
    const response = await fetch(`${this.base}/wait?${params}`);
    const body = (await response.json()) as { match?: WaitMatch; error?: string };
    if (body.error === "WAIT_TIMEOUT") return undefined;
    if (!response.ok) throw new Error(`GET /wait: HTTP ${response.status} ${JSON.stringify(body)}`);
    return body.match;
  }

  async waitForMessage(dialogId: string, options: MessageWait = {}): Promise<MessageView | undefined> {
    return (await this.waitFor({ for: "message", dialogId, ...options })) as MessageView | undefined;
  }
}

async function requestJson<T = unknown>(method: string, url: string, body?: unknown): Promise<T> {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const parsed = (await response.json()) as T;
  if (!response.ok) throw new Error(`${method} ${url}: HTTP ${response.status} ${JSON.stringify(parsed)}`);
  return parsed;
}
