import type { z } from "zod";
import { EmulatorError } from "../errors/emulator-error.js";

/** Control API input check: a zod failure becomes CONTROL_ARGUMENT naming the field. */
export function parseControl<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.length ? i.path.join(".") : "body"}: ${i.message}`);
  throw new EmulatorError("CONTROL_ARGUMENT", problems.join("; "));
}
