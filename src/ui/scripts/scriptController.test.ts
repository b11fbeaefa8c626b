// Script mode against a real in-process cluster: opening a script shows its harness
// in the store and leaves the Cluster alone; actions become harness commands or are
// refused; a malformed script changes nothing; closing gives back the very same slices.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { controller, getState, resetStore } from '../store';
import { scriptController } from './scriptController';

const text = readFileSync(resolve(import.meta.dirname, '../../../test/scripts/read_index_safe.txt'), 'utf8');

function lastNotice() {
  const n = getState().ui.notices;
  return n[n.length - 1];
}

describe('script mode', () => {
  beforeEach(async () => {
    resetStore();
    await controller.start({ runtime: 'in-process', autoplay: false, settings: { nodes: 5, seed: 3 } });
    await controller.advance(30);
  });
  afterEach(async () => {
    scriptController.close();
    await controller.dispose();
  });

  it('shows the script, maps and refuses actions, and closes back to the same session', async () => {
    const c = controller.cluster!;
    const hash = c.traceHash();
    const step = c.currentStep;
    const before = getState();

    expect(scriptController.openText(text, 'read_index_safe.txt')).toBe(true);
    let st = getState();
    expect(st.script.active).toBe(true);
    expect(st.script.step).toBe(0);
    expect(st.script.commands.every((x) => x.match === true)).toBe(true);
    expect(st.ui.activePanel).toBe('script');
    expect(st.cluster.nodeIds).toEqual([]);

    scriptController.seek(7);
    st = getState();
    expect(st.cluster.nodeIds).toEqual([1, 2, 3]);
    expect(st.cluster.step).toBe(7);
    expect(st.cluster.inFlight.length).toBeGreaterThan(0);
    // The log strip reads the script's storage, not the cluster's disk.
    expect(controller.disk(1)?.entries.length).toBeGreaterThan(0);
    expect(controller.disk(4)).toBeUndefined();

    // Refused: faults and client requests; the cluster does not move.
    await controller.crash(1);
    expect(lastNotice()?.text).toMatch(/^Crash node 1 is not part of etcd's interaction harness/);
    await controller.put('k', 'v');
    await controller.play();
    expect(getState().playback.playing).toBe(false);

    // Mapped: delivering a message is deliver-msgs for its recipient, run as a fork.
    const env = getState().cluster.inFlight[0]!;
    const total = getState().script.commands.length;
    const cut = getState().script.commands[7]!.directive;
    await controller.deliver(env.id);
    st = getState();
    expect(st.script.step).toBe(8);
    expect(st.script.commands).toHaveLength(8);
    expect(st.script.commands[7]!.directive).toBe(`deliver-msgs ${env.to}`);
    expect(st.script.branches).toEqual([{ at: 7, count: total - 7, first: cut }]);
    await controller.tick(2);
    expect(getState().script.commands[8]!.directive).toBe('tick-heartbeat 2');

    expect(c.traceHash()).toBe(hash);
    expect(c.currentStep).toBe(step);

    scriptController.close();
    st = getState();
    expect(st.script.active).toBe(false);
    expect(st.cluster).toBe(before.cluster);
    expect(st.selection).toBe(before.selection);
    expect(st.ui.activePanel).toBe(before.ui.activePanel);
    expect(controller.disk(1)).toEqual(c.disk(1));
    // The cluster acts again.
    await controller.advance(1);
    expect(c.currentStep).toBe(step + 1);
  });

  it('a malformed script changes nothing, with or without a script open', () => {
    const before = getState();
    expect(scriptController.openText('campaign (1\n----\nok\n', 'bad.txt')).toBe(false);
    expect(lastNotice()?.text).toBe("Script not opened: bad.txt:1: unbalanced '(' in: campaign (1");
    expect(getState().cluster).toBe(before.cluster);
    expect(getState().script).toBe(before.script);

    scriptController.openText(text, 'read_index_safe.txt');
    scriptController.seek(3);
    const open = getState();
    expect(scriptController.openBytes(new Uint8Array([0, 1, 2]), 'x.bin')).toBe(false);
    expect(lastNotice()?.text).toBe(
      'Script not opened: x.bin:1: a NUL byte: this is a binary file, not an interaction script',
    );
    expect(scriptController.fork('tick-election x')).toBe(false);
    expect(lastNotice()?.text).toMatch(/^Command not run: your command: tick-election x: the harness stops/);
    expect(getState().script).toBe(open.script);
    expect(getState().cluster).toBe(open.cluster);
  });
});
