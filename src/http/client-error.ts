import { STATUS_CODES, type Server } from "node:http";
import type { Socket } from "node:net";
import type { ErrorCode } from "../errors/catalogue.js";
import { EmulatorError } from "../errors/emulator-error.js";
import { errorResponse } from "../rest/envelope.js";

/**
 * What node's HTTP parser could not read never reaches express; by default node answers it with an
 * empty body. Clients and the fuzzer expect JSON from every answer, so the parser's refusals use the
 * same envelope as everything else. Parser codes are llhttp's (`HPE_*`) and node's own.
 */
export function answerParserErrorsWithJson(server: Server): void {
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Socket) => {
    // Nothing sensible can be said on a socket that is gone or already mid-answer.
    if (error.code === "ECONNRESET" || !socket.writable || socket.bytesWritten > 0) {
      socket.destroy();
      return;
    }
    const { status, body } = errorResponse(parserRefusal(error.code));
    const text = JSON.stringify(body);
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? "Error"}\r\n` +
        "Content-Type: application/json; charset=utf-8\r\n" +
        `Content-Length: ${Buffer.byteLength(text)}\r\n` +
        "Connection: close\r\n\r\n" +
        text,
    );
  });
}

function parserRefusal(code: string | undefined): EmulatorError {
  const known = PARSER_REFUSALS[code ?? ""];
  if (known) return new EmulatorError(known.code, known.description);
  return new EmulatorError("MALFORMED_REQUEST", `The request is not valid HTTP/1.1 (${code ?? "unreadable"})`);
}

const PARSER_REFUSALS: Record<string, { code: ErrorCode; description: string }> = {
  HPE_HEADER_OVERFLOW: {
    code: "HEADERS_TOO_LARGE",
    description: "The request line and headers are larger than the server accepts (16 KiB, node's --max-http-header-size)",
  },
  HPE_CHUNK_EXTENSIONS_OVERFLOW: { code: "REQUEST_TOO_LARGE", description: "The chunk extensions of the request body are too large" },
  ERR_HTTP_REQUEST_TIMEOUT: { code: "REQUEST_TIMEOUT", description: "The request did not arrive in full within the server's request timeout" },
};
