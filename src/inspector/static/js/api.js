// The inspector's only way into the emulator: the public control API and the portal event stream,
// exactly as a test would use them.

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.error_description ?? body?.error ?? `HTTP ${status}`);
    this.status = status;
    this.code = body?.error ?? null;
  }
}

async function call(method, path, body) {
  const response = await fetch(`/_emulator${path}`, {
    method,
    headers: body === undefined ? { Accept: "application/json" } : { Accept: "application/json", "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, json);
  return json;
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
    say: (authorId, dialogId, text) => call("POST", `${p}/messages`, { authorId, dialogId, text }),
    press: (userId, messageId, buttonIndex) => call("POST", `${p}/buttons`, { userId, messageId, buttonIndex }),
    createUser: (fields) => call("POST", `${p}/users`, fields),
    createChat: (fields) => call("POST", `${p}/chats`, fields),
    addMembers: (dialogId, userIds, addedBy) => call("POST", `${p}/chats/${enc(dialogId)}/members`, { userIds, addedBy }),
    removeMember: (dialogId, userId) => call("DELETE", `${p}/chats/${enc(dialogId)}/members/${enc(userId)}`),
    reset: () => call("POST", `${p}/reset`),
    clock: () => call("GET", `${p}/clock`),
    advanceClock: (advanceSeconds) => call("POST", `${p}/clock`, { advanceSeconds }),
    /** Calls `onEvent(item)` for every stream item; `onState("live" | "reconnecting")`. Returns close. */
    stream(onEvent, onState) {
      const source = new EventSource(`/_emulator${p}/stream`);
      const types = ["ready", "message", "call", "delivery", "event", "chat", "directory", "reset", "deleted"];
      for (const type of types) source.addEventListener(type, (e) => onEvent(JSON.parse(e.data)));
      source.addEventListener("open", () => onState("live"));
      source.addEventListener("error", () => onState(source.readyState === EventSource.CLOSED ? "closed" : "reconnecting"));
      return () => source.close();
    },
  };
}

export const emulatorApi = {
  portals: async () => (await call("GET", "/portals")).portals,
};
