/** The programmatic API: start an emulator from a test, in-process or listening. */
export { createEmulator, DEFAULT_FIXTURE_PATH, type EmulatorApp } from "./emulator.js";
export { startEmulator, type RunningEmulator } from "./server.js";
export type { EmulatorOptions } from "./options.js";
export type { FidelitySettings } from "./settings.js";
export type { Logger } from "./logger.js";
export type { FixtureInput } from "./store/fixture.js";
export { FixtureError } from "./store/fixture.js";
export { ERROR_CATALOGUE, type ErrorCode } from "./errors/catalogue.js";
export { PortalControl, type UserMessageOutcome, type WaitMatch } from "./control/portal-control.js";
export type { MessageView } from "./views/message.js";
export type { PortalInfo } from "./control/portals.js";
export type { PortalHandle } from "./control/portal-handle.js";
export type { CommandInvocation } from "./events/message-flow.js";
export type { RaisedEvent } from "./events/types.js";
export type { JournalEntry, Delivery } from "./activity/activity.js";
export type { FaultInput, FaultRule, RestFaultInput, DeliveryFaultInput } from "./faults/rules.js";
