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
  // A token of an app uninstalled from the portal (spec oauth.md §5: 401, as b24pysdk groups it).
  APPLICATION_NOT_FOUND: { status: 401, description: "Application not found" },
  insufficient_scope: {
    status: 403,
    description: "The request requires higher privileges than provided by the access token",
  },
  INVALID_REQUEST: { status: 400, description: "Https required" },
  QUERY_LIMIT_EXCEEDED: { status: 503, description: "Too many requests" },
  // emulator: the data folder refused a write (disk full, read-only, I/O error); nothing was changed
  STORAGE_UNAVAILABLE: { status: 503, description: "Storage is unavailable; the change was not made" },
  ERROR_BATCH_METHOD_NOT_ALLOWED: { status: 405, description: "Method is not allowed for batch usage" },
  ERROR_BATCH_LENGTH_EXCEEDED: { status: 400, description: "Max batch length exceeded" },

  // The controller binder (spec v2-complete.md §4 b): a required parameter absent or of the wrong
  // type. The code is the text "100" since REST 25.700 (numeric before; switch numericBinderCode).
  "100": { status: 400, description: "Could not find value for parameter" },

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
  // imbot.v2.Chat.Message.send as the server answers a bad attach or keyboard (spec v2-complete §4 e)
  PARAM_ATTACH_ERROR: { status: 400, description: "Incorrect attach params" },
  PARAM_KEYBOARD_ERROR: { status: 400, description: "Incorrect keyboard params" },
  // event.* (spec v1.md §8)
  ERROR_EVENT_NOT_FOUND: { status: 400, description: "Event not found" },
  WRONG_AUTH_TYPE: { status: 403, description: "Current authorization type is denied for this method" },

  // imbot.v2.Bot.*
  BOT_CODE_REQUIRED: { status: 400, description: "Bot code is required" },
  BOT_PROPERTIES_REQUIRED: { status: 400, description: "Bot properties with a name are required" },
  BOT_INVALID_EVENT_MODE: { status: 400, description: "Event mode must be fetch or webhook" },
  BOT_WEBHOOK_URL_REQUIRED: { status: 400, description: "webhookUrl is required in webhook event mode" },
  BOT_CODE_ALREADY_TAKEN: { status: 400, description: "A bot with this code is registered by another application" },
  BOT_LIMIT_EXCEEDED: { status: 400, description: "The application has reached the limit of 100 bots" },
  BOT_INVALID_TYPE: { status: 400, description: "Bot type must be bot, supervisor, personal, openline or network" },
  BOT_INVALID_CALLBACK: { status: 400, description: "The handler URL is not an absolute http(s) URL" },
  BOT_AVATAR_INCORRECT_TYPE: { status: 400, description: "The avatar is not an image" },
  BOT_AVATAR_INCORRECT_SIZE: { status: 400, description: "The avatar is larger than 5000x5000 pixels" },
  BOT_REGISTER_FAILED: { status: 400, description: "Bot registration failed" },
  BOT_TOKEN_INVALID_LENGTH: { status: 400, description: "botToken must be at most 40 characters" },
  BOT_TOKEN_ROTATION_FAILED: { status: 400, description: "Bot token rotation failed" },
  BOT_UNREGISTER_FAILED: { status: 400, description: "Bot unregistration failed" },
  PARAMS_REQUIRED: { status: 400, description: "botId or code is required" },
  CLIENT_ID_NOT_SPECIFIED: { status: 400, description: "Client ID is not specified" },

  // imbot.v2.Command.register/update/list/unregister
  COMMAND_REQUIRED: { status: 400, description: "Command name is required" },
  COMMAND_NAME_INVALID: { status: 400, description: "Command name must be a string" },
  COMMAND_NAME_EMPTY: { status: 400, description: "Command name is empty" },
  COMMAND_TITLE_REQUIRED: { status: 400, description: "A visible command needs a title" },
  COMMAND_TITLE_INVALID: { status: 400, description: "Command title must be an object of language: text" },
  COMMAND_ALREADY_EXISTS: { status: 400, description: "The bot already has a command with this name" },
  COMMAND_REGISTER_FAILED: { status: 400, description: "Command registration failed" },

  // imbot.v2.Chat.* and Chat.Message.*; imbot v1 answers it with 403 when CLIENT_ID is missing
  ACCESS_DENIED: { status: 400, description: "Access denied", alternateStatus: 403 },
  EMPTY_MESSAGE: { status: 400, description: "Message is empty" },
  SENDING_FAILED: { status: 400, description: "Message sending failed" },
  // Chat.Message.send forwardIds: over 100 messages, or a key that is not a UUID (server MessageError).
  TOO_MANY_MESSAGES: { status: 400, description: "Too many messages" },
  WRONG_UUID: { status: 400, description: "Wrong uuid" },
  EMPTY_USER_IDS: { status: 400, description: "userIds must list at least one user" },
  CHAT_NOT_FOUND: { status: 400, description: "Chat not found" },
  MESSAGE_NOT_FOUND: { status: 400, description: "Message not found" },
  // A message from before the bot joined its chat (spec v2-complete §1, server Message::checkAccess)
  MESSAGE_ACCESS_DENIED: { status: 400, description: "Access to the message is denied" },
  REACTION_NOT_FOUND: { status: 400, description: "Reaction not found" },
  REACTION_ALREADY_SET: { status: 400, description: "Reaction already set" },
  BOT_TYPE_NOT_ALLOWED: { status: 400, description: "Bot type not allowed" },
  // A person typing while a bot has switched the chat's input field off (Chat.TextField.enabled).
  TEXT_FIELD_DISABLED: { status: 400, description: "The chat's text field is disabled" },
  // A context sent to a chat without bots (im.v2.Chat.Bot.sendContext; the control API's context act).
  BOT_CONTEXT_ERROR: { status: 400, description: "There is no bot in this chat to send the context to" },

  // imbot.v2.File.upload / File.download (spec v2-complete.md §2)
  FILE_EMPTY: { status: 400, description: "File name or content is empty" },
  FILE_TOO_LARGE: { status: 400, description: "File is too large (more than 100 MiB)" },
  FILE_INVALID_CONTENT: { status: 400, description: "File content is not valid base64" },
  FILE_NOT_FOUND: { status: 400, description: "File not found" },
  FILE_ACCESS_ERROR: { status: 400, description: "The bot has no access to this file" },

  // imbot.v2.Event.get
  SCOPE_ERROR: { status: 400, description: "withUserEvents needs the im scope" },
  AUTH_ERROR: { status: 400, description: "withUserEvents needs a user" },
  USER_NOT_SUBSCRIBED: { status: 400, description: "The user is not subscribed to im.v2 events" },

  // imbot v1 (imbot.*) and the generic methods bots call beside it (spec v1.md)
  BOT_ID_ERROR: { status: 400, description: "Bot not found" },
  APP_ID_ERROR: { status: 400, description: "Bot was installed by another rest application" },
  EVENT_MESSAGE_ADD_ERROR: { status: 400, description: "Handler for \"Message add\" event isn't specified" },
  EVENT_MESSAGE_UPDATE_ERROR: { status: 400, description: "Wrong handler URL" },
  EVENT_MESSAGE_DELETE_ERROR: { status: 400, description: "Wrong handler URL" },
  EVENT_WELCOME_MESSAGE_ERROR: { status: 400, description: "Handler for \"Welcome message\" event isn't specified" },
  EVENT_BOT_DELETE_ERROR: { status: 400, description: "Handler for \"Bot delete\" event isn't specified" },
  CODE_ERROR: { status: 400, description: "Bot code isn't specified" },
  MAX_COUNT_ERROR: { status: 400, description: "Has reached the maximum number of bots for application (max: 5)" },
  NAME_ERROR: { status: 400, description: "Bot name isn't specified" },
  WRONG_REQUEST: { status: 400, description: "Wrong request" },
  EVENT_COMMAND_ADD_ERROR: { status: 400, description: "Handler for \"Command add\" event isn't specified" },
  COMMAND_ERROR: { status: 400, description: "Command isn't specified" },
  COMMAND_ID_ERROR: { status: 400, description: "Command not found" },
  LANG_ERROR: { status: 400, description: "Lang set can't be empty" },
  MESSAGE_ID_EMPTY: { status: 400, description: "Message ID can't be empty" },
  MESSAGE_ID_ERROR: { status: 400, description: "Message ID can't be empty" },
  CANT_EDIT_MESSAGE: { status: 403, description: "Time has expired for modification or you don't have access" },
  CHAT_ID_EMPTY: { status: 400, description: "Chat ID can't be empty" },
  ACCESS_ERROR: { status: 403, description: "Action unavailable", alternateStatus: 400 },
  INVALID_FORMAT: { status: 400, description: "A wrong format for the USERS field is passed" },
  USER_ID_EMPTY: { status: 400, description: "User ID can't be empty" },
  TITLE_EMPTY: { status: 400, description: "Title can't be empty" },
  WRONG_COLOR: { status: 400, description: "This color isn't available" },
  AVATAR_ERROR: { status: 400, description: "Avatar incorrect" },
  ID_EMPTY: { status: 400, description: "User ID can't be empty" },
  USER_NOT_EXISTS: { status: 400, description: "User not exists" },
  FIRST_ID_STRING: { status: 400, description: "First ID can't be string" },
  LAST_ID_STRING: { status: 400, description: "Last ID can't be string" },
  WITHOUT_CHANGES: { status: 400, description: "Action completed without changes" },
  MESSAGE_EMPTY: { status: 400, description: "Message can't be empty" },
  DIALOG_ID_EMPTY: { status: 400, description: "Dialog ID can't be empty" },
  KEYBOARD_ERROR: { status: 400, description: "Incorrect keyboard params" },
  KEYBOARD_OVERSIZE: { status: 400, description: "You have exceeded the maximum allowable size of keyboard" },
  MENU_ERROR: { status: 400, description: "Incorrect menu params" },
  MENU_OVERSIZE: { status: 400, description: "You have exceeded the maximum allowable size of menu" },

  // emulator control API (/_emulator)
  PORTAL_NOT_FOUND: { status: 404, description: "No such portal" },
  PORTAL_ALREADY_EXISTS: { status: 409, description: "A portal with this id exists" },
  INVALID_FIXTURE: { status: 400, description: "The fixture is invalid" },
  CONTROL_ARGUMENT: { status: 400, description: "Invalid control API request" },
  CONTROL_NOT_FOUND: { status: 404, description: "No such object in this portal" },
  WAIT_LIMIT_EXCEEDED: { status: 429, description: "Too many long-polls are waiting already" },
  PORTAL_LIMIT_EXCEEDED: { status: 429, description: "The emulator holds as many portals as it may (--max-portals)" },
  WAIT_TIMEOUT: { status: 408, description: "Nothing matching appeared before the timeout" },
  CONTROL_UNAUTHORIZED: { status: 401, description: "The control API needs the admin key (X-Emulator-Key header)" },

  // OAuth server (/oauth/token/, /oauth/authorize/; spec oauth.md §3, statuses OPEN-O4)
  invalid_request: { status: 400, description: "The request is missing a parameter or has an unsupported one" },
  invalid_client: { status: 401, description: "Unknown client_id or wrong client_secret" },
  invalid_grant: { status: 400, description: "The code or refresh token is invalid, expired or already used" },

  // emulator: transport edges a portal answers with HTML or not at all
  ERROR_UNSUPPORTED_TRANSPORT: { status: 400, description: "Only the JSON transport is emulated" },
  INVALID_REQUEST_BODY: { status: 400, description: "The request body could not be decoded" },
  CONFORMANCE_VIOLATION: { status: 400, description: "The call deviates from the documented contract (--strict)" },
  REQUEST_TOO_LARGE: { status: 413, description: "The request body is larger than the configured limit" },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, description: "Unsupported request content type" },
  NOT_FOUND: { status: 404, description: "No such path on this emulator" },
  HTTP_METHOD_NOT_ALLOWED: { status: 405, description: "REST methods are called with GET or POST" },
  MALFORMED_REQUEST: { status: 400, description: "The request is not valid HTTP/1.1" },
  REQUEST_TIMEOUT: { status: 408, description: "The request did not arrive in full in time" },
  HEADERS_TOO_LARGE: { status: 431, description: "The request headers are too large" },
  HOST_NOT_ALLOWED: { status: 403, description: "The Host header names no host this emulator answers (--allowed-hosts)" },
  ORIGIN_NOT_ALLOWED: { status: 403, description: "A web page from another site may not call the emulator (--allowed-origins)" },
} as const satisfies Record<string, CatalogueEntry>;

/**
 * `alternateStatus`: a portal answers a few codes with a second status in some methods (v1's
 * missing CLIENT_ID is a 403 ACCESS_DENIED; dialog.get's unresolved chat a 400 ACCESS_ERROR).
 * The throwing code picks it explicitly; nothing else may.
 */
interface CatalogueEntry {
  status: number;
  description: string;
  alternateStatus?: number;
}

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_CATALOGUE, code);
}
