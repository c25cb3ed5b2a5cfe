/**
 * Legacy forms the change log marks breaking (BOT-BC-*): each keeps working six months after
 * publication, then "may stop without notice". The emulator keeps them working unless asked to
 * enforce the end of support on the portal's clock (spec v2-complete.md correction k, OPEN-N8).
 */
export const LEGACY_FORMS = {
  /** Command.register with its keys at the top level instead of in `fields`. */
  "flat-command-register": { change: "BOT-BC-0330-1", lastDay: "2026-09-30" },
  /** Event.get answering `lastEventId` beside `nextOffset`. */
  "last-event-id": { change: "BOT-BC-0325-1", lastDay: "2026-09-25" },
} as const;

export type LegacyForm = keyof typeof LEGACY_FORMS;

/** True once the form's last day of support (UTC) is over and enforcement is on. */
export function pastSunset(form: LegacyForm, now: Date, enforce: boolean): boolean {
  if (!enforce) return false;
  const dayAfter = Date.parse(`${LEGACY_FORMS[form].lastDay}T00:00:00Z`) + 86_400_000;
  return now.getTime() >= dayAfter;
}

/** How the conformance report names a legacy form and when it ends. */
export function legacyNote(form: LegacyForm): string {
  const { change, lastDay } = LEGACY_FORMS[form];
  return `${change}, supported until ${lastDay}`;
}
