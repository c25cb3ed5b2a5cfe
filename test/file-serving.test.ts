import { describe, expect, it } from "vitest";
import type { PortalHandle } from "../src/index.js";
import { httpClient } from "./support/http-client.js";
import { useListeningEmulator } from "./support/v1-bot.js";

/**
 * Shared files are served from the emulator's own origin (the inspector's links, File.download's),
 * while their names and bytes are anyone's: a picture keeps its image type, anything else is an
 * opaque attachment a browser will not render or sniff.
 */

const listening = useListeningEmulator();
const client = () => httpClient(listening.emulator().httpUrl!);

const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64");
const HTML = Buffer.from("<!doctype html><script>parent.stolen = document.cookie</script>");
const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>');

async function share(portal: PortalHandle, name: string, bytes: Buffer): Promise<number> {
  const reply = await client().call("POST", `/_emulator/portals/${portal.id}/files`, { userId: 1, dialogId: "chat5", name, contentBase64: bytes.toString("base64") });
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return (reply.body.file as { id: number }).id;
}

const SAFE_HEADERS = { "x-content-type-options": "nosniff", "content-security-policy": "default-src 'none'; sandbox" };

function headersOf(headers: Headers, names: string[]): Record<string, string | null> {
  return Object.fromEntries(names.map((name) => [name, headers.get(name)]));
}

describe("GET /_emulator/portals/{id}/files/{fileId}", () => {
  it("a picture is served with its image type, as an attachment that is never sniffed", async () => {
    const portal = await listening.emulator().createPortal();
    const id = await share(portal, "dot.png", PNG);
    const served = await client().get(`/_emulator/portals/${portal.id}/files/${id}`);
    expect(served.status).toBe(200);
    expect(headersOf(served.headers, ["content-type", "content-length", "content-disposition", ...Object.keys(SAFE_HEADERS)])).toEqual({
      "content-type": "image/png",
      "content-length": String(PNG.length),
      "content-disposition": "attachment; filename*=UTF-8''dot.png",
      ...SAFE_HEADERS,
    });
  });

  it("HTML and SVG, whatever their names say, are opaque bytes; the exact bytes come back", async () => {
    const portal = await listening.emulator().createPortal();
    for (const [name, bytes] of [
      ["page.html", HTML],
      ["logo.svg", SVG],
      ["dot.png.html", HTML],
    ] as const) {
      const id = await share(portal, name, bytes);
      const served = await client().get(`/_emulator/portals/${portal.id}/files/${id}`);
      expect([served.status, served.contentType, served.body.text]).toEqual([200, "application/octet-stream", bytes.toString()]);
      expect(headersOf(served.headers, Object.keys(SAFE_HEADERS))).toEqual(SAFE_HEADERS);
      expect(served.headers.get("content-disposition")).toMatch(/^attachment; /);
    }
  });

  it("a hostile name cannot add a parameter or a header: every special character is percent-encoded", async () => {
    const portal = await listening.emulator().createPortal();
    const id = await share(portal, `a"; filename=evil.exe; (x)*'ü.txt`, Buffer.from("hi"));
    const served = await client().get(`/_emulator/portals/${portal.id}/files/${id}`);
    expect(served.headers.get("content-disposition")).toBe("attachment; filename*=UTF-8''a%22%3B%20filename%3Devil.exe%3B%20%28x%29%2A%27%C3%BC.txt");
  });

  it("HEAD answers the headers only; File.download's links serve bytes the same way", async () => {
    const portal = await listening.emulator().createPortal();
    const id = await share(portal, "dot.png", PNG);
    const head = await fetch(`${listening.emulator().httpUrl}/_emulator/portals/${portal.id}/files/${id}`, { method: "HEAD" });
    expect([head.status, head.headers.get("content-type"), head.headers.get("content-length"), await head.text()]).toEqual([200, "image/png", String(PNG.length), ""]);

    const base = new URL(portal.webhookUrl!).pathname;
    const link = await client().call("POST", `${base}imbot.v2.File.download`, { botId: 456, botToken: portal.bots[0]!.botToken, fileId: id });
    expect(link.status, JSON.stringify(link.body)).toBe(200);
    const url = new URL((link.body.result as { downloadUrl: string }).downloadUrl);
    const served = await client().get(`${url.pathname}${url.search}`);
    expect([served.status, served.contentType]).toEqual([200, "image/png"]);
    expect(headersOf(served.headers, Object.keys(SAFE_HEADERS))).toEqual(SAFE_HEADERS);
  });

  it("an unknown file, or another portal's, is CONTROL_NOT_FOUND in JSON", async () => {
    const portal = await listening.emulator().createPortal();
    const other = await listening.emulator().createPortal();
    const id = await share(other, "secret.txt", Buffer.from("secret"));
    for (const path of [`/_emulator/portals/${portal.id}/files/${id}`, `/_emulator/portals/${portal.id}/files/999999`]) {
      const reply = await client().get(path);
      expect([reply.status, reply.contentType, reply.body.error]).toEqual([404, "application/json; charset=utf-8", "CONTROL_NOT_FOUND"]);
    }
  });
});
