// Script mode: an etcd interaction script shown in place of the cluster.
//
// The ScriptController holds the ScriptSession (src/scriptrun) and feeds its
// observations into the store through the same applyObservation the cluster uses, so
// every view draws the script's nodes, queued messages and Readies. It attaches itself
// to the controller as its ScriptSeam: while a script is open, user actions that mean
// something to the harness become harness commands run at the current step (a fork,
// as anywhere else in Raftlab), and the others are refused with the reason. The
// Cluster is left alone meanwhile; closing the script puts back the store slices it
// had (and anything it did since), so the session is exactly as it was.
//
// A script that cannot be opened, or a command that cannot be run, gives an error
// notice naming the line and changes nothing.
//
// window.raftlabScript (for tests and the console), while a script is open: the
// ScriptSession — name, currentStep, total, actual(k), expected(k), match(k), summary(),
// k 0-based. Read it only: stepping it directly would leave the store behind (step
// with the UI or scriptController).

import { ScriptSession } from '../../scriptrun/scriptSession';
import { decodeScript } from '../../scriptrun/scriptFile';
import {
  applyObservation,
  controller,
  getState,
  initialState,
  pushNotice,
  raftStore,
  setActivePanel,
  type HarnessIntent,
  type RaftlabState,
  type ScriptSeam,
  type ScriptSlice,
} from '../store';

interface Saved {
  cluster: RaftlabState['cluster'];
  selection: RaftlabState['selection'];
  playback: RaftlabState['playback'];
  activePanel: string;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Why an action is refused in script mode. */
const notHarness = "is not part of etcd's interaction harness; close the script to use it on the cluster";

class ScriptController implements ScriptSeam {
  private session: ScriptSession | undefined;
  private saved: Saved | undefined;
  private commandsView: ScriptSlice['commands'] = [];

  get open(): boolean {
    return this.session !== undefined;
  }

  /** Opens a file's bytes (chosen or dropped). False, with an error notice, when refused. */
  openBytes(bytes: Uint8Array, name: string): boolean {
    let text: string;
    try {
      text = decodeScript(bytes, name);
    } catch (e) {
      pushNotice('error', `Script not opened: ${errorText(e)}`);
      return false;
    }
    return this.openText(text, name);
  }

  /** Opens a script's text. False, with an error notice naming the line, when refused. */
  openText(text: string, name: string): boolean {
    if (this.saved === undefined && getState().cluster.status === 'booting') {
      // The cluster's slices are set while it boots: wait, so that closing finds it whole.
      pushNotice('warning', `Script not opened: the cluster is still starting; open ${name} again in a moment.`);
      return false;
    }
    let s: ScriptSession;
    try {
      s = ScriptSession.open(text, name);
    } catch (e) {
      pushNotice('error', `Script not opened: ${errorText(e)}`);
      return false;
    }
    if (this.saved === undefined) {
      controller.enterScript(this);
      const st = getState();
      this.saved = {
        cluster: st.cluster,
        selection: st.selection,
        playback: st.playback,
        activePanel: st.ui.activePanel,
      };
    }
    this.session = s;
    const init = initialState();
    // The script's node views must not reuse the cluster's: start from an empty slice
    // (marked as the script's at once, so nothing takes it for the cluster's).
    raftStore.setState({
      cluster: init.cluster,
      selection: init.selection,
      script: { ...getState().script, active: true },
    });
    this.publish(true);
    setActivePanel('script');
    publishFacade(s);
    const sum = s.summary();
    pushNotice(
      'info',
      `${name}: ${s.total} commands, ${sum.matched} print what etcd expects. Step with Next › or the → key.`,
    );
    return true;
  }

  /** Back to the cluster, exactly as it was (plus whatever it did meanwhile). */
  close(): void {
    const saved = this.saved;
    if (saved === undefined) return;
    this.session = undefined;
    this.saved = undefined;
    this.commandsView = [];
    publishFacade(undefined);
    raftStore.setState((st) => ({
      cluster: saved.cluster,
      selection: saved.selection,
      playback: { ...saved.playback, pending: st.playback.pending },
      ui: { ...st.ui, activePanel: saved.activePanel },
      script: initialState().script,
    }));
    controller.leaveScript();
  }

