// Runs every property over a model.

import type { Model } from '../model';
import { checkDurability } from './durability';
import { checkElectionSafety } from './electionSafety';
import { checkLeaderAppendOnly } from './leaderAppendOnly';
import { checkLeaderCompleteness } from './leaderCompleteness';
import { checkLiveness } from './liveness';
import { checkLogMatching } from './logMatching';
import { checkStateMachineSafety } from './stateMachineSafety';
import type { PropertyCheck, PropertyId, PropertyOptions, PropertyResult } from './types';

export type { PropertyCheck, PropertyId, PropertyOptions, PropertyResult, Violation } from './types';
export {
  checkDurability,
  checkElectionSafety,
  checkLeaderAppendOnly,
  checkLeaderCompleteness,
  checkLiveness,
  checkLogMatching,
  checkStateMachineSafety,
};

export const propertyChecks: Readonly<Record<PropertyId, PropertyCheck>> = {
  'election-safety': checkElectionSafety,
  'leader-append-only': checkLeaderAppendOnly,
  'log-matching': checkLogMatching,
  'leader-completeness': checkLeaderCompleteness,
  'state-machine-safety': checkStateMachineSafety,
  durability: checkDurability,
  liveness: checkLiveness,
};

/** Every property's result, in the order of propertyChecks. */
export function checkProperties(model: Model, opts: PropertyOptions = {}): PropertyResult[] {
  return Object.values(propertyChecks).map((f) => f(model, opts));
}

/** All violations of all properties, by step. */
export function allViolations(results: readonly PropertyResult[]): PropertyResult['violations'] {
  return results.flatMap((r) => r.violations).sort((a, b) => a.step - b.step);
}
