import { isRepresentable } from "../clock/emulator-clock.js";
import { portalNow } from "../clock/portal-clock.js";
import { EmulatorError } from "../errors/emulator-error.js";
import type { Runtime } from "../runtime.js";
import { findPortal } from "./portals.js";
import { clockSchema, type ClockMove } from "./schemas.js";
import { parseControl } from "./validate.js";

/** A clock as the control API shows it: its now, and how far it was moved from its source. */
export interface ClockReading {
  now: string;
  /** Global clock: seconds moved by the control API. Portal clock: seconds ahead of the global clock. */
  offsetSeconds: number;
  /** True under `--clock frozen`: time moves only when told. */
  frozen: boolean;
}

export function readGlobalClock(runtime: Runtime): ClockReading {
  return { now: runtime.clock().toISOString(), offsetSeconds: runtime.time.offsetSeconds, frozen: runtime.time.frozen };
}

/** Moves every portal: each portal's time is the global clock plus its own offset. */
export function moveGlobalClock(runtime: Runtime, input: unknown): ClockReading {
  const move = parseControl(clockSchema, input);
  runtime.time.advance(secondsToMove(runtime.clock(), move));
  return readGlobalClock(runtime);
}

export function readPortalClock(runtime: Runtime, portalId: string): ClockReading {
  const portal = findPortal(runtime.store.state, portalId);
  if (!portal) throw new EmulatorError("PORTAL_NOT_FOUND", `No portal "${portalId}"`);
  return {
    now: portalNow(runtime.clock(), portal).toISOString(),
    offsetSeconds: (portal.clockOffsetMs ?? 0) / 1000,
    frozen: runtime.time.frozen,
  };
}

/**
 * Moves one portal's clock only; the offset is portal state, so it is persisted and survives a
 * restart of the file store. The move is journaled as `emulator.clock`, so a test can see it among
 * the calls it explains.
 */
export async function movePortalClock(runtime: Runtime, portalId: string, input: unknown): Promise<ClockReading> {
  const move = parseControl(clockSchema, input);
  const reading = await runtime.change(portalId, (portal, _sink, now) => {
    portal.clockOffsetMs = (portal.clockOffsetMs ?? 0) + secondsToMove(now, move) * 1000;
    return readPortalClock(runtime, portalId);
  });
  runtime.activity.record(portalId, {
    time: reading.now,
    httpMethod: "POST",
    method: "emulator.clock",
    params: { ...move },
    status: 200,
    error: null,
    durationMs: 0,
  });
  return reading;
}

/** The seconds that take a clock reading `now` to where the move asks. */
function secondsToMove(now: Date, move: ClockMove): number {
  const target = move.now !== undefined ? Date.parse(move.now) : now.getTime() + move.advanceSeconds * 1000;
  if (!isRepresentable(target)) {
    throw new EmulatorError("CONTROL_ARGUMENT", `${move.now !== undefined ? "now" : "advanceSeconds"}: the clock must stay within the years 1970 to 9999`);
  }
  return (target - now.getTime()) / 1000;
}