  /** Puts the session's state into the store (`commands`: the command list changed too). */
  private publish(commands = false): void {
    const s = this.session;
    if (s === undefined) return;
    if (commands)
      this.commandsView = s.commands.map((c, i) => ({
        pos: c.td.pos,
        directive: c.td.directive,
        input: c.td.input,
        expected: s.expected(i),
        actual: c.actual,
        match: s.match(i),
      }));
    raftStore.setState({
      script: {
        active: true,
        name: s.name,
        commands: this.commandsView,
        step: s.currentStep,
        branches: s.branches.map((b) => ({ at: b.at, count: b.commands.length, first: b.commands[0]!.td.directive })),
      },
    });
    applyObservation(s.observe());
  }

  /** Moves to step k (commands applied), clamped. */
  seek(k: number): void {
    const s = this.session;
    if (s === undefined || k === s.currentStep) return;
    s.seek(k);
    this.publish();
  }

  next(): void {
    if (this.session?.next()) this.publish();
  }

  back(): void {
    if (this.session?.back()) this.publish();
  }

  /** Runs a typed harness command at the current step (the rest of the script becomes a branch). */
  fork(line: string): boolean {
    const s = this.session;
    if (s === undefined) return false;
    const cut = s.total - s.currentStep;
    try {
      s.fork(line);
    } catch (e) {
      pushNotice('error', `Command not run: ${errorText(e)}`);
      return false;
    }
    this.publish(true);
    if (cut > 0)
      pushNotice(
        'info',
        `Ran "${line.trim()}" as command ${s.currentStep}; the script's ${cut} later commands are kept as a branch (restore them in the Script panel).`,
      );
    return true;
  }

  restoreBranch(i: number): void {
    const s = this.session;
    if (s === undefined) return;
    try {
      s.restoreBranch(i);
    } catch (e) {
      pushNotice('error', `Branch not restored: ${errorText(e)}`);
      return;
    }
    this.publish(true);
  }

  // ---- the controller's seam ----

  refuse(label: string): void {
    pushNotice('warning', `${label[0]!.toUpperCase()}${label.slice(1)} ${notHarness}.`);
  }

  /** User actions as harness commands (the harness's own vocabulary, run as a fork). */
  async act(intent: HarnessIntent): Promise<void> {
    const line = this.commandFor(intent);
    if (line !== undefined) this.fork(line);
    return Promise.resolve();
  }

  private commandFor(intent: HarnessIntent): string | undefined {
    const st = getState();
    switch (intent.kind) {
      case 'step':
        this.next();
        return undefined;
      case 'tick':
        // The harness's heartbeat is one tick.
        return `tick-heartbeat ${intent.node}`;
      case 'campaign':
        return `campaign ${intent.node}`;
      case 'runCycle':
      case 'runStage':
        // The harness handles a Ready whole: every stage at once.
        return `process-ready ${intent.node}`;
      case 'deliver':
      case 'drop': {
        // The harness delivers (or drops) per recipient: every message queued for it.
        const env = st.cluster.inFlightById.get(intent.msgId);
        if (env === undefined) return undefined;
        return intent.kind === 'deliver' ? `deliver-msgs ${env.to}` : `deliver-msgs drop=${env.to}`;
      }
      case 'transferLeadership': {
        const from = st.cluster.leader;
        if (from === 0) {
          pushNotice('warning', 'Transfer leadership: no node is leader now.');
          return undefined;
        }
        return `transfer-leadership from=${from} to=${intent.to}`;
      }
      case 'compact': {
        const node = intent.node ?? st.cluster.leader;
        if (node === 0) {
          pushNotice('warning', 'Compact: choose a node (no node is leader now).');
          return undefined;
        }
        return `compact ${node} ${intent.index}`;
      }
    }
  }

  disk(id: number) {
    return this.session?.disk(id);
  }
}

export const scriptController = new ScriptController();

/** The session itself is the test and console handle (its name, steps and outputs). */
function publishFacade(s: ScriptSession | undefined): void {
  if (typeof window === 'undefined') return;
  const w = window as unknown as { raftlabScript?: ScriptSession };
  if (s === undefined) delete w.raftlabScript;
  else w.raftlabScript = s;
}
