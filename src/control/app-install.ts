import { z } from "zod";
import { SYNTHETIC_CLIENT_PREFIX } from "../domain/app-id.js";
import { EmulatorError } from "../errors/emulator-error.js";
import { oauthAuthBlock } from "../events/oauth-auth.js";
import type { EventSink } from "../events/sink.js";
import type { AppEventType, RaisedEvent } from "../events/types.js";
import { appsWithClientId } from "../oauth/grants.js";
import type { Runtime } from "../runtime.js";
import { reviveApp } from "../store/apps.js";
import type { App, Portal } from "../store/state.js";
import { appEventTarget, type AppEventTarget } from "./app-event-target.js";
import { parseControl } from "./validate.js";

/** The scopes a bot app asks for when the install names none. */
const BOT_APP_SCOPES = ["imbot", "im"];

export const installAppSchema = z.strictObject({
  /** An app of the portal to install (again); absent or unknown: a new app, with this id when given. */
  clientId: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,100}$/, "1-100 letters, digits, '.', '_' or '-'")
    .optional(),
  /** Where the portal POSTs ONAPPINSTALL (and later ONAPPUPDATE): the app's install handler. */
  installHandler: z.string().min(1),
  /** Where `/oauth/authorize/` sends the user back with a code. */
  redirectUri: z.string().min(1).optional(),
  scopes: z.array(z.string().regex(/^[a-z_]+$/, "a scope name")).min(1).optional(),
  /** The person who installs it: the tokens of the event act as them. */
  userId: z.coerce.number().int().positive().default(1),
  version: z.number().int().positive().default(1),
});

export const updateAppSchema = z.strictObject({ version: z.number().int().positive() });

export type InstallApp = z.input<typeof installAppSchema>;
export type UpdateApp = z.input<typeof updateAppSchema>;

/** An installed app's credentials as the control API hands them to a test, with the event sent. */
export interface AppInstallation {
  clientId: string;
  clientSecret: string | null;
  applicationToken: string;
  accessToken: string;
  refreshToken: string;
  installHandler: string;
  version: number;
  event: RaisedEvent;
}

/**
 * Installs an app on the portal, as an administrator does from the market or the developer area
 * (spec oauth.md §7): the app gets tokens for the installing user and its install handler gets
 * ONAPPINSTALL, form-encoded, with `auth[...]` carrying refresh_token and application_token. The
 * handler is a webhook target like a bot's (loopback unless `--webhook-allow`), and the install is
 * journaled as `emulator.appInstall`.
 */
export async function installApp(runtime: Runtime, portalId: string, input: unknown): Promise<AppInstallation> {
  const request = parseControl(installAppSchema, input);
  requireHandler(runtime, request.installHandler, "installHandler");
  if (request.redirectUri !== undefined) requireAbsoluteUrl(request.redirectUri, "redirectUri");
  const installed = await runtime.change(portalId, (portal, sink, now) => {
    requireInstaller(portal, request.userId);
    const app = appToInstall(runtime, portal, request.clientId, request.scopes);
    app.installHandler = request.installHandler;
    app.version = request.version;
    if (request.redirectUri !== undefined) app.redirectUri = request.redirectUri;
    const data = { VERSION: request.version, ACTIVE: "Y", INSTALLED: "Y", LANGUAGE_ID: portal.language };
    return { app: credentialsOf(app), ...send(portal, sink, app, "ONAPPINSTALL", data, request.userId), at: now };
  });
  const installParams = { clientId: installed.app.clientId, installHandler: request.installHandler, userId: request.userId, version: request.version };
  journalAppCall(runtime, portalId, { method: "emulator.appInstall", httpMethod: "POST", at: installed.at, events: [installed.event], params: installParams });
  return installation(installed);
}

/**
 * A new version of an installed app: the handler it bound for ONAPPUPDATE (else its install handler)
 * gets it with the previous version and a new application_token, which from then on signs the events
 * of the app's bots too.
 */
export async function updateApp(runtime: Runtime, portalId: string, clientId: string, input: unknown): Promise<AppInstallation> {
  const request = parseControl(updateAppSchema, input);
  const updated = await runtime.change(portalId, (portal, sink, now) => {
    const app = portal.apps.find((a) => a.clientId === clientId);
    if (!app) throw new EmulatorError("CONTROL_NOT_FOUND", `No app "${clientId}" in this portal`);
    if (!app.installHandler) throw new EmulatorError("CONTROL_ARGUMENT", `App "${clientId}" was not installed with an installHandler (POST /apps first)`);
    const previous = app.version ?? 1;
    if (request.version <= previous) throw new EmulatorError("CONTROL_ARGUMENT", `version: must be above the installed version ${previous}`);
    app.version = request.version;
    app.applicationToken = runtime.random.hex(16);
    for (const bot of Object.values(portal.bots)) if (bot.clientId === app.clientId) bot.applicationToken = app.applicationToken;
    const installer = app.tokens[0]?.userId ?? 1;
    const data = { VERSION: request.version, PREVIOUS_VERSION: previous, LANGUAGE_ID: portal.language };
    return { app: credentialsOf(app), ...send(portal, sink, app, "ONAPPUPDATE", data, installer), at: now };
  });
  journalAppCall(runtime, portalId, { method: "emulator.appUpdate", httpMethod: "POST", at: updated.at, events: [updated.event], params: { clientId, version: request.version } });
  return installation(updated);
}

