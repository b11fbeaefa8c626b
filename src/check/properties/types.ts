// Shared shapes of the property checkers.

import type { Model } from '../model';

export type PropertyId =
  | 'election-safety'
  | 'leader-append-only'
  | 'log-matching'
  | 'leader-completeness'
  | 'state-machine-safety'
  | 'durability'
  | 'liveness';

export interface Violation {
  property: PropertyId;
  /** The step (ModelStep.step) where it was seen. */
  step: number;
  time: number;
  message: string;
}

/** holds: no violation so far; violated: see violations; waiting: nothing to judge yet (liveness). */
export interface PropertyResult {
  property: PropertyId;
  status: 'holds' | 'violated' | 'waiting';
  /** In step order; at most `maxViolations`. */
  violations: Violation[];
  detail?: string;
}

export interface PropertyOptions {
  /** Stop collecting after this many violations per property (default 20). */
  maxViolations?: number;
  /** Liveness: ticks without a leader (or without commit progress) allowed once faults stop (default 200). */
  livenessBound?: number;
}

export type PropertyCheck = (model: Model, opts?: PropertyOptions) => PropertyResult;

/** Collects violations and builds the result. */
export class Collector {
  readonly violations: Violation[] = [];
  private readonly max: number;
  constructor(
    readonly property: PropertyId,
    opts: PropertyOptions = {},
  ) {
    this.max = opts.maxViolations ?? 20;
  }
  get full(): boolean {
    return this.violations.length >= this.max;
  }
  add(step: number, time: number, message: string): void {
    if (!this.full) this.violations.push({ property: this.property, step, time, message });
  }
  result(detail?: string): PropertyResult {
    const r: PropertyResult = {
      property: this.property,
      status: this.violations.length > 0 ? 'violated' : 'holds',
      violations: this.violations,
    };
    if (detail !== undefined) r.detail = detail;
    return r;
  }
}
