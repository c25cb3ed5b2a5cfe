import { afterAll, afterEach, beforeAll } from "vitest";
import { startEmulator, type RunningEmulator } from "../../src/index.js";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expectMatchesOpenApi } from "./openapi.js";
import { phpQuery } from "./rest-client.js";

/**
 * What a v1 bot's test needs from outside the emulator: a REST call as bitrixogram (PHP-style form)
 * or b24pysdk (JSON) sends it, every answer checked against openapi.yaml, and an HTTP handler that
 * records the form-encoded events it is POSTed, flat, as a Python web framework hands them over.
 */

export interface V1Reply {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- wire JSON, read the way a bot reads it
  body: Record<string, any>;
}

export async function v1Call(baseUrl: string, method: string, params: Record<string, unknown>, encoding: "form" | "json" = "form"): Promise<V1Reply> {
  const url = `${baseUrl}${method}`;
  const res = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": encoding === "json" ? "application/json" : "application/x-www-form-urlencoded" },
    body: encoding === "json" ? JSON.stringify(params) : phpQuery(params),
  });
  const reply = { status: res.status, body: (await res.json()) as V1Reply["body"] };
  expectMatchesOpenApi({ method: "POST", url }, { ...reply, contentType: res.headers.get("content-type") ?? "" });
  return reply;
}

/** One event POST as the handler saw it: the path with its query, and the form fields, flat. */
export interface ReceivedEvent {
  path: string;
  contentType: string;
  form: Record<string, string>;
}

export interface EventHandler {
  url: string;
  received: ReceivedEvent[];
  /** Resolves with the next event of this type that arrives (or has arrived) after `after` events. */
  next(type: string, after?: number): Promise<ReceivedEvent>;
  close(): Promise<void>;
}

/** A bot's event handler on 127.0.0.1 that answers `OK` to every POST, as bitrixogram's does. */
export async function listenForEvents(onEvent?: (event: ReceivedEvent) => Promise<void> | void): Promise<EventHandler> {
  const received: ReceivedEvent[] = [];
  const waiters: { type: string; after: number; resolve: (e: ReceivedEvent) => void }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const form = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString("utf8")));
      const event = { path: req.url ?? "", contentType: req.headers["content-type"] ?? "", form };
      void Promise.resolve(onEvent?.(event)).finally(() => {
        received.push(event);
        for (const w of [...waiters]) {
          const match = received.slice(w.after).find((e) => e.form.event === w.type);
          if (match) {
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve(match);
          }
        }
        res.writeHead(200, { "Content-Type": "text/plain" }).end("OK");
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    url,
    received,
    next(type, after = 0) {
      const match = received.slice(after).find((e) => e.form.event === type);
      if (match) return Promise.resolve(match);
      return new Promise((resolve) => waiters.push({ type, after, resolve }));
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * One listening emulator for a test file (fresh portals isolate the tests) and event handlers
 * that are closed after each test.
 */
export function useListeningEmulator(): { emulator: () => RunningEmulator; handler: () => Promise<EventHandler> } {
  let emulator: RunningEmulator | undefined;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(async () => {
    await emulator?.close();
  });
  return {
    emulator: () => {
      if (!emulator) throw new Error("the emulator starts in beforeAll");
      return emulator;
    },
    handler: useEventHandlers(),
  };
}

/** Opens event handlers for a test file's tests, each closed after the test that opened it. */
export function useEventHandlers(): () => Promise<EventHandler> {
  const open: EventHandler[] = [];
  afterEach(async () => {
    for (const handler of open.splice(0)) await handler.close();
  });
  return async () => {
    const handler = await listenForEvents();
    open.push(handler);
    return handler;
  };
}
