import { z } from "zod";
import { EmulatorError } from "../../../errors/emulator-error.js";
import { defineMethod } from "../../types.js";

/** The method appeared in REST revision 33 (spec revisions.md, BOT-NEW-0402-1). */
const FIRST_REVISION = 33;

/**
 * Client revisions the emulator reports next to its REST revision. Nothing in the emulator depends on
 * them; they are the values of the method's documentation example.
 */
const CLIENT_REVISIONS = { web: 130, mobile: 23, desktop: 6 } as const;

/**
 * imbot.v2.Revision.get (spec bots-commands-chats.md §11): which API revision the portal speaks.
 * No parameters and no bot identity: any caller with the `imbot` scope may ask, webhook callers
 * without a botToken too.
 */
export const revisionGet = defineMethod({
  name: "imbot.v2.Revision.get",
  scope: "imbot",
  mutates: false,
  params: z.object({}),
  handler(ctx) {
    if (ctx.settings.restRevision < FIRST_REVISION) {
      // The wire answer is exactly a missing method's; the reason goes to the log only.
      ctx.log.info(
        `Revision.get: the method exists from REST revision ${FIRST_REVISION}; this emulator runs revision ${ctx.settings.restRevision}`,
      );
      throw new EmulatorError("ERROR_METHOD_NOT_FOUND");
    }
    return { rest: ctx.settings.restRevision, ...CLIENT_REVISIONS };
  },
});


