import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type express from "express";
import { createHttpApp } from "./http/app.js";
import { browserPolicy } from "./http/browser-options.js";
import { PortalControl } from "./control/portal-control.js";
import { portalHandle, type PortalHandle } from "./control/portal-handle.js";
import { createPortal } from "./control/portals.js";
import { createControlRouter } from "./control/router.js";
import { createOAuthRouter } from "./oauth/router.js";
import { Activity } from "./activity/activity.js";
import { EmulatorClock } from "./clock/emulator-clock.js";
import { randomSource, type RandomSource } from "./random/random-source.js";
import { WebhookDispatcher } from "./events/dispatcher.js";
import { FaultBook } from "./faults/fault-book.js";
import { silentLogger, type Logger } from "./logger.js";
import { createRegistry } from "./rest/registry.js";
import { DEFAULT_BODY_LIMIT, DEFAULT_DATA_DIR, type EmulatorOptions } from "./options.js";
import { createRestHandler } from "./rest/handle.js";
import { DEFAULT_PARAM_LIMITS } from "./domain/php-query.js";
import { resolveSettings, type FidelitySettings } from "./settings.js";
import { FixtureError, loadFixtureFile, parseFixture, portalFromFixture, type Fixture, type FixtureInput } from "./store/fixture.js";
import { DEFAULT_COMPACT_AFTER_BYTES, openDurableStore } from "./store/durable-store.js";
import { createMemoryStore, stateOf, type Store } from "./store/store.js";

export const DEFAULT_FIXTURE_PATH = fileURLToPath(new URL("../fixtures/default.json", import.meta.url));

/** The express app of an emulator, with the store it serves. Pass it to supertest as it is. */
export type EmulatorApp = express.Express & {
  readonly store: Store;
  readonly fidelity: FidelitySettings;
  readonly runtime: Runtime;
  /** Control operations inside a portal (default: the fixture's portal "default"). */
  portal(id?: string): PortalControl;
  /** A fresh isolated portal with new credentials, from a fixture (default: the bundled one). */
  createPortal(input?: { id?: string; fixture?: FixtureInput }): Promise<PortalHandle>;
};

export const DEFAULT_PORTAL_ID = "default";

/** What lives beside the store for the app's lifetime: activity logs, webhook sender, public URL. */
export interface Runtime {
  store: Store;
  settings: FidelitySettings;
  activity: Activity;
  dispatcher: WebhookDispatcher;
  /** Fault rules per portal (control API `/faults`), consulted by the REST path and event delivery. */
  faults: FaultBook;
  log: Logger;
  /** The global now (`time.now()`); a portal's now adds its own offset (clock/portal-clock.ts). */
  clock: () => Date;
  /** The global clock itself: moved by the control API, frozen with `--clock frozen`. */
  time: EmulatorClock;
  /** Every generated id, code, token and secret; reproducible with `--seed`. */
  random: RandomSource;
  /** `http://127.0.0.1:PORT`: set once listening, so webhook events can tell bots where to call back. */
  publicUrl: string | null;
}

/**
 * An emulator over an in-memory store, ready for supertest: no port, no files written.
 * @example
 * const app = createEmulator();
 * await request(app).post("/rest/1/emulator/imbot.v2.Command.answer").send({ ... });
 */
export function createEmulator(options: EmulatorOptions = {}): EmulatorApp {
  const fixture = fixtureSync(options.fixture);
  const clock = options.clock ?? (() => new Date());
  const store = createMemoryStore(stateOf([portalFromFixture(fixture, clock())]));
  return buildApp(store, options);
}

/** Builds the app over an already opened store (the file store of startEmulator, for one). */
export function buildApp(store: Store, options: EmulatorOptions): EmulatorApp {
  const settings = resolveSettings(options);
  const log = options.logger ?? silentLogger;
  const activity = new Activity();
  const time = new EmulatorClock({ base: options.clock });
  const runtime: Runtime = {
    store,
    settings,
    activity,
    dispatcher: new WebhookDispatcher(activity, log, options.deliveryTimeoutMs),
    faults: new FaultBook(),
    log,
    clock: () => time.now(),
    time,
    random: randomSource(options.seed),
    publicUrl: null,
  };
  const handleRest = createRestHandler({
    store,
    registry: createRegistry(),
    settings,
    limits: DEFAULT_PARAM_LIMITS,
    log,
    clock: runtime.clock,
    stopwatch: () => time.stopwatch(),
    random: runtime.random,
    activity,
    dispatcher: runtime.dispatcher,
    faults: runtime.faults,
    clientEndpoint: () => (runtime.publicUrl ? `${runtime.publicUrl}/rest/` : null),
  });
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  let cachedFixture: Fixture | undefined;
  const defaultFixture = () => (cachedFixture ??= fixtureSync(options.fixture));
  const control = createControlRouter(runtime, defaultFixture, { bodyLimit, adminKey: options.adminKey });
  const oauth = createOAuthRouter(runtime, { bodyLimit });
  const app = createHttpApp({ handleRest, control, oauth, bodyLimit, log, browser: browserPolicy(options, log), accessLog: options.accessLog ?? false });
  return Object.assign(app, {
    store,
    fidelity: settings,
    runtime,
    portal: (id = DEFAULT_PORTAL_ID) => new PortalControl(runtime, id),
    createPortal: async (input: { id?: string; fixture?: FixtureInput } = {}) => {
      const info = await createPortal(runtime, input, defaultFixture);
      return portalHandle(info, new PortalControl(runtime, info.id));
    },
  });
}

/** Opens the store the options ask for: memory, or the lowdb file seeded on first start. */
export async function openStore(options: EmulatorOptions): Promise<{ store: Store; seeded: boolean; dataFile: string | null }> {
  const clock = options.clock ?? (() => new Date());
  if ((options.store ?? "memory") === "memory") {
    const fixture = await fixtureAsync(options.fixture);
    return { store: createMemoryStore(stateOf([portalFromFixture(fixture, clock())])), seeded: true, dataFile: null };
  }
  const dataFile = resolve(options.dataFile ?? join(options.dataDir ?? DEFAULT_DATA_DIR, "db.json"));
  // The fixture is read (and validated) even when the file exists, so a broken fixture never waits for a reset.
  const fixture = await fixtureAsync(options.fixture);
  const { store, seeded } = await openDurableStore(dataFile, () => stateOf([portalFromFixture(fixture, clock())]), {
    reset: options.reset ?? false,
    fsync: options.fsync ?? false,
    compactAfterBytes: options.compactAfterBytes ?? DEFAULT_COMPACT_AFTER_BYTES,
  });
  return { store, seeded, dataFile };
}

function fixtureSync(source: EmulatorOptions["fixture"]): Fixture {
  if (source !== undefined && typeof source !== "string") return parseFixture(source, "(fixture object)");
  const path = source ?? DEFAULT_FIXTURE_PATH;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new FixtureError(`Cannot read fixture ${path}: ${(error as Error).message}`);
  }
  return parseFixture(json, path);
}

async function fixtureAsync(source: EmulatorOptions["fixture"]): Promise<Fixture> {
  if (source !== undefined && typeof source !== "string") return parseFixture(source, "(fixture object)");
  return loadFixtureFile(source ?? DEFAULT_FIXTURE_PATH);
}
