import type { DeliveryFault, DeliveryFaults } from "../events/types.js";
import { methodPattern, type DeliveryFaultRule, type DeliveryFaultSpec, type FaultRule, type RestFaultRule, type RestFaultSpec } from "./rules.js";


interface PortalFaults {
  rules: FaultRule[];
  nextId: number;
}

/**
 * The fault rules of every portal, kept beside the portal's journal: they are test controls, not
 * portal data, so they live in memory and go with the portal when it is deleted or reset. The REST
 * path asks `takeRest` once per call and the event sink asks `takeDelivery` once per event; a rule
 * that fires counts it, and stops once its `times` are used up.
 */
export class FaultBook {
  private readonly portals = new Map<string, PortalFaults>();

  /** `random` decides probabilistic rules; injectable so a seeded run can be reproduced. */
  constructor(private readonly random: () => number = Math.random) {}

  add(portalId: string, spec: RestFaultSpec | DeliveryFaultSpec): FaultRule {
    const book = this.of(portalId);
    const rule = { id: ++book.nextId, ...spec, fired: 0, active: true } as FaultRule;
    book.rules.push(rule);
    return { ...rule };
  }

  list(portalId: string): FaultRule[] {
    return (this.portals.get(portalId)?.rules ?? []).map((r) => ({ ...r }));
  }

  /** Removes every rule of the portal; answers how many there were. Ids keep counting up. */
  clear(portalId: string): number {
    const book = this.portals.get(portalId);
    if (!book) return 0;
    const count = book.rules.length;
    book.rules = [];
    return count;
  }

  forget(portalId: string): void {
    this.portals.delete(portalId);
  }

  /** The first active REST rule matching the method that fires this time, counted; else undefined. */
  takeRest(portalId: string, method: string): RestFaultRule | undefined {
    const rule = this.fire(portalId, (r): r is RestFaultRule => r.target === "rest" && methodPattern(r.method).test(method));
    return rule ? { ...rule } : undefined;
  }

  /** The first active delivery rule for this bot and event that fires this time, counted; else undefined. */
  takeDelivery(portalId: string, botId: number, event: string): DeliveryFault | undefined {
    const rule = this.fire(
      portalId,
      (r): r is DeliveryFaultRule =>
        r.target === "delivery" && (r.botId === undefined || r.botId === botId) && (r.event === undefined || r.event === event),
    );
    if (!rule) return undefined;
    return { ruleId: rule.id, action: rule.action, delayMs: rule.delayMs ?? 0, timeoutMs: rule.timeoutMs };
  }

  /** The portal's delivery rules as the event sink asks them, one event at a time. */
  deliveryFaultsOf(portalId: string): DeliveryFaults {
    return (botId, type) => this.takeDelivery(portalId, botId, type);
  }

  private fire<R extends FaultRule>(portalId: string, matches: (rule: FaultRule) => rule is R): R | undefined {
    const book = this.portals.get(portalId);
    if (!book) return undefined;
    for (const rule of book.rules) {
      if (!rule.active || !matches(rule)) continue;
      if (rule.probability < 1 && this.random() >= rule.probability) continue;
      rule.fired += 1;
      if (rule.times !== undefined && rule.fired >= rule.times) rule.active = false;
      return rule;
    }
    return undefined;
  }

  private of(portalId: string): PortalFaults {
    let book = this.portals.get(portalId);
    if (!book) {
      book = { rules: [], nextId: 0 };
      this.portals.set(portalId, book);
    }
    return book;
  }
}
