import type { Logger } from "../logger.js";
import type { EmulatorOptions } from "../options.js";
import { OPEN_TO_ALL, type BrowserPolicy } from "./browser-policy.js";

/** The browser policy the options ask for; opening the REST API to every origin is said out loud. */
export function browserPolicy(options: EmulatorOptions, log: Logger): BrowserPolicy {
  const corsOrigins = options.cors ?? [];
  if (corsOrigins.includes(OPEN_TO_ALL)) {
    log.warn("--cors *: any web page can call the REST API with this portal's credentials (the control API stays closed to pages not listed by origin)");
  }
  return {
    listenHost: options.host ?? "127.0.0.1",
    allowedHosts: options.allowedHosts ?? [],
    allowedOrigins: options.allowedOrigins ?? [],
    corsOrigins,
  };
}
