/** How a portal classes a file by its extension (`CB2/entities.md#file`: file|image|video|audio). */
const KINDS: Record<string, "image" | "video" | "audio"> = {
  ...Object.fromEntries(["jpg", "jpeg", "png", "gif", "webp", "bmp", "heic"].map((e) => [e, "image" as const])),
  ...Object.fromEntries(["mp4", "mov", "avi", "webm", "mkv", "m4v"].map((e) => [e, "video" as const])),
  ...Object.fromEntries(["mp3", "ogg", "oga", "wav", "m4a", "flac", "aac", "opus"].map((e) => [e, "audio" as const])),
};

export function extensionOf(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot <= 0 ? "" : name.slice(dot + 1).toLowerCase();
}

export function fileKind(name: string): "file" | "image" | "video" | "audio" {
  return KINDS[extensionOf(name)] ?? "file";
}
