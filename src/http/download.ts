import type { IncomingMessage, ServerResponse } from "node:http";
import type { Readable } from "node:stream";
import { EmulatorError } from "../errors/emulator-error.js";
import { errorResponse } from "../rest/envelope.js";
import { parseRestPath } from "../rest/route.js";
import { fileHeaders } from "./file-headers.js";

/** A file a download link serves: its name, length and bytes (read when sent, not before). */
export interface DownloadedFile {
  name: string;
  size: number;
  stream(): Readable;
}

/** Finds the file a File.download token names, while the link lasts. */
export type DownloadLookup = (token: string) => DownloadedFile | undefined;

/**
 * The links File.download hands out: `/rest/download.json?token=…` and
 * `/rest/{userId}/{code}/download/?token=…`. The token alone grants the file (it is what the
 * portal's link carries), so the path's credentials are not checked. Answers false when the path
 * is not a download link, so the REST pipeline takes it.
 */
export function serveDownload(req: IncomingMessage, res: ServerResponse, lookup: DownloadLookup): boolean {
  const url = req.url ?? "";
  const queryStart = url.indexOf("?");
  const path = (queryStart === -1 ? url : url.slice(0, queryStart)).slice("/rest".length);
  if (parseRestPath(path).method.toLowerCase() !== "download" || (req.method !== "GET" && req.method !== "HEAD")) return false;
  const token = new URLSearchParams(queryStart === -1 ? "" : url.slice(queryStart + 1)).get("token") ?? "";
  const file = token === "" ? undefined : lookup(token);
  if (!file) {
    const { status, body } = errorResponse(new EmulatorError("FILE_NOT_FOUND", "The download link is unknown or has expired"));
    const text = JSON.stringify(body);
    res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "Content-Length": Buffer.byteLength(text) });
    res.end(text);
    return true;
  }
  sendFile(req, res, file);
  return true;
}

/**
 * The bytes as an attachment, typed by their first chunk (file-headers.ts); a read that fails midway
 * cuts the connection, so no client takes a short file for whole.
 */
export function sendFile(req: IncomingMessage, res: ServerResponse, file: DownloadedFile): void {
  const bytes = file.stream();
  bytes.once("error", () => res.destroy());
  let started = false;
  const start = (head: Buffer) => {
    started = true;
    res.writeHead(200, fileHeaders(file, head));
    if (req.method === "HEAD") {
      bytes.destroy();
      res.end();
      return;
    }
    res.write(head);
    bytes.pipe(res);
  };
  bytes.once("data", (head: Buffer) => {
    bytes.pause();
    start(head);
  });
  bytes.once("end", () => {
    if (!started) start(Buffer.alloc(0));
  });
}
