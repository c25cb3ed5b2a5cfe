import { without } from "./lists.js";
import type { App, Portal } from "./state.js";
import { oauthOwnerKey } from "./v1-handlers.js";

/**
 * Takes an app off its portal, as uninstalling does (spec oauth.md §7, OPEN-O5): its refresh tokens
 * and codes die; its access tokens are kept aside only so that their holders hear "the application
 * is gone" rather than "unknown token"; what it had bound (its own lifecycle events, v1 handlers, their
 * offline queue, kept ONIMBOTV2* subscriptions) goes with it. Its identity stays for a later install under that client id.
 * The app's bots are the caller's to unregister first: their deletion events still need the app.
 */
export function retireApp(portal: Portal, app: App): void {
  portal.apps = without(portal.apps, (a) => a === app);
  const { refreshTokens: _refresh, codes: _codes, eventBindings: _bindings, ...kept } = app;
  portal.uninstalledApps = [...without(portal.uninstalledApps ?? [], (a) => a.clientId === app.clientId), kept];
  const owner = oauthOwnerKey(app.clientId);
  if (portal.v1Handlers) delete portal.v1Handlers.owners[owner];
  if (portal.v1OfflineEvents) portal.v1OfflineEvents = without(portal.v1OfflineEvents, (event) => event.owner === owner);
  if (portal.keptSubscriptions) {
    portal.keptSubscriptions = without(portal.keptSubscriptions, (row) => row.clientId === app.clientId);
    if (portal.keptSubscriptions.length === 0) delete portal.keptSubscriptions;
  }
}

/**
 * An uninstalled app of this portal, installed again: the same client id and secret (the app's server
 * keeps them), a new application token, no tokens (the old ones stay dead, as unknown ones).
 * Undefined when the portal holds no uninstalled app of that id.
 */
export function reviveApp(portal: Portal, clientId: string, newApplicationToken: () => string): App | undefined {
  const retired = portal.uninstalledApps?.find((a) => a.clientId === clientId);
  if (!retired) return undefined;
  portal.uninstalledApps = without(portal.uninstalledApps ?? [], (a) => a === retired);
  if (portal.uninstalledApps.length === 0) delete portal.uninstalledApps;
  const app: App = { ...retired, applicationToken: newApplicationToken(), tokens: [] };
  portal.apps.push(app);
  return app;
}

/** The uninstalled app an access token was issued to, if any. */
export function uninstalledAppOfToken(portal: Portal, isToken: (accessToken: string) => boolean): App | undefined {
  return portal.uninstalledApps?.find((app) => app.tokens.some((t) => isToken(t.accessToken)));
}
