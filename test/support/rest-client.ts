import request from "supertest";
import { expect } from "vitest";
import type { EmulatorApp } from "../../src/index.js";
import type { Message } from "../../src/store/state.js";
import { expectMatchesOpenApi } from "./openapi.js";

export interface Reply {
  status: number;
  body: Record<string, unknown>;
  contentType: string;
}

type Encoding = "json" | "form";

/**
 * Talks to an in-process emulator the way clients do, and checks every answer against
 * openapi.yaml, so no test can pass on a response the contract does not allow.
 */
export function restClient(app: EmulatorApp) {
  const finish = (method: string, url: string, res: request.Response): Reply => {
    const reply = { status: res.status, body: res.body as Record<string, unknown>, contentType: String(res.headers["content-type"]) };
    expectMatchesOpenApi({ method, url }, reply, { statusOverrides: app.fidelity.statusOverrides });
    return reply;
  };
  return {
    async post(url: string, params: Record<string, unknown>, encoding: Encoding = "json", headers: Record<string, string> = {}): Promise<Reply> {
      const req = request(app).post(url).set(headers);
      const res = encoding === "json" ? await req.send(params) : await req.type("form").send(phpQuery(params));
      return finish("POST", url, res);
    },
    async raw(url: string, body: string | Buffer, contentType: string | undefined, headers: Record<string, string> = {}): Promise<Reply> {
      // Bytes go out untouched: superagent would otherwise re-serialise a Buffer for form types.
      const req = request(app).post(url).serialize((data: unknown) => data as string).set(headers);
      if (contentType !== undefined) req.set("Content-Type", contentType);
      return finish("POST", url, await req.send(body as string));
    },
    async get(url: string, headers: Record<string, string> = {}): Promise<Reply> {
      return finish("GET", url, await request(app).get(url).set(headers));
    },
    /** Any JSON call (the control API): the answer is checked against openapi.yaml like the rest. */
    async call(method: "GET" | "POST" | "DELETE", url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
      const agent = request(app);
      const req = (method === "GET" ? agent.get(url) : method === "POST" ? agent.post(url) : agent.delete(url)).set(headers);
      return finish(method, url, body === undefined ? await req : await req.send(body as object));
    },
  };
}

/** PHP http_build_query, as CRest sends: nested keys in brackets, booleans as 1/0. */
export function phpQuery(params: Record<string, unknown>, prefix = ""): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(params)) {
    const name = prefix ? `${prefix}[${key}]` : key;
    if (value === null || value === undefined) continue;
    if (typeof value === "object") parts.push(phpQuery(value as Record<string, unknown>, name));
    else parts.push(`${encodeURIComponent(name)}=${encodeURIComponent(typeof value === "boolean" ? (value ? "1" : "0") : String(value))}`);
  }
  return parts.filter(Boolean).join("&");
}

export function messagesIn(app: EmulatorApp, chatId: number, portalId = "default"): Message[] {
  const portal = app.store.state.portals[portalId];
  if (!portal) throw new Error(`no portal ${portalId}`);
  return Object.values(portal.messages).filter((m) => m.chatId === chatId);
}

export function lastMessageIn(app: EmulatorApp, chatId: number): Message | undefined {
  return messagesIn(app, chatId).at(-1);
}

/** A snapshot of the stored data, to prove a refused call changed nothing. */
export function snapshot(app: EmulatorApp): string {
  return JSON.stringify(app.store.state);
}

/**
 * Posts a call that must be refused: asserts the error code and HTTP status, a description, no
 * result, and that the stored data did not change by a byte.
 */
export async function expectRefusal(app: EmulatorApp, url: string, params: Record<string, unknown>, code: string, status: number): Promise<Reply> {
  const before = snapshot(app);
  const reply = await restClient(app).post(url, params);
  expect(reply.body.error, JSON.stringify(reply.body)).toBe(code);
  expect(reply.status).toBe(status);
  expect(typeof reply.body.error_description).toBe("string");
  expect(reply.body).not.toHaveProperty("result");
  expect(snapshot(app)).toBe(before);
  return reply;
}
