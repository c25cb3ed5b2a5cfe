// `npm start`: the built CLI in this same process, built first only if src/ changed, so a start costs
// one Node boot rather than two (or a whole build).
import { ensureBuilt } from "./ensure-built.mjs";

ensureBuilt();
await import("../dist/cli.bundle.mjs");
