import { performance } from "node:perf_hooks";

/** How an emulator keeps time: the system clock (default), or an instant that moves only when told. */
export interface ClockSettings {
  /** Where time comes from; default the system clock. */
  base?: () => Date;
  /** Start the clock here instead of at the system's now. */
  start?: Date;
  /** Time stands still (at `start`, or at start-up) and moves only through the control API. */
  frozen?: boolean;
}

/**
 * The global clock of one emulator. Every portal's time is this plus the portal's own offset, so
 * moving it moves every portal. A frozen clock also measures every duration as 0, which makes the
 * `time` blocks, journals and delivery logs of two runs byte-identical.
 */
export class EmulatorClock {
  readonly frozen: boolean;
  private readonly base: () => Date;
  private offsetMs = 0;

  constructor(settings: ClockSettings = {}) {
    this.frozen = settings.frozen ?? false;
    const base = settings.base ?? (() => new Date());
    if (this.frozen) {
      const instant = (settings.start ?? base()).getTime();
      this.base = () => new Date(instant);
    } else if (settings.start) {
      const shift = settings.start.getTime() - base().getTime();
      this.base = () => new Date(base().getTime() + shift);
    } else {
      this.base = base;
    }
  }

  now(): Date {
    return new Date(this.base().getTime() + this.offsetMs);
  }

  /** How far the control API has moved the clock, in seconds. */
  get offsetSeconds(): number {
    return this.offsetMs / 1000;
  }

  /** Moves the clock by `seconds` (negative goes back). */
  advance(seconds: number): void {
    this.offsetMs += seconds * 1000;
  }

  /** A stopwatch started now: milliseconds since, or always 0 under a frozen clock. */
  stopwatch(): () => number {
    if (this.frozen) return () => 0;
    const started = performance.now();
    return () => performance.now() - started;
  }
}

/**
 * Answers carry Unix seconds (never negative) and ISO 8601 dates with four-digit years: a clock moved
 * outside 1970-9999 (or past what a Date can hold) would leave every later call without a valid now.
 */
export function isRepresentable(ms: number): boolean {
  const year = new Date(ms).getUTCFullYear();
  return ms >= 0 && year <= 9999;
}
