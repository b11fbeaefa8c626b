// The lint rules that keep the layers apart (eslint.config.js) fire: ESLint's Node API
// lints small modules placed as if they lived in a layer's folder, and the fixtures of
// test/fixtures/lint/ for the import-cycle check. Each rule is also shown to stay quiet
// on an allowed import, so a rule that fired on everything would fail too.

import path from 'node:path';
import { ESLint, type Linter } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
// The project's config; the cycle check, which would parse the whole import graph
// behind each fixture, is tested on its own below.
const eslint = new ESLint({ cwd: root, overrideConfig: { rules: { 'import-x/no-cycle': 'off' } } });

/** The messages of `code` linted as the file `file` (relative to the project root; it need not exist). */
async function lintAs(file: string, code: string): Promise<Linter.LintMessage[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result!.messages;
}

/** The layering errors among messages, as "line: message". */
function layerErrors(messages: Linter.LintMessage[]): string[] {
  return messages.filter((m) => m.ruleId === 'import-x/no-restricted-paths').map((m) => `${m.line}: ${m.message}`);
}

describe('layering rule', () => {
  it('src/check may import only src/raft', async () => {
    const errs = layerErrors(
      await lintAs(
        'src/check/properties/fixture.ts',
        [
          "import type { Cluster } from '../../cluster/cluster';",
          "import { useRaft } from '../../ui/store';",
          "import type { TestData } from '../../interaction/datadriven';",
          "import { StateLeader } from '../../raft/types';",
          "import { entryAt } from '../model';",
          'export const x: unknown[] = [useRaft, StateLeader, entryAt];',
          'export type Y = [Cluster, TestData];',
          '',
        ].join('\n'),
      ),
    );
    expect(errs).toEqual([
      expect.stringMatching(/^1: .*src\/check may import only src\/raft and src\/check/),
      expect.stringMatching(/^2: .*src\/check may import only src\/raft/),
      expect.stringMatching(/^3: .*src\/check may import only src\/raft/),
    ]);
  });

  it('src/interaction may import only src/raft', async () => {
    const errs = layerErrors(
      await lintAs(
        'src/interaction/env/fixture.ts',
        [
          "import { Cluster } from '../../cluster/cluster';",
          "import { App } from '../../ui/App';",
          "import type { Model } from '../../check/model';",
          "import { newRawNode } from '../../raft/rawNode';",
          "import type { TestData } from '../datadriven';",
          'export const x: unknown[] = [Cluster, App, newRawNode];',
          'export type Y = [Model, TestData];',
          '',
        ].join('\n'),
      ),
    );
    expect(errs).toEqual([
      expect.stringMatching(/^1: .*src\/interaction may import only src\/raft and src\/interaction/),
      expect.stringMatching(/^2: /),
      expect.stringMatching(/^3: /),
    ]);
  });

  it('src/cluster may import src/raft, src/check and src/interaction, never src/ui', async () => {
    const errs = layerErrors(
      await lintAs(
        'src/cluster/dst/fixture.ts',
        [
          "import { raftStore } from '../../ui/store';",
          "import { checkProperties } from '../../check/properties';",
          "import type { TestData } from '../../interaction/datadriven';",
          "import type { Entry } from '../../raft/raftpb/types';",
          "import { Cluster } from '../cluster';",
          'export const x: unknown[] = [raftStore, checkProperties, Cluster];',
          'export type Y = [TestData, Entry];',
          '',
        ].join('\n'),
      ),
    );
    expect(errs).toEqual([
      expect.stringMatching(/^1: .*src\/cluster may import only src\/check, src\/interaction, src\/raft/),
    ]);
  });

  it('src/explain and src/lessons may import the layers below them, never src/ui', async () => {
    for (const folder of ['explain', 'lessons']) {
      const errs = layerErrors(
        await lintAs(
          `src/${folder}/fixture.ts`,
          [
            "import { App } from '../ui/App';",
            "import type { ClusterObservation } from '../cluster/cluster';",
            "import type { Model } from '../check/model';",
            "import type { TestData } from '../interaction/datadriven';",
            "import type { Entry } from '../raft/raftpb/types';",
            'export const x = App;',
            'export type Y = [ClusterObservation, Model, TestData, Entry];',
            '',
          ].join('\n'),
        ),
      );
      expect(errs).toEqual([expect.stringMatching(new RegExp(`^1: .*src/${folder} may import only`))]);
    }
  });

  it('src/raft imports nothing of the project, and nothing imports src/ui', async () => {
    const raft = await lintAs(
      'src/raft/fixture.ts',
      "import type { ClientOp } from '../check/linearizable/types';\nexport type X = ClientOp;\n",
    );
    expect(layerErrors(raft)).toEqual([
      expect.stringMatching(/^1: .*src\/raft imports nothing of the project outside src\/raft/),
    ]);
    const bench = await lintAs('bench/fixture.ts', "import { App } from '../src/ui/App';\nexport const x = App;\n");
    expect(layerErrors(bench)).toEqual([expect.stringMatching(/^1: .*Nothing imports src\/ui/)]);
  });
});

describe('import-cycle check', () => {
  // The fixtures are ignored by `npm run lint` (they break the rule on purpose).
  const fixtures = new ESLint({ cwd: root, ignore: false });
  const lintFixture = async (file: string) =>
    (await fixtures.lintFiles([path.join(root, 'test/fixtures/lint', file)]))[0]!.messages;

  it('reports a cycle of value imports in every module on it, with the route', async () => {
    const cycles = async (f: string) =>
      (await lintFixture(f)).filter((m) => m.ruleId === 'import-x/no-cycle').map((m) => `${m.line}: ${m.message}`);
    // a.ts line 2 imports ./b, which imports ./c (its line 1), which imports a.ts back.
    expect(await cycles('cycle/a.ts')).toEqual(['2: Dependency cycle via "./c:1"']);
    expect(await cycles('cycle/b.ts')).toEqual(['1: Dependency cycle via "./a:1"']);
    expect(await cycles('cycle/c.ts')).toEqual(['1: Dependency cycle via "./b:2"']);
  });

  it('lets a module import types from a module that imports it', async () => {
    for (const f of ['typeOnly/shape.ts', 'typeOnly/use.ts']) expect(await lintFixture(f)).toEqual([]);
  });
});
