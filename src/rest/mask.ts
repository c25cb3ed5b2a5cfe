const SECRET_KEYS = new Set(["auth", "bottoken", "access_token", "refresh_token", "application_token", "client_secret"]);

/** A copy of params safe to show in the journal and logs: secrets replaced by "***". */
export function maskSecrets(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => maskSecrets(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    Object.defineProperty(out, key, {
      value: SECRET_KEYS.has(key.toLowerCase()) ? "***" : maskSecrets(child, depth + 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}
