import type { Portal } from "./state.js";

/**
 * A person did something on the portal (posted, pressed, reacted, read, opened a dialog...): their
 * User object's `lastActivityDate` becomes that instant on the portal's clock, as the docs' event
 * examples show the author active at the time of the message (README Fidelity notes). Bots act
 * through REST, never log in, and keep `false`.
 */
export function noteActivity(portal: Portal, userId: number, now: Date): void {
  const user = portal.users[userId];
  if (user && !user.bot) user.lastActivityDate = now.toISOString();
}
