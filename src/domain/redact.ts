/**
 * Secrets kept out of everything the emulator shows or prints (journal, deliveries, access and
 * error logs): webhook codes, access, refresh and application tokens, botTokens, client secrets and
 * `CLIENT_ID` values (imbot v1's bot secret). Names are matched without case, `_` or `-`, except
 * `CLIENT_ID`, which is a secret only in capitals: OAuth's lower-case `client_id` is public.
 */
const SECRET_NAMES = new Set(["auth", "bottoken", "accesstoken", "refreshtoken", "applicationtoken", "clientsecret"]);
const V1_BOT_SECRET = "CLIENT_ID";

export const MASK = "***";

/** Nesting beyond this is masked whole: nothing the journal keeps is left unread. */
const MAX_DEPTH = 40;

/** A parameter name that holds a secret; PHP form keys (`auth[access_token]`) by their last part. */
export function isSecretName(key: string): boolean {
  const last = /\[([^[\]]*)\]$/.exec(key)?.[1] ?? key;
  return SECRET_NAMES.has(normalName(last)) || SECRET_NAMES.has(normalName(key)) || last === V1_BOT_SECRET;
}

function normalName(name: string): string {
  return name.toLowerCase().replace(/[_-]/g, "");
}

// `botToken=x`, `fields[botToken]=x`, `fields%5BbotToken%5D=x`, `"botToken":"x"`, `'auth': 'x'`.
const SECRET_PAIR =
  /(?<=^|[^a-z0-9]|%5b)(auth|bot[_-]?token|access[_-]?token|refresh[_-]?token|application[_-]?token|client[_-]?secret)((?:\]|%5D)*["']?\s*(?:=|:)\s*["']?)([^&\s"',;}\]]+)/gi;
const V1_PAIR = /(?<=^|[^A-Za-z0-9]|%5B)(CLIENT_ID)((?:\]|%5D)*["']?\s*(?:=|:)\s*["']?)([^&\s"',;}\]]+)/g;
// The code of a webhook URL: `/rest/{userId}/{code}/{method}`.
const WEBHOOK_CODE = /(\/rest\/+[^/\s?#"']+\/+)([^/\s?#"']+)(?=\/+[^/\s?#"']+)/gi;
// Bearer credentials quoted in a message.
const BEARER = /\b(Bearer\s+)[^\s"',;]+/gi;

/** Text with every secret it names masked: query strings, JSON, form bodies, URLs, log lines. */
export function redactText(text: string): string {
  return text.replace(SECRET_PAIR, `$1$2${MASK}`).replace(V1_PAIR, `$1$2${MASK}`).replace(WEBHOOK_CODE, `$1${MASK}`).replace(BEARER, `$1${MASK}`);
}

/**
 * A copy safe to show: values under secret names become "***", and every string, keys included,
 * is redacted as text (batch `cmd` strings, a JSON body sent as a form, which arrives as one key).
 */
export function redactValue(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return redactText(value);
  if (value === null || typeof value !== "object") return value;
  if (depth >= MAX_DEPTH) return MASK;
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    Object.defineProperty(out, redactText(key), {
      value: isSecretName(key) ? MASK : redactValue(child, depth + 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/** A URL with the secrets of its query string masked (a handler URL's path is the bot's own business). */
export function redactQuery(url: string): string {
  const start = url.indexOf("?");
  return start === -1 ? url : url.slice(0, start) + redactText(url.slice(start));
}

/** A request URL as the access log shows it: decoded (so `%31` hides nothing), no query string, secrets masked. */
export function redactUrlPath(url: string): string {
  const path = url.split("?")[0] ?? "";
  let decoded = path;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    // a path that is not valid percent-encoding is shown as sent, still masked
  }
  return redactText(decoded.replace(/\/{2,}/g, "/"));
}