/** What the answer names of the app, copied out of the stored one. */
type AppCredentials = Pick<App, "clientId" | "clientSecret" | "applicationToken" | "installHandler" | "version">;

function credentialsOf(app: App): AppCredentials {
  return { clientId: app.clientId, clientSecret: app.clientSecret, applicationToken: app.applicationToken, installHandler: app.installHandler, version: app.version };
}

interface Sent {
  app: AppCredentials;
  event: RaisedEvent;
  accessToken: string;
  refreshToken: string;
  at: Date;
}

/**
 * The event's form body (spec oauth.md §7, OPEN-O9: with event_handler_id, expires and user_id) and its
 * POST to where the app hears it; the tokens act as `userId` unless the app's binding names a user.
 */
function send(portal: Portal, sink: EventSink, app: App, type: "ONAPPINSTALL" | "ONAPPUPDATE", data: Record<string, unknown>, userId: number) {
  // Installing sets the install handler and updating requires one, so there is always a target here.
  const target = appEventTarget(portal, app, type) as AppEventTarget;
  const tokens = sink.appTokens(app, target.authUserId ?? userId);
  const event = raiseAppEvent(sink, target, type, data, oauthAuthBlock(portal, tokens, sink.endpoints(), app.applicationToken));
  return { event, accessToken: tokens.access_token, refreshToken: tokens.refresh_token };
}

/** What every app event's `auth` names: the portal, where to call and refresh, and the app's application_token. */
export function appEventAuth(portal: Portal, sink: EventSink, app: App) {
  const { client, server } = sink.endpoints();
  return { domain: portal.domain, server_endpoint: server, client_endpoint: client, member_id: portal.memberId, application_token: app.applicationToken };
}

/**
 * An app's own event, form-encoded to its target: `event`, `event_handler_id` (the binding's id, or
 * the app's place on the portal at its install handler), `data`, `ts` and `auth`.
 */
export function raiseAppEvent(sink: EventSink, target: AppEventTarget, type: AppEventType, data: Record<string, unknown>, auth: Record<string, unknown>): RaisedEvent {
  const body = {
    event: type,
    event_handler_id: target.handlerId,
    data,
    ts: Math.floor(sink.now.getTime() / 1000),
    auth,
  };
  return sink.raiseAppEvent(type, target.url, body);
}

/** The portal's app of that client id, or a new one (a fresh `local.` id unless one is given). */
function appToInstall(runtime: Runtime, portal: Portal, clientId: string | undefined, scopes: string[] | undefined): App {
  const hex = (bytes: number) => runtime.random.hex(bytes);
  const existing = clientId === undefined ? undefined : (portal.apps.find((a) => a.clientId === clientId) ?? reviveApp(portal, clientId, () => hex(16)));
  if (existing) {
    if (existing.clientId.startsWith(SYNTHETIC_CLIENT_PREFIX)) {
      throw new EmulatorError("CONTROL_ARGUMENT", `clientId: "${clientId}" is the app of a webhook-registered bot, not an installable application`);
    }
    if (scopes !== undefined) existing.scopes = scopes;
    return existing;
  }
  // A client id names one app: taking another portal's would let this portal's secret speak for it.
  if (clientId !== undefined && appsWithClientId(runtime.store.state, clientId).length > 0) {
    throw new EmulatorError("CONTROL_ARGUMENT", `clientId: "${clientId}" is an app of another portal`);
  }
  const app: App = {
    clientId: clientId ?? `local.${hex(7)}.${hex(4)}`,
    clientSecret: hex(20),
    applicationToken: hex(16),
    scopes: scopes ?? BOT_APP_SCOPES,
    tokens: [],
  };
  portal.apps.push(app);
  return app;
}

function requireInstaller(portal: Portal, userId: number): void {
  const user = portal.users[userId];
  if (!user?.active || user.bot) throw new EmulatorError("CONTROL_NOT_FOUND", `userId: no active person ${userId} to install the app`);
}

function requireHandler(runtime: Runtime, url: string, field: string): void {
  requireAbsoluteUrl(url, field);
  const refusal = runtime.webhookTargets.refusal(url);
  if (refusal) throw new EmulatorError("CONTROL_ARGUMENT", `${field}: ${refusal.replace(/^webhookUrl /, "")}`);
}

function requireAbsoluteUrl(url: string, field: string): void {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== "http:" && parsed.protocol !== "https:")) {
    throw new EmulatorError("CONTROL_ARGUMENT", `${field}: an absolute http(s):// URL, not "${url}"`);
  }
}

/** An app's lifecycle step in the portal's journal, beside the REST calls, with the events it raised. */
export function journalAppCall(runtime: Runtime, portalId: string, call: { method: string; httpMethod: string; at: Date; events: RaisedEvent[]; params: Record<string, unknown> }): void {
  runtime.activity.record(portalId, {
    time: call.at.toISOString(),
    httpMethod: call.httpMethod,
    method: call.method,
    params: call.params,
    status: 200,
    error: null,
    durationMs: 0,
    eventIds: call.events.map((event) => event.eventId),
  });
}

function installation(sent: Sent): AppInstallation {
  return {
    clientId: sent.app.clientId,
    clientSecret: sent.app.clientSecret ?? null,
    applicationToken: sent.app.applicationToken,
    accessToken: sent.accessToken,
    refreshToken: sent.refreshToken,
    installHandler: sent.app.installHandler as string,
    version: sent.app.version ?? 1,
    event: sent.event,
  };
}
