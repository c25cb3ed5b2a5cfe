import type { IncomingMessage } from "node:http";
import type { Readable } from "node:stream";
import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";
import { EmulatorError } from "../errors/emulator-error.js";

/** The client went away mid-body: there is nobody left to answer. */
export class RequestAbortedError extends Error {}

/**
 * Reads a request body (decompressing gzip, deflate or br) up to `limit` bytes. Over the limit it
 * stops reading at once, so an oversized upload costs no more than the limit.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return Promise.reject(tooLarge(limit));
  }
  let source: Readable = req;
  const encoding = (req.headers["content-encoding"] ?? "identity").toLowerCase().trim();
  if (encoding === "gzip" || encoding === "x-gzip") source = req.pipe(createGunzip());
  else if (encoding === "deflate") source = req.pipe(createInflate());
  else if (encoding === "br") source = req.pipe(createBrotliDecompress());
  else if (encoding !== "identity" && encoding !== "") {
    req.resume();
    return Promise.reject(new EmulatorError("INVALID_REQUEST_BODY", `Content-Encoding "${encoding}" is not supported`));
  }

  // A declared length (uncompressed) is read straight into one buffer: a 140 MB upload is then held
  // once, not once in chunks and again concatenated. The buffer is resizable so that its decoder can
  // give the memory back the moment it has the text (rest/decode-body.ts), not when the GC runs.
  const whole = source === req && Number.isFinite(declared) && declared > 64 * 1024 ? Buffer.from(resizableStore(declared)) : null;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    // Every listener closes over the body: all go once it is settled, or the request would keep
    // the body alive after the caller has let go of it.
    const detach = () => {
      source.off("data", onData);
      source.off("end", onEnd);
      source.off("error", onError);
      req.off("aborted", onAborted);
    };
    const fail = (error: Error) => {
      detach();
      if (source !== req) source.destroy();
      req.resume();
      reject(error);
    };
    function onData(chunk: Buffer) {
      size += chunk.length;
      if (size > limit) fail(tooLarge(limit));
      else if (!whole) chunks.push(chunk);
      // node's parser never passes more than Content-Length; the check only keeps the copy in bounds.
      else if (size > whole.length) fail(new EmulatorError("INVALID_REQUEST_BODY", "The request body is longer than its Content-Length"));
      else chunk.copy(whole, size - chunk.length);
    }
    function onEnd() {
      detach();
      if (whole) resolve(whole.subarray(0, size));
      else resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks));
    }
    function onError(error: NodeJS.ErrnoException) {
      fail(new EmulatorError("INVALID_REQUEST_BODY", `The request body could not be read (${error.code ?? error.message})`));
    }
    function onAborted() {
      fail(new RequestAbortedError("client aborted"));
    }
    source.on("data", onData);
    source.once("end", onEnd);
    source.once("error", onError);
    req.once("aborted", onAborted);
  });
}

function resizableStore(length: number): ArrayBuffer {
  // ES2024's resizable ArrayBuffer, which node 20 has but the ES2023 lib does not describe.
  const Resizable = ArrayBuffer as unknown as new (length: number, options: { maxByteLength: number }) => ArrayBuffer;
  return new Resizable(length, { maxByteLength: length });
}

function tooLarge(limit: number): EmulatorError {
  return new EmulatorError("REQUEST_TOO_LARGE", `The request body exceeds the limit of ${limit} bytes`);
}
