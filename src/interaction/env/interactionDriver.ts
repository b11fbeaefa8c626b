// The Driver for etcd's interaction files (testdata/*.txt): one InteractionEnv per
// file, each case run through its command table.

import type { TestData } from '../datadriven';
import type { Driver } from '../driver';
import { handlers } from './handler';
import { setRandomizedElectionTimeout } from './handlerSetRandomizedElectionTimeout';
import { InteractionEnv, type InteractionOpts } from './interactionEnv';

export function newInteractionDriver(opts: InteractionOpts = {}): Driver {
  const env = new InteractionEnv({ setRandomizedElectionTimeout, ...opts });
  return {
    run(td: TestData): string {
      return env.handle(td, handlers);
    },
  };
}
