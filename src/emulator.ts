import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type express from "express";
import { createHttpApp } from "./http/app.js";
import { createInspectorRouter } from "./inspector/serve.js";
import { browserPolicy } from "./http/browser-options.js";
import { PortalControl } from "./control/portal-control.js";
import { portalHandle, type PortalHandle } from "./control/portal-handle.js";
import { createPortal } from "./control/portals.js";
import { createControlRouter } from "./control/router.js";
import { createOAuthRouter } from "./oauth/router.js";
import { createHash } from "node:crypto";
import { EmulatorClock, isRepresentable, type ClockSettings } from "./clock/emulator-clock.js";
import { randomSource } from "./random/random-source.js";
import { redactingLogger, silentLogger } from "./logger.js";
import { Runtime } from "./runtime.js";
import { createRegistry } from "./rest/registry.js";
import { DEFAULT_BODY_LIMIT, DEFAULT_DATA_DIR, DEFAULT_UPLOAD_LIMIT, type EmulatorOptions } from "./options.js";
import { createRestHandler } from "./rest/handle.js";
import { refusedBeforeBody } from "./rest/early-credentials.js";
import { DEFAULT_PARAM_LIMITS } from "./domain/php-query.js";
import { contradiction, resolveSettings, type FidelitySettings } from "./settings.js";
import { FixtureError, loadFixtureFile, parseFixture, portalFromFixture, type Fixture, type FixtureInput } from "./store/fixture.js";
import { DEFAULT_COMPACT_AFTER_BYTES, openDurableStore } from "./store/durable-store.js";
import { createMemoryStore, stateOf, type Store } from "./store/store.js";
import type { Portal } from "./store/state.js";
import { fileOfLink } from "./store/files.js";
import { portalNow } from "./clock/portal-clock.js";
import type { DownloadLookup } from "./http/download.js";

export const DEFAULT_FIXTURE_PATH = fileURLToPath(new URL("../fixtures/default.json", import.meta.url));
/** The inspector's files, served as they are (the same folder from src/, dist/ and the CLI bundle). */
const INSPECTOR_ASSETS = fileURLToPath(new URL("../src/inspector/static/", import.meta.url));

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

export { Runtime };

/**
 * An emulator over an in-memory store, ready for supertest: no port, no files written.
 * @example
 * const app = createEmulator();
 * await request(app).post("/rest/1/emulator/imbot.v2.Command.answer").send({ ... });
 */
export function createEmulator(options: EmulatorOptions = {}): EmulatorApp {
  const fixture = fixtureSync(options.fixture);
  const store = createMemoryStore(stateOf([initialPortal(fixture, options)]));
  return buildApp(store, options);
}

/**
 * Builds the app over an already opened store (the file store of startEmulator, for one).
 * `restored`: the store was loaded from a data file, so a seeded stream must not repeat what an
 * earlier run with the same seed already handed out into it.
 */
export function buildApp(store: Store, options: EmulatorOptions, { restored = false } = {}): EmulatorApp {
  const settings = resolveSettings(options);
  const conflict = contradiction(settings);
  if (conflict) throw new RangeError(conflict);
  const log = redactingLogger(options.logger ?? silentLogger);
  const time = new EmulatorClock(clockSettings(options));
  const random = randomSource(options.seed, restored ? digest(JSON.stringify(store.state)) : "");
  const runtime = new Runtime(store, { settings, log, time, random, deliveryTimeoutMs: options.deliveryTimeoutMs, webhookAllow: options.webhookAllow, maxPortals: options.maxPortals });
  const rest = { runtime, registry: createRegistry(), limits: DEFAULT_PARAM_LIMITS };
  const handleRest = createRestHandler(rest);
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const uploadLimit = options.uploadLimit ?? DEFAULT_UPLOAD_LIMIT;
  let cachedFixture: Fixture | undefined;
  const defaultFixture = () => (cachedFixture ??= fixtureSync(options.fixture));
  const control = createControlRouter(runtime, defaultFixture, { bodyLimit, uploadLimit, adminKey: options.adminKey });
  const oauth = createOAuthRouter(runtime, { bodyLimit });
  const inspector = createInspectorRouter(INSPECTOR_ASSETS);
  // A download token names no portal: ask each one, on its own clock.
  const downloads: DownloadLookup = (token) => {
    for (const portal of Object.values(store.state.portals)) {
      const file = fileOfLink(portal, token, portalNow(runtime.clock(), portal));
      const body = file && store.files.open(portal.id, file.key);
      if (file && body) return { name: file.name, ...body };
    }
    return undefined;
  };
  const app = createHttpApp({ handleRest, refusedBeforeBody: (request) => refusedBeforeBody(rest, request), control, inspector, oauth, bodyLimit, uploadLimit, log, downloads, browser: browserPolicy(options, log), accessLog: options.accessLog ?? false });
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
  if ((options.store ?? "memory") === "memory") {
    const fixture = await fixtureAsync(options.fixture);
    return { store: createMemoryStore(stateOf([initialPortal(fixture, options)])), seeded: true, dataFile: null };
  }
  const dataFile = resolve(options.dataFile ?? join(options.dataDir ?? DEFAULT_DATA_DIR, "db.json"));
  // The fixture is read (and validated) even when the file exists, so a broken fixture never waits for a reset.
  const fixture = await fixtureAsync(options.fixture);
  const { store, seeded } = await openDurableStore(dataFile, () => stateOf([initialPortal(fixture, options)]), {
    reset: options.reset ?? false,
    fsync: options.fsync ?? false,
    compactAfterBytes: options.compactAfterBytes ?? DEFAULT_COMPACT_AFTER_BYTES,
    warn: options.logger ? (message) => options.logger?.warn(message) : undefined,
  });
  return { store, seeded, dataFile };
}

/** The fixture's own portal, made with the clock and (seeded) randomness the options ask for. */
function initialPortal(fixture: Fixture, options: EmulatorOptions): Portal {
  return portalFromFixture(fixture, new EmulatorClock(clockSettings(options)).now(), randomSource(options.seed, "fixture"));
}

/** `clockMode` and `clockStart` as the clock takes them; a start that is no date is the caller's mistake, said so. */
export function clockSettings(options: EmulatorOptions): ClockSettings {
  let start: Date | undefined;
  if (options.clockStart !== undefined) {
    start = new Date(options.clockStart);
    if (!isRepresentable(start.getTime())) throw new RangeError(`clockStart: "${String(options.clockStart)}" is not a date between 1970 and 9999`);
  }
  return { base: options.clock, start, frozen: options.clockMode === "frozen" };
}

function digest(text: string): string {
  return createHash("sha256").update(text).digest("hex");
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
