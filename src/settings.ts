import type { ErrorCode } from "./errors/catalogue.js";
import type { OverlongPolicy } from "./domain/text.js";
import type { RateLimitSetting } from "./rest/rate-limit.js";
import { DEFAULT_ANSWER_WINDOW_SECONDS } from "./domain/answer-window.js";

/**
 * Fidelity switches: where portals differ across revisions or the docs are silent, the default is
 * the current documented behaviour and the switch selects the other (README, "Fidelity notes").
 */
export interface FidelitySettings {
  /** `nested`: `{"result":{"result":true}}` (docs since 2026-06-05); `bare`: `{"result":true}`. */
  booleanResultShape: "nested" | "bare";
  /** Text over 20,000 code points: refuse with COMMAND_ANSWER_FAILED, or truncate as the server does. */
  overlongMessage: OverlongPolicy;
  /** How long a command invocation may be answered; 0 = forever. */
  answerWindowSeconds: number;
  /** Refuse a Command.answer whose dialogId is not the command message's dialog. */
  strictDialogId: boolean;
  /** Refuse webhook calls over plain http with INVALID_REQUEST, as a cloud portal does. */
  requireHttps: boolean;
  /** Event.get also answers `lastEventId`, as before BOT-BC-0325-1 (spec OPEN-E5). */
  eventGetLegacy: boolean;
  /** REST rate limit: off, or the leaky bucket of a standard or enterprise plan (QUERY_LIMIT_EXCEEDED). */
  rateLimit: RateLimitSetting;
  /** HTTP status per error code where the docs leave it open (default 400 for method errors). */
  statusOverrides: Partial<Record<ErrorCode, number>>;
  /** Refuse calls the conformance report flags (unknown or coerced params, legacy forms) with CONFORMANCE_VIOLATION. */
  strict: boolean;
  /**
   * Legacy forms past their end of support (flat Command.register after 2026-09-30) stop working on
   * the portal's clock, as the change log allows (spec v2-complete.md correction k, OPEN-N8).
   */
  enforceBcSunset: boolean;
  /** The imbot.v2 REST revision emulated (spec revisions.md); below 33 Revision.get does not exist. */
  restRevision: number;
  /** Seconds an OAuth access token lives, on its portal's clock (docs: 3600). */
  accessTokenTtl: number;
  /** Seconds an OAuth refresh token lives (docs: 180 days). */
  refreshTokenTtl: number;
  /**
   * Largest file File.upload and a person's file take, decoded (docs: 100 MiB); the base64 is refused
   * with FILE_TOO_LARGE past 4/3 of it, before decoding. Lower it to meet FILE_TOO_LARGE cheaply.
   */
  maxFileBytes: number;
  /** Chat `textFieldEnabled` as the server's JSON boolean instead of the docs' "Y"/"N" (spec OPEN-N6). */
  serverShapes: boolean;
  /**
   * How Chat.Message.send refuses a bad attach or keyboard: `server`, PARAM_ATTACH_ERROR and
   * PARAM_KEYBOARD_ERROR as the server answers; `docs`, the docs' ATTACH_ERROR / ATTACH_OVERSIZE
   * (and ERROR_ARGUMENT naming the keyboard). Spec v2-complete.md §4 e.
   */
  attachErrorCodes: "server" | "docs";
  /** The binder's error code as the JSON number 100, as REST before 25.700 sent it (spec §4 b); default the text "100". */
  numericBinderCode: boolean;
  /** Chat.update is ACCESS_DENIED in chat and open chats, as the server's role table has it (spec OPEN-N1). */
  strictChatUpdate: boolean;
}

export const DEFAULT_FIDELITY: FidelitySettings = {
  booleanResultShape: "nested",
  overlongMessage: "reject",
  answerWindowSeconds: DEFAULT_ANSWER_WINDOW_SECONDS,
  strictDialogId: false,
  requireHttps: false,
  statusOverrides: {},
  restRevision: 36,
  rateLimit: "off",
  eventGetLegacy: false,
  accessTokenTtl: 3600,
  refreshTokenTtl: 180 * 24 * 3600,
  maxFileBytes: 100 * 1024 * 1024,
  strict: false,
  enforceBcSunset: false,
  serverShapes: false,
  attachErrorCodes: "server",
  numericBinderCode: false,
  strictChatUpdate: false,
};

/**
 * Switches that cannot hold together, said in one line; null when they can. `strict` holds every
 * call to the current contract, while `eventGetLegacy` makes the emulator answer a legacy form
 * (lastEventId) that the same report flags, so a strict run would report its own answers.
 */
export function contradiction(settings: Pick<FidelitySettings, "strict" | "eventGetLegacy">): string | null {
  if (settings.strict && settings.eventGetLegacy) {
    return "--strict (strict) and --event-get-legacy (eventGetLegacy) contradict each other: the first holds calls to the current contract, the second answers the legacy lastEventId it flags; choose one";
  }
  return null;
}

/**
 * The settings in force: every switch the options leave out takes its default from
 * DEFAULT_FIDELITY, the one place defaults live. `rateLimitStatus` is shorthand for one override.
 */
export function resolveSettings(options: Partial<FidelitySettings> & { rateLimitStatus?: 503 | 429 }): FidelitySettings {
  const given = Object.fromEntries(
    (Object.keys(DEFAULT_FIDELITY) as (keyof FidelitySettings)[]).filter((key) => options[key] !== undefined).map((key) => [key, options[key]]),
  ) as Partial<FidelitySettings>;
  return {
    ...DEFAULT_FIDELITY,
    ...given,
    statusOverrides: {
      ...DEFAULT_FIDELITY.statusOverrides,
      ...(options.rateLimitStatus === 429 ? { QUERY_LIMIT_EXCEEDED: 429 } : {}),
      ...options.statusOverrides,
    },
  };
}
