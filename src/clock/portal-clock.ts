import type { Portal } from "../store/state.js";

/** A portal's now: the emulator's clock plus the portal's own offset (0 until its clock is moved). */
export function portalNow(globalNow: Date, portal: Pick<Portal, "clockOffsetMs">): Date {
  return new Date(globalNow.getTime() + (portal.clockOffsetMs ?? 0));
}
