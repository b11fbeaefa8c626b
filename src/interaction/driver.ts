// A Driver runs the test cases of one data-driven file, in order, and returns each
// case's actual output. A new Driver is made for every file (state is per file).

import type { TestData } from './datadriven';

export interface Driver {
  /** Runs one case; returns its output (without needing a trailing newline). */
  run(td: TestData): string;
}

export type DriverFactory = () => Driver;
