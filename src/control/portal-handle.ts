import type { PortalControl } from "./portal-control.js";
import type { PortalInfo } from "./portals.js";

const FIRST_OF = {
  webhookUrl: "incoming webhook (webhooks)",
  accessToken: "OAuth app with a token (apps)",
  refreshToken: "OAuth app token with a refreshToken (apps)",
  clientId: "OAuth app (apps)",
  clientSecret: "OAuth app with a clientSecret (apps)",
  applicationToken: "OAuth app (apps)",
} as const;

type FirstOf = keyof typeof FIRST_OF;

/**
 * A created portal as the programmatic API hands it out. The first webhook's URL and the first app's
 * credentials exist whenever the fixture has them (the bundled one does), so they are typed as present;
 * reading one the fixture lacks throws an error naming what the fixture needs.
 */
export type PortalHandle = Omit<PortalInfo, FirstOf> & { [K in FirstOf]: string } & { control: PortalControl };

export function portalHandle(info: PortalInfo, control: PortalControl): PortalHandle {
  const handle: Record<string, unknown> = { ...info, control };
  for (const key of Object.keys(FIRST_OF) as FirstOf[]) {
    if (info[key] !== null) continue;
    // Not enumerable, so logging or spreading the handle does not throw.
    Object.defineProperty(handle, key, {
      enumerable: false,
      get() {
        throw new Error(`portal "${info.id}" has no ${key}: its fixture has no ${FIRST_OF[key]}`);
      },
    });
  }
  return handle as PortalHandle;
}
