import { isoWithOffset } from "./dates.js";

/** The `time` block of every success; the official JS SDK refuses a response without it. */
export interface TimeBlock {
  start: number;
  finish: number;
  duration: number;
  processing: number;
  date_start: string;
  date_finish: string;
}

/** Instants are on the portal's clock; under a frozen clock start = finish and both durations are 0. */
export function timeBlock(startMs: number, processingMs: number, finishMs: number): TimeBlock {
  const durationMs = Math.max(0, finishMs - startMs);
  return {
    start: startMs / 1000,
    finish: finishMs / 1000,
    duration: durationMs / 1000,
    processing: Math.min(processingMs, durationMs) / 1000,
    date_start: isoWithOffset(startMs),
    date_finish: isoWithOffset(finishMs),
  };
}
