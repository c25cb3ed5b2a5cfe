import type { StreamEvent } from "./feed.js";

/** A portal's event stream as an async iterator; `close()` (or leaving a `for await`) ends it. */
export interface PortalStream extends AsyncIterableIterator<StreamEvent> {
  close(): void;
}

/**
 * Turns a push subscription into a pull iterator: items wait in a queue until read, so a test that
 * acts first and reads later misses nothing.
 */
export function iteratorOver(subscribe: (listener: (event: StreamEvent) => void, onEnd: () => void) => () => void): PortalStream {
  const queue: StreamEvent[] = [];
  const readers: ((result: IteratorResult<StreamEvent>) => void)[] = [];
  let done = false;
  const finish = () => {
    done = true;
    for (const read of readers.splice(0)) read({ value: undefined, done: true });
  };
  const unsubscribe = subscribe((event) => {
    const read = readers.shift();
    if (read) read({ value: event, done: false });
    else queue.push(event);
  }, finish);
  const close = () => {
    unsubscribe();
    finish();
  };
  return {
    close,
    next() {
      const event = queue.shift();
      if (event) return Promise.resolve({ value: event, done: false });
      if (done) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => readers.push(resolve));
    },
    return() {
      close();
      return Promise.resolve({ value: undefined, done: true });
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
