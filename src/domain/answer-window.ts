/**
 * A bot may answer commands in a dialog while its window there is open (spec v2-complete.md §4 a,
 * server-source `im/lib/bot/token.php`): one window per (bot, chat), which every command of that
 * bot in that chat (typed or pressed) sets to now + 10 minutes. While it is open, any of the bot's
 * commands and any message of the chat may be answered. In the bot's own 1:1 dialog a person's
 * message can always be answered (the portal names that dialog by the bot itself, which always
 * holds), but a message the bot wrote there, e.g. the one whose button was pressed, names the person's
 * side of the dialog and needs the window like any chat.
 * `expiresAt: null` never expires: the default fixture's window uses it so doc examples run forever.
 */
export interface AnswerGrant {
  botId: number;
  chatId: number;
  expiresAt: string | null;
}

export const DEFAULT_ANSWER_WINDOW_SECONDS = 600;

export function isGrantOpen(grant: { expiresAt: string | null }, now: Date): boolean {
  return grant.expiresAt === null || Date.parse(grant.expiresAt) > now.getTime();
}

/** Whether `botId` may answer, in `chat`, a message written by `authorId` now. */
export function isAnswerWindowOpen(
  grants: readonly AnswerGrant[],
  botId: number,
  chat: { id: number; type: string; members: readonly number[] },
  authorId: number,
  now: Date,
): boolean {
  if (chat.type === "private" && chat.members.includes(botId) && authorId !== botId) return true;
  return grants.some((g) => g.botId === botId && g.chatId === chat.id && isGrantOpen(g, now));
}

/** A window that closes `seconds` after `now`; 0 or less means it never closes. */
export function grantExpiry(now: Date, seconds: number): string | null {
  return seconds > 0 ? new Date(now.getTime() + seconds * 1000).toISOString() : null;
}

/** The later of two expiries (null = never): a command never shortens an open window. */
export function laterExpiry(a: string | null, b: string | null): string | null {
  if (a === null || b === null) return null;
  return Date.parse(a) >= Date.parse(b) ? a : b;
}
