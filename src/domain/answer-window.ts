/**
 * Issuing a command grants its bot a window to answer that message (server-source: 10 minutes).
 * `expiresAt: null` never expires: the default fixture's grant uses it so doc examples run forever.
 */
export interface AnswerGrant {
  botId: number;
  commandId: number;
  messageId: number;
  expiresAt: string | null;
}

export const DEFAULT_ANSWER_WINDOW_SECONDS = 600;

export function isGrantOpen(grant: AnswerGrant, now: Date): boolean {
  return grant.expiresAt === null || Date.parse(grant.expiresAt) > now.getTime();
}

export function findOpenGrant(
  grants: readonly AnswerGrant[],
  key: { botId: number; commandId: number; messageId: number },
  now: Date,
): AnswerGrant | undefined {
  return grants.find(
    (g) =>
      g.botId === key.botId &&
      g.commandId === key.commandId &&
      g.messageId === key.messageId &&
      isGrantOpen(g, now),
  );
}

/** A window that closes `seconds` after `now`; 0 or less means it never closes. */
export function grantExpiry(now: Date, seconds: number): string | null {
  return seconds > 0 ? new Date(now.getTime() + seconds * 1000).toISOString() : null;
}
