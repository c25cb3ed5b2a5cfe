import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../src/index.js";
import { rawRequest } from "./support/raw-http.js";

let emulator: RunningEmulator;
let url: string;
let hostHeader: string;

beforeAll(async () => {
  emulator = await startEmulator();
  url = emulator.httpUrl as string;
  hostHeader = new URL(url).host;
});
afterAll(() => emulator.close());

const messageCount = (portalId = "default") => Object.keys(emulator.app.store.state.portals[portalId]?.messages ?? {}).length;
const sendQuery = "dialogId=chat5&botId=456&botToken=my_bot_token&fields[message]=pwned";

describe("the Host check (DNS rebinding)", () => {
  it("refuses a foreign Host with 403 HOST_NOT_ALLOWED naming --allowed-hosts, and shows no credentials", async () => {
    const reply = await rawRequest(url, "GET", "/_emulator/portals", { Host: "evil.example" });
    expect(reply.status).toBe(403);
    expect(reply.body.error).toBe("HOST_NOT_ALLOWED");
    expect(reply.body.error_description).toContain("--allowed-hosts evil.example");
    expect(JSON.stringify(reply.body)).not.toContain("emulator-token");
  });

  it("refuses a foreign Host on REST too, and nothing is posted", async () => {
    const before = messageCount();
    const reply = await rawRequest(url, "GET", `/rest/1/emulator/imbot.v2.Chat.Message.send?${sendQuery}`, { Host: `evil.example:${new URL(url).port}` });
    expect([reply.status, reply.body.error]).toEqual([403, "HOST_NOT_ALLOWED"]);
    expect(messageCount()).toBe(before);
  });

  it.each(["127.0.0.1", "localhost", "LOCALHOST:3000", "app.localhost", "127.1.2.3:80", "[::1]:3000"])("answers Host %s", async (host) => {
    const reply = await rawRequest(url, "GET", "/_emulator/health", { Host: host });
    expect(reply.status).toBe(200);
  });

  it("answers the names --allowed-hosts lists, subdomains for a leading dot", async () => {
    const wide = await startEmulator({ allowedHosts: ["emulator.test", ".docker.internal"] });
    const wideUrl = wide.httpUrl as string;
    try {
      for (const host of ["emulator.test", "host.docker.internal:3000", "docker.internal"]) {
        expect((await rawRequest(wideUrl, "GET", "/_emulator/health", { Host: host })).status, host).toBe(200);
      }
      const other = await rawRequest(wideUrl, "GET", "/_emulator/health", { Host: "sub.emulator.test" });
      expect([other.status, other.body.error]).toEqual([403, "HOST_NOT_ALLOWED"]);
    } finally {
      await wide.close();
    }
  });
});

