/**
 * Every error the emulator can answer with: Bitrix code, HTTP status, default description.
 * System codes and their statuses follow the REST docs' system-error table; method-level codes
 * default to 400 because the docs never give a per-code status (spec OPEN-R5).
 * Codes marked "emulator" do not exist on a real portal: they cover what a portal would answer
 * with HTML or silence, so that every answer stays JSON.
 */
export const ERROR_CATALOGUE = {
  // System errors (any method)
  INTERNAL_SERVER_ERROR: { status: 500, description: "Internal server error" },
  ERROR_METHOD_NOT_FOUND: { status: 404, description: "Method not found!" },
  NO_AUTH_FOUND: { status: 401, description: "Wrong authorization data" },
  expired_token: { status: 401, description: "The access token provided has expired" },
  insufficient_scope: {
    status: 403,
    description: "The request requires higher privileges than provided by the access token",
  },
  INVALID_REQUEST: { status: 400, description: "Https required" },
  QUERY_LIMIT_EXCEEDED: { status: 503, description: "Too many requests" },

  // Bot-level errors shared by every imbot.v2 method, in check order
  BOT_TOKEN_NOT_SPECIFIED: { status: 400, description: "Bot token is not specified" },
  BOT_ID_REQUIRED: { status: 400, description: "Bot ID is required" },
  BOT_NOT_FOUND: { status: 400, description: "Bot not found" },
  BOT_OWNERSHIP_ERROR: { status: 400, description: "Bot is registered by another application" },

  // imbot.v2.Command.answer
  COMMAND_NOT_FOUND: { status: 400, description: "Command not found" },
  COMMAND_ANSWER_FAILED: { status: 400, description: "Command answer failed" },
  ATTACH_ERROR: { status: 400, description: "Incorrect attach params" },
  ATTACH_OVERSIZE: {
    status: 400,
    description: "You have exceeded the maximum allowable size of attach (60000 characters)",
  },
  ERROR_ARGUMENT: { status: 400, description: "Invalid argument" },

  // emulator: transport edges a portal answers with HTML or not at all
  ERROR_UNSUPPORTED_TRANSPORT: { status: 400, description: "Only the JSON transport is emulated" },
  INVALID_REQUEST_BODY: { status: 400, description: "The request body could not be decoded" },
  REQUEST_TOO_LARGE: { status: 413, description: "The request body is larger than the configured limit" },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, description: "Unsupported request content type" },
  NOT_FOUND: { status: 404, description: "No such path on this emulator" },
} as const satisfies Record<string, { status: number; description: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_CATALOGUE, code);
}
