// The top bar: time controls, the mode, the seed and the cluster-wide actions.

import { useEffect, useRef, useState } from 'react';
import type { SchedulerMode } from '../../cluster/scheduler';
import { PictureMenu } from '../export/PictureMenu';
import { FileMenu } from './RunFile';
import { ShareLinkButton } from './ShareLink';
import { ScriptControls } from '../scripts/ScriptControls';
import { useScriptActive } from '../scripts/mode';
import {
  controller,
  maxSpeed,
  minSpeed,
  selectAppearance,
  selectBusy,
  selectClusterStatus,
  selectLeader,
  selectMode,
  selectPlaying,
  selectRuntime,
  selectSettings,
  selectSpeed,
  selectStep,
  selectVirtualTime,
  setAppearance,
  setHelpOpen,
  setLessonIndexOpen,
  setPartitionOpen,
  setSettingsOpen,
  useRaft,
  useRaftSubscription,
} from '../store';

/**
 * The scheduler modes as the toggle shows them. The scheduler's 'play' mode is labelled
 * "Run" so it is not confused with the ▶ Play button, which starts and stops the clock.
 */
const modes: readonly { mode: SchedulerMode; label: string; title: string }[] = [
  {
    mode: 'play',
    label: 'Run',
    title: 'Run mode: while playing, virtual time flows by itself and every scheduled event happens in order',
  },
  {
    mode: 'step',
    label: 'Step',
    title: 'Step mode: time moves only when you press Step ›, one scheduled event at a time',
  },
  {
    mode: 'manual',
    label: 'Manual',
    title: 'Manual mode (m): nothing happens by itself — tick nodes, deliver messages and run Ready stages by hand',
  },
];

const sliderMax = 100;
const toSlider = (speed: number) =>
  Math.round((sliderMax * Math.log(speed / minSpeed)) / Math.log(maxSpeed / minSpeed));
const fromSlider = (v: number) => {
  const s = minSpeed * Math.pow(maxSpeed / minSpeed, v / sliderMax);
  return s < 1 ? Math.round(s * 100) / 100 : Math.round(s * 10) / 10;
};

/** The display clock, updated outside React renders (it changes every frame). */
function Clock() {
  const ref = useRef<HTMLSpanElement>(null);
  useRaftSubscription(selectVirtualTime, (t) => {
    if (ref.current !== null) ref.current.textContent = t.toFixed(1);
  });
  return (
    <span className="clock" title="Virtual time, in ticks (one tick = one heartbeat interval by default)">
      t ={' '}
      <span ref={ref} data-testid="clock">
        0.0
      </span>
    </span>
  );
}

