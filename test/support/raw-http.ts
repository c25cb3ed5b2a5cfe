import { request } from "node:http";
import { expectMatchesOpenApi } from "./openapi.js";

export interface RawReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
}

/**
 * One request with exactly the headers given (Host, Origin, Sec-Fetch-* included, as a browser or
 * an attacker would send them), its answer checked against openapi.yaml.
 */
export function rawRequest(
  baseUrl: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<RawReply> {
  const base = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      // A fresh connection each time: reusing a kept-alive socket races the server closing it when idle (ECONNRESET under load).
      { host: base.hostname, port: base.port, method, path, agent: false, headers: { ...headers, ...(body === undefined ? {} : { "Content-Length": Buffer.byteLength(body) }) } },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (d: string) => (text += d));
        res.on("end", () => {
          // The inspector page is the one answer that is HTML, and it is no API: nothing to check.
          const page = /^text\/html/.test(String(res.headers["content-type"])) && (path === "/" || path.startsWith("/inspector/"));
          if (page) return resolve({ status: res.statusCode ?? 0, headers: res.headers, body: {} });
          const reply = { status: res.statusCode ?? 0, headers: res.headers, body: text === "" ? {} : (JSON.parse(text) as Record<string, unknown>) };
          try {
            if (text !== "") expectMatchesOpenApi({ method, url: path }, { ...reply, contentType: String(res.headers["content-type"]) });
            resolve(reply);
          } catch (error) {
            reject(error as Error);
          }
        });
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}
