/** Bitrix counts message length in Unicode code points (PHP mb_strlen over UTF-8), not UTF-16 units. */
export function codePointLength(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

export function truncateCodePoints(text: string, max: number): string {
  let out = "";
  let count = 0;
  for (const ch of text) {
    if (count === max) break;
    out += ch;
    count++;
  }
  return out;
}

export const MAX_MESSAGE_LENGTH = 20_000;
const TRUNCATION_SUFFIX = " (...)";
/** The portal leaves text up to this many code points untouched before truncating (server-source). */
const TRUNCATION_SLACK = TRUNCATION_SUFFIX.length;

/** What the portal does to message text before storing it: trim, and line-break markers become "\n". */
export function normaliseMessageText(text: string): string {
  return text.trim().replace(/\[br\]|#BR#/gi, "\n");
}

export type OverlongPolicy = "reject" | "truncate";

/**
 * Applies the 20,000 code-point limit. Returns the text to store, or null when the policy rejects it.
 * Truncation mimics the server: untouched up to 20,006, then 20,000 code points plus " (...)".
 */
export function applyLengthLimit(text: string, policy: OverlongPolicy): string | null {
  const length = codePointLength(text);
  if (length <= MAX_MESSAGE_LENGTH) return text;
  if (policy === "reject") return null;
  if (length <= MAX_MESSAGE_LENGTH + TRUNCATION_SLACK) return text;
  return truncateCodePoints(text, MAX_MESSAGE_LENGTH) + TRUNCATION_SUFFIX;
}
