import { z } from "zod";
import { SYNTHETIC_CLIENT_PREFIX } from "../domain/app-id.js";
import { EmulatorError } from "../errors/emulator-error.js";
import type { RaisedEvent } from "../events/types.js";
import { unregisterBot } from "../methods/bot-removal.js";
import type { Runtime } from "../runtime.js";
import { retireApp } from "../store/apps.js";
import { appEventTarget } from "./app-event-target.js";
import { appEventAuth, journalAppCall, raiseAppEvent } from "./app-install.js";
import { parseControl } from "./validate.js";

/** `clean` as JSON (true/false) or as a query string's text (`1`/`0`, `true`/`false`). */
const flag = z.union([z.boolean(), z.enum(["1", "0", "true", "false"]).transform((text) => text === "1" || text === "true")]);

export const uninstallAppSchema = z.strictObject({
  /** The administrator's "clear the app's data" choice, passed on as `data[CLEAN]`. */
  clean: flag.default(false),
});

export type UninstallApp = z.input<typeof uninstallAppSchema>;

/** What uninstalling did: the bots that went with the app, and every event it raised. */
export interface AppUninstallation {
  clientId: string;
  clean: boolean;
  unregisteredBots: number[];
  /** ONAPPUNINSTALL at the handler the app bound, else its install handler; null when it has neither (the fixture's own app). */
  event: RaisedEvent | null;
  /** The bots' deletion events first, ONAPPUNINSTALL last. */
  events: RaisedEvent[];
}

/**
 * Uninstalls an app as an administrator does. The app's bots are unregistered the way
 * imbot.unregister does it (deletion events, commands, dialogs); then the handler the app bound for
 * it with event.bind (else its install handler) gets ONAPPUNINSTALL, form-encoded, with `data[LANGUAGE_ID]`, `data[CLEAN]` and an `auth` block without
 * tokens (the portal sends this event without auth); then every token of the app stops working
 * (spec OPEN-O5). Journaled as `emulator.appUninstall`.
 */
export async function uninstallApp(runtime: Runtime, portalId: string, clientId: string, input: unknown): Promise<AppUninstallation> {
  const { clean } = parseControl(uninstallAppSchema, input ?? {});
  const { at, ...uninstalled } = await runtime.change(portalId, (portal, sink, now) => {
    const app = portal.apps.find((a) => a.clientId === clientId);
    if (!app) throw new EmulatorError("CONTROL_NOT_FOUND", `No app "${clientId}" is installed in this portal`);
    if (app.clientId.startsWith(SYNTHETIC_CLIENT_PREFIX)) {
      throw new EmulatorError("CONTROL_ARGUMENT", `"${clientId}" is the app of a webhook-registered bot, not an installed application`);
    }
    const uninstaller = app.tokens[0]?.userId ?? 1;
    const bots = Object.values(portal.bots).filter((bot) => bot.clientId === app.clientId);
    for (const bot of bots) unregisterBot(portal, sink, bot, { userId: uninstaller, restRevision: runtime.settings.restRevision });
    const data = { LANGUAGE_ID: portal.language, CLEAN: clean ? 1 : 0 };
    const target = appEventTarget(portal, app, "ONAPPUNINSTALL");
    const event = target ? raiseAppEvent(sink, target, "ONAPPUNINSTALL", data, appEventAuth(portal, sink, app)) : null;
    retireApp(portal, app);
    return { clientId, clean, unregisteredBots: bots.map((bot) => bot.id), event, events: [...sink.raised], at: now };
  });
  journalAppCall(runtime, portalId, { method: "emulator.appUninstall", httpMethod: "DELETE", at, events: uninstalled.events, params: { clientId, clean } });
  return uninstalled;
}