export function TopBar() {
  const playing = useRaft(selectPlaying);
  const mode = useRaft(selectMode);
  const speed = useRaft(selectSpeed);
  const busy = useRaft(selectBusy);
  const step = useRaft(selectStep);
  const status = useRaft(selectClusterStatus);
  const runtime = useRaft(selectRuntime);
  const leader = useRaft(selectLeader);
  const settings = useRaft(selectSettings);
  const appearance = useRaft(selectAppearance);
  // While an etcd script is open, its controls replace the cluster's.
  const script = useScriptActive();
  const [seed, setSeed] = useState(String(settings.seed));
  useEffect(() => setSeed(String(settings.seed)), [settings.seed]);

  const applySeed = () => {
    const n = Number(seed);
    if (Number.isFinite(n) && n !== settings.seed) void controller.reset({ seed: n });
  };

  return (
    <header className="topbar" role="toolbar" aria-label="Simulation controls">
      <h1 className="brand" data-testid="app-title" title="Raftlab: etcd raft v3.7.0 in your browser">
        Raftlab
      </h1>
      <button
        type="button"
        data-testid="lessons-open"
        hidden={script}
        onClick={() => setLessonIndexOpen(true)}
        title="Lessons: step-by-step tours of Raft on the live cluster"
      >
        Lessons
      </button>
      <div className="group" hidden={script}>
        {playing ? (
          <button
            type="button"
            className="primary"
            data-testid="pause"
            onClick={() => controller.pause()}
            title="Pause (space)"
          >
            ❚❚ Pause
          </button>
        ) : (
          <button
            type="button"
            className="primary"
            data-testid="play"
            onClick={() => controller.play()}
            title="Play: virtual time follows the wall clock at the chosen speed (space)"
          >
            ▶ Play
          </button>
        )}
        <button
          type="button"
          data-testid="step"
          onClick={() => void controller.step()}
          title="Step: run exactly one scheduled event — one node's work at the next instant (.)"
        >
          Step ›
        </button>
        <label className="speed" title="Speed: virtual ticks per second, from slow motion to fast-forward">
          <span>Speed</span>
          <input
            type="range"
            data-testid="speed"
            min={0}
            max={sliderMax}
            value={toSlider(speed)}
            aria-valuetext={`${speed} ticks per second`}
            onChange={(e) => controller.setSpeed(fromSlider(Number(e.target.value)))}
          />
          <output className="speed-value">{speed}×</output>
        </label>
      </div>
      <div className="group" title="How virtual time moves" hidden={script}>
        <span className="mode-label" id="mode-label" style={{ color: 'var(--muted)' }}>
          Mode
        </span>
        <div role="radiogroup" aria-labelledby="mode-label" style={{ display: 'flex' }}>
          {modes.map(({ mode: m, label, title }) => (
            <button
              key={m}
              type="button"
              role="radio"
              aria-checked={mode === m}
              className={mode === m ? 'seg is-on' : 'seg'}
              data-testid={`mode-${m}`}
              onClick={() => void controller.setMode(m)}
              title={title}
            >
              {label}
            </button>
          ))}
        </div>
      </div>
      <div className="group status-readout" hidden={script}>
        <Clock />
        <span title="Actions recorded so far (the timeline's step)">step {step}</span>
        <span title="The current leader" data-testid="leader-readout">
          leader {leader === 0 ? '—' : leader}
        </span>
        {busy && (
          <span className="busy" aria-live="polite" title="An action is running">
            ●
          </span>
        )}
      </div>
      <div className="group" hidden={script}>
        <label
          className="seed"
          title="Seed of every random choice (election timeouts, network jitter, loss). Changing it rebuilds the cluster."
        >
          <span>Seed</span>
          <input
            type="number"
            data-testid="seed"
            value={seed}
            onChange={(e) => setSeed(e.target.value)}
            onBlur={applySeed}
            onKeyDown={(e) => {
              if (e.key === 'Enter') applySeed();
            }}
          />
        </label>
        <button
          type="button"
          data-testid="add-node"
          onClick={() => void controller.addNode()}
          title="Add a node: start it and propose a configuration change adding it as a voter (a)"
        >
          + Node
        </button>
        <button
          type="button"
          data-testid="partition"
          onClick={() => setPartitionOpen(true)}
          title="Partition the network into groups"
        >
          Partition…
        </button>
        <button
          type="button"
          data-testid="heal"
          onClick={() => void controller.heal()}
          title="Heal: restore every link (h)"
        >
          Heal all
        </button>
        <button
          type="button"
          data-testid="settings"
          onClick={() => setSettingsOpen(true)}
          title="Cluster settings: nodes, raft options, network (rebuilds the cluster)"
        >
          Settings…
        </button>
      </div>
      <div className="group" hidden={script}>
        <FileMenu />
        <ShareLinkButton />
        <PictureMenu />
      </div>
      <ScriptControls />
      <div className="group end">
        <button
          type="button"
          data-testid="theme-toggle"
          aria-pressed={appearance.theme === 'dark'}
          aria-label="Dark theme"
          onClick={() => setAppearance({ theme: appearance.theme === 'dark' ? 'light' : 'dark' })}
          title="Light or dark theme (d)"
        >
          {appearance.theme === 'dark' ? '☀' : '☾'}
        </button>
        <button
          type="button"
          data-testid="projector-toggle"
          aria-pressed={appearance.projector}
          onClick={() => setAppearance({ projector: !appearance.projector })}
          title="Projector mode: larger text and strokes for a classroom (p)"
        >
          Projector
        </button>
        <button
          type="button"
          data-testid="help"
          onClick={() => setHelpOpen(true)}
          title="Keyboard shortcuts and help (?)"
        >
          ?
        </button>
        <span
          className={`runtime runtime-${runtime ?? 'none'}`}
          title={
            runtime === 'in-process'
              ? 'Nodes run on the main thread (Web Workers unavailable)'
              : 'Each node runs in its own Web Worker'
          }
        >
          {status === 'booting'
            ? 'starting…'
            : status === 'error'
              ? 'error'
              : runtime === 'worker'
                ? 'workers'
                : 'in-process'}
        </span>
      </div>
    </header>
  );
}
