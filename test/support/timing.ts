/**
 * How early a Node timer may fire when read against the wall clock: both sides are rounded to the
 * millisecond, so a wait of N ms can measure N - 1. Tests that check a delay happened allow this
 * much; how long things take belongs in `npm run bench`, not in a test.
 */
export const TIMER_SLACK_MS = 5;
