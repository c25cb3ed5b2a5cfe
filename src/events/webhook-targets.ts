import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from "node:dns";
import { networkInterfaces } from "node:os";
import { isLoopbackHost } from "../domain/loopback.js";

/** `--webhook-allow *`: any host may receive webhooks (docker-compose and the like). */
const ANY_HOST = "*";

/**
 * Where a bot's webhookUrl may point. By default only at this machine's loopback addresses, so a
 * form POST cannot make the emulator send live OAuth tokens to another host; `--webhook-allow`
 * widens it by host or host:port. The emulator's own listeners are refused always: a bot whose
 * handler is the emulator's REST API would feed itself events forever.
 */
export class WebhookTargets {
  private readonly ownPorts = new Set<number>();

  constructor(private readonly allow: readonly string[]) {}

  /** Called once per listener, when it is up. */
  addOwnListener(port: number): void {
    this.ownPorts.add(port);
  }

  /** Why the URL may not receive webhooks, naming the flag that would allow it; null when it may. */
  refusal(url: string): string | null {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return null; // not a URL at all: the callback-URL check says so
    }
    const host = hostOf(target);
    const port = portOf(target);
    if (this.isOwnListener(host, port)) {
      return `webhookUrl ${target.host} is this emulator's own listener: its events would call it back without end (always refused)`;
    }
    if (isLoopbackHost(host) || this.listed(host, port)) return null;
    return `webhookUrl host "${target.host}" is refused: webhooks go only to loopback addresses unless the emulator is started with --webhook-allow ${target.host}`;
  }

  /**
   * A DNS lookup for http.request that checks every address a name resolves to, so the address
   * connected to is the address checked (a name cannot resolve to loopback for the check and to
   * another host for the POST).
   */
  checkedLookup(url: string): (hostname: string, options: LookupOptions, callback: LookupCallback) => void {
    const target = new URL(url);
    const port = portOf(target);
    const namedHost = hostOf(target);
    return (hostname, options, callback) => {
      dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
        if (error) return callback(error, "", 4);
        const refused = addresses.find(({ address }) => this.addressRefused(namedHost, address, port));
        if (refused || addresses.length === 0) {
          return callback(new WebhookTargetRefused(`${hostname} resolves to ${refused?.address ?? "nothing"}, which --webhook-allow does not allow`), "", 4);
        }
        if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
        const first = addresses[0] as LookupAddress;
        callback(null, first.address, first.family);
      });
    };
  }

  private addressRefused(namedHost: string, address: string, port: number): boolean {
    if (this.isOwnListener(address, port)) return true;
    return !(isLoopbackHost(address) || this.listed(namedHost, port) || this.listed(address, port));
  }

  private listed(host: string, port: number): boolean {
    return this.allow.some((entry) => {
      const allowed = entry.toLowerCase().replace(/^\[|\](?=:\d+$|$)/g, "");
      return allowed === ANY_HOST || allowed === host || allowed === `${host}:${port}`;
    });
  }

  private isOwnListener(host: string, port: number): boolean {
    return this.ownPorts.has(port) && (isLoopbackHost(host) || localAddresses().has(host));
  }
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string, family: number) => void;

/** Raised instead of connecting: the delivery is logged as refused, nothing is sent. */
export class WebhookTargetRefused extends Error {
  readonly code = "WEBHOOK_TARGET_REFUSED";
}

function hostOf(url: URL): string {
  return url.hostname.toLowerCase().replace(/^\[|\]$/g, "").replace(/\.$/, "");
}

function portOf(url: URL): number {
  return url.port !== "" ? Number(url.port) : url.protocol === "https:" ? 443 : 80;
}

/** This machine's own interface addresses: a handler at one of them on our port is us. */
function localAddresses(): Set<string> {
  const found = new Set<string>();
  for (const list of Object.values(networkInterfaces())) for (const entry of list ?? []) found.add(entry.address.toLowerCase());
  return found;
}