describe("cross-site requests from web pages", () => {
  it("a text/plain POST to reset from another origin gets 403 ORIGIN_NOT_ALLOWED and wipes nothing", async () => {
    const portal = await emulator.createPortal();
    await portal.control.userSays({ authorId: 1, dialogId: "chat5", text: "keep me" });
    const before = messageCount(portal.id);
    const reply = await rawRequest(url, "POST", `/_emulator/portals/${portal.id}/reset`, {
      Host: hostHeader,
      Origin: "http://evil.example",
      "Sec-Fetch-Site": "cross-site",
      "Content-Type": "text/plain",
    }, "x");
    expect([reply.status, reply.body.error]).toEqual([403, "ORIGIN_NOT_ALLOWED"]);
    expect(reply.body.error_description).toContain("--allowed-origins");
    expect(messageCount(portal.id)).toBe(before);
  });

  it("a GET from an <img> on another site (no Origin, Sec-Fetch-Site: cross-site) posts nothing", async () => {
    const before = messageCount();
    const reply = await rawRequest(url, "GET", `/rest/1/emulator/imbot.v2.Chat.Message.send?${sendQuery}`, {
      Host: hostHeader,
      "Sec-Fetch-Site": "cross-site",
      "Sec-Fetch-Mode": "no-cors",
      "Sec-Fetch-Dest": "image",
    });
    expect([reply.status, reply.body.error]).toEqual([403, "ORIGIN_NOT_ALLOWED"]);
    expect(messageCount()).toBe(before);
  });

  it("refuses Origin: null (sandboxed frames, file: pages)", async () => {
    const reply = await rawRequest(url, "GET", "/_emulator/portals", { Host: hostHeader, Origin: "null" });
    expect([reply.status, reply.body.error]).toEqual([403, "ORIGIN_NOT_ALLOWED"]);
  });

  it("lets the emulator's own page through: same-origin fetch and an EventSource stream request", async () => {
    const origin = `http://${hostHeader}`;
    const portal = await emulator.createPortal();
    const said = await rawRequest(url, "POST", `/_emulator/portals/${portal.id}/messages`, {
      Host: hostHeader,
      Origin: origin,
      "Sec-Fetch-Site": "same-origin",
      "Content-Type": "application/json",
    }, JSON.stringify({ authorId: 1, dialogId: "chat5", text: "from the inspector" }));
    expect(said.status).toBe(201);
    const stream = await rawRequest(url, "GET", "/_emulator/health", {
      Host: hostHeader,
      Accept: "text/event-stream",
      "Sec-Fetch-Site": "same-origin",
      "Sec-Fetch-Mode": "cors",
    });
    expect(stream.status).toBe(200);
  });

  it("lets a link from another site open a page outside the APIs, but not an API URL", async () => {
    const navigate = { Host: hostHeader, "Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document" };
    expect((await rawRequest(url, "GET", "/", navigate)).status).not.toBe(403);
    const api = await rawRequest(url, "GET", `/rest/1/emulator/imbot.v2.Chat.Message.send?${sendQuery}`, navigate);
    expect(api.body.error).toBe("ORIGIN_NOT_ALLOWED");
  });

  it("answers requests without browser headers (curl, SDKs, bots) as before", async () => {
    const reply = await rawRequest(url, "POST", "/rest/1/emulator/server.time", { Host: hostHeader, "Content-Type": "application/json" }, "{}");
    expect(reply.status).toBe(200);
  });
});

describe("--allowed-origins and --cors", () => {
  let open: RunningEmulator;
  let openUrl: string;
  beforeAll(async () => {
    open = await startEmulator({ allowedOrigins: ["http://tests.example"], cors: ["http://app.example:5173", "*"] });
    openUrl = open.httpUrl as string;
  });
  afterAll(() => open.close());

  it("answers a page from an origin --allowed-origins lists, without CORS headers", async () => {
    const reply = await rawRequest(openUrl, "GET", "/_emulator/health", { Origin: "http://tests.example", "Sec-Fetch-Site": "cross-site" });
    expect(reply.status).toBe(200);
    expect(reply.headers["access-control-allow-origin"]).toBeUndefined();
  });

  it("names a --cors origin in Access-Control-Allow-Origin, on REST and control alike", async () => {
    const pre = await rawRequest(openUrl, "OPTIONS", "/_emulator/portals", { Origin: "http://app.example:5173", "Access-Control-Request-Method": "POST" });
    expect(pre.status).toBe(204);
    expect(pre.headers["access-control-allow-origin"]).toBe("http://app.example:5173");
    const rest = await rawRequest(openUrl, "POST", "/rest/1/emulator/server.time", { Origin: "http://app.example:5173", "Content-Type": "application/json" }, "{}");
    expect(rest.headers["access-control-allow-origin"]).toBe("http://app.example:5173");
  });

  it("--cors * opens the REST API to every origin, never the control API", async () => {
    const rest = await rawRequest(openUrl, "POST", "/rest/1/emulator/server.time", { Origin: "http://anyone.example", "Content-Type": "application/json" }, "{}");
    expect([rest.status, rest.headers["access-control-allow-origin"]]).toEqual([200, "*"]);
    const control = await rawRequest(openUrl, "GET", "/_emulator/portals", { Origin: "http://anyone.example" });
    expect([control.status, control.body.error]).toEqual([403, "ORIGIN_NOT_ALLOWED"]);
    expect(control.headers["access-control-allow-origin"]).toBeUndefined();
  });

  it("sends no CORS headers without --cors", async () => {
    const reply = await rawRequest(url, "GET", "/_emulator/health", { Origin: `http://${hostHeader}` });
    expect(reply.headers["access-control-allow-origin"]).toBeUndefined();
  });
});
