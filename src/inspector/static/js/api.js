// The inspector's only way into the emulator: the public control API and the portal event stream,
// exactly as a test would use them.

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.error_description ?? body?.error ?? `HTTP ${status}`);
    this.status = status;
    this.code = body?.error ?? null;
  }

  /** One readable line: the control API's code and its description (`CONTROL_ARGUMENT: ...`). */
  get line() {
    return `${this.code ?? `HTTP ${this.status}`}: ${this.message}`;
  }
}

// An emulator started with --admin-key wants it on every control call: asked once, kept for the tab.
const KEY_ITEM = "b24-emulator-admin-key";
let asked = false;

function withKey(headers) {
  const key = sessionStorage.getItem(KEY_ITEM);
  return key ? { ...headers, "X-Emulator-Key": key } : headers;
}

/** After a 401: true when a (new) key is there to try again with. */
function keyToRetryWith(usedKey) {
  const current = sessionStorage.getItem(KEY_ITEM);
  if (current && current !== usedKey) return true;
  if (asked) return false;
  asked = true;
  const key = prompt("This emulator was started with --admin-key. Enter the key:");
  if (!key) return false;
  sessionStorage.setItem(KEY_ITEM, key);
  return true;
}

/** A fetch that sends the admin key, and asks for one (once) when the emulator answers 401 without it. */
async function fetchWithKey(url, init = {}) {
  for (;;) {
    const usedKey = sessionStorage.getItem(KEY_ITEM);
    const response = await fetch(url, { ...init, headers: withKey(init.headers ?? {}) });
    if (response.status !== 401) return response;
    const json = await response.clone().json().catch(() => null);
    if (json?.error !== "CONTROL_UNAUTHORIZED" || !keyToRetryWith(usedKey)) return response;
  }
}

async function call(method, path, body) {
  const headers = body === undefined ? { Accept: "application/json" } : { Accept: "application/json", "Content-Type": "application/json" };
  const response = await fetchWithKey(`/_emulator${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, json);
  return json;
}

/** True once the tab holds an admin key: plain links and images cannot send it. */
export function holdsAdminKey() {
  return sessionStorage.getItem(KEY_ITEM) !== null;
}

/** A file the emulator serves, fetched with the admin key, as a Blob. */
export async function fetchFileWithKey(url) {
  const response = await fetchWithKey(url, { cache: "no-store" });
  if (!response.ok) throw new ApiError(response.status, await response.json().catch(() => null));
  return response.blob();
}

/**
 * Reads a server-sent event stream with fetch rather than EventSource, which cannot send the admin
 * key; reconnects a second after a drop, as EventSource would, until closed.
 */
function readStream(url, onEvent, onState) {
  let closed = false;
  let controller = null;
  const once = async () => {
    controller = new AbortController();
    const response = await fetch(url, { headers: withKey({ Accept: "text/event-stream" }), signal: controller.signal, cache: "no-store" });
    if (!response.ok) throw new ApiError(response.status, await response.json().catch(() => null));
    onState("live");
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      for (let cut = buffer.indexOf("\n\n"); cut !== -1; cut = buffer.indexOf("\n\n")) {
        const data = buffer.slice(0, cut).split("\n").filter((line) => line.startsWith("data: ")).map((line) => line.slice(6)).join("\n");
        buffer = buffer.slice(cut + 2);
        if (data) onEvent(JSON.parse(data));
      }
    }
  };
  void (async () => {
    while (!closed) {
      try {
        await once();
      } catch (error) {
        if (closed) return;
        if (error instanceof ApiError && error.status !== 401) return onState("closed");
      }
      if (closed) return;
      onState("reconnecting");
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  })();
  return () => {
    closed = true;
    controller?.abort();
  };
}

const enc = encodeURIComponent;

/** The control operations of one portal. */
export function portalApi(id) {
  const p = `/portals/${enc(id)}`;
  return {
    id,
    info: () => call("GET", p),
    users: async () => (await call("GET", `${p}/users`)).users,
    bots: async () => (await call("GET", `${p}/bots`)).bots,
    chats: async () => (await call("GET", `${p}/chats`)).chats,
    history: (dialogId, page = {}) => {
      const query = new URLSearchParams();
      if (page.before) query.set("before", String(page.before));
      if (page.limit) query.set("limit", String(page.limit));
      return call("GET", `${p}/chats/${enc(dialogId)}/messages?${query}`);
    },
    journal: async () => (await call("GET", `${p}/journal`)).calls,
    deliveries: async () => (await call("GET", `${p}/deliveries`)).deliveries,
    events: async () => (await call("GET", `${p}/events`)).events,
    faults: async () => (await call("GET", `${p}/faults`)).rules,
    addFault: (rule) => call("POST", `${p}/faults`, rule),
    clearFaults: () => call("DELETE", `${p}/faults`),
    conformance: () => call("GET", `${p}/conformance`),
    say: (authorId, dialogId, text, replyId) => call("POST", `${p}/messages`, { authorId, dialogId, text, replyId }),
    edit: (messageId, userId, text) => call("POST", `${p}/messages/${enc(messageId)}/edit`, { userId, text }),
    deleteMessage: (messageId, userId) => call("POST", `${p}/messages/${enc(messageId)}/delete`, { userId }),
    react: (userId, messageId, reaction, action) => call("POST", `${p}/reactions`, { userId, messageId, reaction, action }),
    read: (dialogId, userId) => call("POST", `${p}/chats/${enc(dialogId)}/read`, { userId }),
    openContext: (userId, dialogId, context) => call("POST", `${p}/context`, { userId, dialogId, context }),
    openDialog: (userId, botId) => call("POST", `${p}/dialogs`, { userId, botId }),
    sendFile: (userId, dialogId, name, contentBase64, text) => call("POST", `${p}/files`, { userId, dialogId, name, contentBase64, text }),
    press: (userId, messageId, buttonIndex) => call("POST", `${p}/buttons`, { userId, messageId, buttonIndex }),
    createUser: (fields) => call("POST", `${p}/users`, fields),
    createChat: (fields) => call("POST", `${p}/chats`, fields),
    addMembers: (dialogId, userIds, addedBy) => call("POST", `${p}/chats/${enc(dialogId)}/members`, { userIds, addedBy }),
    removeMember: (dialogId, userId) => call("DELETE", `${p}/chats/${enc(dialogId)}/members/${enc(userId)}`),
    reset: () => call("POST", `${p}/reset`),
    clock: () => call("GET", `${p}/clock`),
    advanceClock: (advanceSeconds) => call("POST", `${p}/clock`, { advanceSeconds }),
    /** Calls `onEvent(item)` for every stream item; `onState("live" | "reconnecting" | "closed")`. Returns close. */
    stream: (onEvent, onState) => readStream(`/_emulator${p}/stream`, onEvent, onState),
  };
}

export const emulatorApi = {
  portals: async () => (await call("GET", "/portals")).portals,
};
