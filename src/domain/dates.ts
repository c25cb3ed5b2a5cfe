/** Bitrix writes dates as `2026-05-14T10:26:32+00:00`: whole seconds and a numeric offset. */
export function isoWithOffset(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "+00:00");
}

/** The same for a stored ISO string (stored dates are UTC with milliseconds). */
export function isoWithOffsetFromIso(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : isoWithOffset(ms);
}
