import type { RunningEmulator } from "./server.js";
import type { Portal } from "./store/state.js";

const SHOWN_PER_KIND = 3;

/**
 * What the CLI prints once listening: where to point a bot and the credentials that work right now,
 * read from the data (a reused data file or another fixture has other ones than the README's).
 */
export function startBanner(emulator: RunningEmulator, version: string): string[] {
  const base = (emulator.httpUrl ?? emulator.httpsUrl) as string;
  const lines = [`b24-emulator ${version} is listening`];
  if (emulator.httpUrl) lines.push(`  http:      ${emulator.httpUrl}`);
  if (emulator.httpsUrl) lines.push(`  https:     ${emulator.httpsUrl}  (trust it: NODE_EXTRA_CA_CERTS=${emulator.certPath})`);
  lines.push(`  inspector: ${base}/`);
  const portals = Object.values(emulator.app.store.state.portals);
  const portal = portals.find((p) => p.id === "default") ?? portals[0];
  if (portal) lines.push(...credentialLines(portal, emulator, emulator.app.runtime.clock()));
  lines.push(`  data:      ${emulator.dataFile ?? "in memory (nothing is written)"}`);
  lines.push(`  stop:      Ctrl+C or SIGTERM (requests under way finish${emulator.dataFile ? ", the data file is saved" : ""})`);
  return lines;
}

function credentialLines(portal: Portal, emulator: RunningEmulator, now: Date): string[] {
  const bases = [emulator.httpUrl, emulator.httpsUrl].filter((url): url is string => url !== null);
  const live = (expiresAt: string | null) => (expiresAt !== null && Date.parse(expiresAt) <= now.getTime() ? "  (expired)" : "");
  const lines = [`  portal "${portal.id}" (${portal.domain}), control API ${bases[0]}/_emulator/portals/${portal.id}`];
  const webhooks = portal.webhooks.map(
    (w) => `${bases.map((base) => `${base}/rest/${w.userId}/${w.code}/`).join("  or  ")}  (user ${w.userId}${live(w.expiresAt)})`,
  );
  const tokens = portal.apps.flatMap((a) => a.tokens.map((t) => `auth=${t.accessToken}  (app ${a.clientId}, user ${t.userId}${live(t.expiresAt)})`));
  const bots = Object.values(portal.bots).map((b) => `${b.id} ${b.code}${b.botToken ? `  botToken=${b.botToken}` : ""}  (${b.eventMode} mode)`);
  lines.push(...listed("webhook", webhooks, "no incoming webhook"));
  lines.push(...listed("oauth", tokens.length > 0 ? tokens.map((t) => `${bases[0]}/rest/  ${t}`) : [], "no access token"));
  lines.push(...listed("bot", bots, "no bot yet"));
  return lines;
}

function listed(label: string, items: string[], none: string): string[] {
  const head = `    ${`${label}:`.padEnd(9)}`;
  if (items.length === 0) return [`${head}${none}`];
  const shown = items.slice(0, SHOWN_PER_KIND).map((item, i) => `${i === 0 ? head : " ".repeat(head.length)}${item}`);
  if (items.length > SHOWN_PER_KIND) shown.push(`${" ".repeat(head.length)}(${items.length - SHOWN_PER_KIND} more through the control API)`);
  return shown;
}
