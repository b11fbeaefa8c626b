// Creates the state machine a node's config asks for.

import type { StateMachineKind } from '../protocol';
import { Appender } from './appender';
import { KVStore } from './kvStore';
import type { StateMachine } from './stateMachine';

export function createStateMachine(kind: StateMachineKind): StateMachine {
  switch (kind) {
    case 'kv':
      return new KVStore();
    case 'appender':
      return new Appender();
  }
}
