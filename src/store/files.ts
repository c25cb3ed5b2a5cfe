import type { Portal, StoredFile } from "./state.js";

/** Adds a file to the portal under the next free id. */
export function addFile(portal: Portal, draft: Omit<StoredFile, "id">): StoredFile {
  const files = (portal.files ??= {});
  const id = Math.max(0, ...Object.keys(files).map(Number)) + 1;
  const file: StoredFile = { id, ...draft };
  files[id] = file;
  return file;
}

/** The file a download link names, while the link lasts (`now` is the portal's). */
export function fileOfLink(portal: Portal, token: string, now: Date): StoredFile | undefined {
  const link = portal.fileLinks?.find((l) => l.token === token);
  if (!link || Date.parse(link.until) <= now.getTime()) return undefined;
  return portal.files?.[link.fileId];
}

/** Keeps the links still valid at `now` and adds a new one. */
export function addFileLink(portal: Portal, link: { token: string; fileId: number; until: string }, now: Date): void {
  const live = (portal.fileLinks ?? []).filter((l) => Date.parse(l.until) > now.getTime());
  portal.fileLinks = [...live, link];
}
