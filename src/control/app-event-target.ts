import type { AppEventType } from "../events/types.js";
import type { App, Portal } from "../store/state.js";

/** Where one of an app's own events goes, with the `event_handler_id` it carries there. */
export interface AppEventTarget {
  url: string;
  handlerId: number;
  /** The user a binding's `auth_type` names: the event's tokens act as them. */
  authUserId?: number;
}

/**
 * The handler the app bound for the event with event.bind, as a portal routes OnAppUpdate and
 * OnAppUninstall; an app that bound none still hears them at its install handler (the emulator's
 * behaviour before these could be bound, kept so that a test needs no event.bind). ONAPPINSTALL
 * always goes to the install handler. Undefined when the app has neither (the fixture's own app).
 */
export function appEventTarget(portal: Portal, app: App, type: AppEventType): AppEventTarget | undefined {
  const bound = type === "ONAPPINSTALL" ? undefined : app.eventBindings?.[type];
  if (bound && !bound.offline) return { url: bound.url, handlerId: bound.id, ...(bound.authType ? { authUserId: bound.authType } : {}) };
  if (!app.installHandler) return undefined;
  return { url: app.installHandler, handlerId: portal.apps.findIndex((a) => a.clientId === app.clientId) + 1 };
}
