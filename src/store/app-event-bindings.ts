import type { App, AppLifecycleEvent, Portal, V1Binding } from "./state.js";
import { rebound } from "./v1-handlers.js";

const APP_LIFECYCLE_EVENTS: readonly string[] = ["ONAPPUPDATE", "ONAPPUNINSTALL"] satisfies AppLifecycleEvent[];

export function isAppLifecycleEvent(event: string): event is AppLifecycleEvent {
  return APP_LIFECYCLE_EVENTS.includes(event);
}

/** event.bind of an app's own event: it replaces the app's previous binding of that event unless it is the same. */
export function bindAppEvent(portal: Portal, app: App, event: AppLifecycleEvent, binding: Omit<V1Binding, "id">): void {
  const bound = (app.eventBindings ??= {});
  bound[event] = rebound(portal, bound[event], binding);
}

/** Drops the app's binding of `event` (only if it is at `url`, when given); true if one went. */
export function unbindAppEvent(app: App, event: AppLifecycleEvent, url?: string): boolean {
  const binding = app.eventBindings?.[event];
  if (!app.eventBindings || !binding || (url !== undefined && binding.url !== url)) return false;
  delete app.eventBindings[event];
  if (Object.keys(app.eventBindings).length === 0) delete app.eventBindings;
  return true;
}
