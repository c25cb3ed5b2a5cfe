import { open } from "node:fs/promises";

/** fsync of a file or a folder (a folder's sync makes the names created or renamed in it durable). */
export async function syncPath(path: string): Promise<void> {
  const handle = await open(path, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
