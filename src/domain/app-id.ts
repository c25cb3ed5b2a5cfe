/** Client ids of the per-bot OAuth apps the emulator creates for webhook-registered bots. */
export const SYNTHETIC_CLIENT_PREFIX = "custom";

/** The first REST revision whose bot objects no longer name the bot's app (change log BOT-FIX-0501-3). */
export const APP_ID_REMOVED_IN_REVISION = 35;

/**
 * `bot.appId` as revisions before 35 showed it (spec OPEN-V1): the owning OAuth app's client id,
 * which for a webhook-registered bot is its synthetic `custom...` app. The botToken is a secret of
 * the bot's owner and never appears; a bot with no app at all gets a `custom` id made from its id.
 */
export function appIdOf(bot: { id: number; clientId: string | null }): string {
  return bot.clientId ?? `${SYNTHETIC_CLIENT_PREFIX}${bot.id}`;
}

/** Whether bot objects carry `appId` in the emulated revision. */
export function showsAppId(restRevision: number): boolean {
  return restRevision < APP_ID_REMOVED_IN_REVISION;
}
