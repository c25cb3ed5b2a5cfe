import { z } from "zod";
import { isoWithOffset } from "../../domain/dates.js";
import { defineMethod } from "../types.js";

/**
 * The few portal-wide methods clients call to check a connection before anything else (CRest's
 * and the SDKs' own examples start with `profile`). Scope `basic`, which every credential has.
 */
export const serverTime = defineMethod({
  name: "server.time",
  scope: "",
  mutates: false,
  params: z.object({}),
  handler: (ctx) => isoWithOffset(ctx.now.getTime()),
});

export const profile = defineMethod({
  name: "profile",
  scope: "",
  mutates: false,
  params: z.object({}),
  handler(ctx) {
    const user = ctx.portal.users[ctx.caller.userId];
    return {
      ID: String(ctx.caller.userId),
      ADMIN: ctx.caller.userId === 1,
      NAME: user?.firstName ?? "",
      LAST_NAME: user?.lastName ?? "",
      PERSONAL_GENDER: user?.gender ?? "",
      PERSONAL_PHOTO: user?.avatar ?? "",
      TIME_ZONE: "",
      TIME_ZONE_OFFSET: 0,
    };
  },
});

export const scope = defineMethod({
  name: "scope",
  scope: "",
  mutates: false,
  params: z.object({}),
  handler: (ctx) => [...ctx.caller.scopes],
});


