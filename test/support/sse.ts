/** One server-sent event as received: its name and its data parsed as JSON. */
export interface ReceivedEvent {
  event: string;
  data: Record<string, unknown>;
}

/**
 * A client of a `text/event-stream` over real HTTP, as a test would use it: `next(match)` resolves
 * with the first event (read so far or still to come) that matches, so tests wait instead of sleep.
 */
export async function openEventStream(url: string): Promise<{
  status: number;
  contentType: string;
  next(match: (e: ReceivedEvent) => boolean, timeoutMs?: number): Promise<ReceivedEvent>;
  close(): void;
}> {
  const abort = new AbortController();
  const response = await fetch(url, { signal: abort.signal, headers: { Accept: "text/event-stream" } });
  const received: ReceivedEvent[] = [];
  const waiters = new Set<() => void>();
  let ended = false;
  void (async () => {
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let cut: number;
        while ((cut = buffer.indexOf("\n\n")) !== -1) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const lines = block.split("\n");
          const event = lines.find((l) => l.startsWith("event: "))?.slice(7);
          const data = lines.filter((l) => l.startsWith("data: ")).map((l) => l.slice(6)).join("\n");
          if (event) received.push({ event, data: JSON.parse(data) as Record<string, unknown> });
        }
        for (const wake of [...waiters]) wake();
      }
    } catch {
      // aborted by close()
    }
    ended = true;
    for (const wake of [...waiters]) wake();
  })();
  let cursor = 0;
  return {
    status: response.status,
    contentType: response.headers.get("content-type") ?? "",
    next(match, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          while (cursor < received.length) {
            const candidate = received[cursor++]!;
            if (match(candidate)) {
              finish();
              resolve(candidate);
              return;
            }
          }
          if (ended) {
            finish();
            reject(new Error("the stream ended"));
          }
        };
        const timer = setTimeout(() => {
          finish();
          reject(new Error(`no matching event within ${timeoutMs} ms; received: ${received.map((e) => e.event).join(", ")}`));
        }, timeoutMs);
        const finish = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    close: () => abort.abort(),
  };
}
