import { isIP } from "node:net";

/**
 * Names and addresses that reach this machine only: `localhost` and `*.localhost` (RFC 6761),
 * 127.0.0.0/8, ::1 (also IPv4-mapped), and 0.0.0.0 / ::, which connect locally. Lower-case, no brackets.
 */
export function isLoopbackHost(host: string): boolean {
  const name = host.toLowerCase().replace(/^\[|\]$/g, "").replace(/\.$/, "");
  if (name === "localhost" || name.endsWith(".localhost") || name === "0.0.0.0" || name === "::") return true;
  if (isIP(name) === 4) return name.startsWith("127.");
  return name === "::1" || /^::ffff:127\./.test(name);
}
