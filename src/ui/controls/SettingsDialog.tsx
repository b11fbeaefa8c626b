// Cluster settings. Applying rebuilds the cluster from scratch with the new settings.

import { useState } from 'react';
import { controller, getState, selectSettingsOpen, setSettingsOpen, useRaft, type ClusterSettings } from '../store';
import { Dialog } from './Dialog';

interface NumField {
  key: keyof ClusterSettings;
  label: string;
  hint: string;
  min: number;
  max: number;
  step: number;
}

const numFields: NumField[] = [
  { key: 'nodes', label: 'Nodes', hint: 'Initial voters (1–9), ids 1..n', min: 1, max: 9, step: 1 },
  {
    key: 'seed',
    label: 'Seed',
    hint: 'Seed of every random choice: same seed + same actions = same run',
    min: 0,
    max: 4294967295,
    step: 1,
  },
  {
    key: 'electionTick',
    label: 'ElectionTick',
    hint: 'Ticks without hearing from a leader before a follower campaigns (randomized in [ElectionTick, 2×ElectionTick))',
    min: 2,
    max: 1000,
    step: 1,
  },
  {
    key: 'heartbeatTick',
    label: 'HeartbeatTick',
    hint: 'Ticks between leader heartbeats; must be less than ElectionTick',
    min: 1,
    max: 999,
    step: 1,
  },
  {
    key: 'maxSizePerMsg',
    label: 'MaxSizePerMsg',
    hint: 'Largest MsgApp in bytes (entries are batched up to this)',
    min: 1,
    max: 1 << 30,
    step: 1,
  },
  {
    key: 'maxInflightMsgs',
    label: 'MaxInflightMsgs',
    hint: 'MsgApps a leader may have in flight to one follower in StateReplicate',
    min: 1,
    max: 1 << 20,
    step: 1,
  },
  {
    key: 'snapCount',
    label: 'snapCount',
    hint: "Applied entries between two snapshots (raftexample's --snap-count)",
    min: 1,
    max: 1e9,
    step: 1,
  },
  {
    key: 'latency',
    label: 'Latency (ticks)',
    hint: 'Base one-way network latency, in ticks',
    min: 0.001,
    max: 100,
    step: 0.1,
  },
  {
    key: 'jitter',
    label: 'Jitter (ticks)',
    hint: 'Extra random latency, uniform in [0, jitter)',
    min: 0,
    max: 100,
    step: 0.1,
  },
  { key: 'loss', label: 'Loss', hint: 'Probability that a message is lost (0–1)', min: 0, max: 1, step: 0.01 },
  {
    key: 'duplication',
    label: 'Duplication',
    hint: 'Probability that a message is delivered twice (0–1)',
    min: 0,
    max: 1,
    step: 0.01,
  },
];

function SettingsForm() {
  const [draft, setDraft] = useState<ClusterSettings>(() => ({ ...getState().settings.settings }));
  const set = <K extends keyof ClusterSettings>(k: K, v: ClusterSettings[K]) => setDraft((d) => ({ ...d, [k]: v }));
  const close = () => setSettingsOpen(false);
  return (
    <form
      className="settings-form"
      onSubmit={(e) => {
        e.preventDefault();
        close();
        void controller.reset(draft);
      }}
    >
      <div className="form-grid">
        {numFields.map((f) => (
          <label key={f.key} title={f.hint}>
            <span>{f.label}</span>
            <input
              type="number"
              data-testid={`setting-${f.key}`}
              min={f.min}
              max={f.max}
              step={f.step}
              value={draft[f.key] as number}
              onChange={(e) => set(f.key, Number(e.target.value) as never)}
            />
          </label>
        ))}
        <label title="Pre-vote: a node first asks whether it could win before disrupting the cluster with a higher term (§9.6)">
          <span>PreVote</span>
          <input
            type="checkbox"
            data-testid="setting-preVote"
            checked={draft.preVote}
            onChange={(e) => set('preVote', e.target.checked)}
          />
        </label>
        <label title="CheckQuorum: a leader steps down when it has not heard from a quorum within an election timeout">
          <span>CheckQuorum</span>
          <input
            type="checkbox"
            data-testid="setting-checkQuorum"
            checked={draft.checkQuorum}
            onChange={(e) => set('checkQuorum', e.target.checked)}
          />
        </label>
        <label title="How linearizable reads are served: ReadOnlySafe confirms leadership with a heartbeat round; ReadOnlyLeaseBased relies on the leader lease (needs CheckQuorum)">
          <span>ReadOnly</span>
          <select
            data-testid="setting-readOnly"
            value={draft.readOnly}
            onChange={(e) => set('readOnly', e.target.value as ClusterSettings['readOnly'])}
          >
            <option value="ReadOnlySafe">ReadOnlySafe</option>
            <option value="ReadOnlyLeaseBased">ReadOnlyLeaseBased</option>
          </select>
        </label>
      </div>
      <p className="muted">Applying rebuilds the cluster from scratch; the current run is discarded.</p>
      <div className="dialog-actions">
        <button type="button" onClick={close} title="Keep the current cluster">
          Cancel
        </button>
        <button
          type="submit"
          className="primary"
          data-testid="settings-apply"
          title="Rebuild the cluster with these settings"
        >
          Apply and reset
        </button>
      </div>
    </form>
  );
}

export function SettingsDialog() {
  const open = useRaft(selectSettingsOpen);
  if (!open) return null;
  return (
    <Dialog title="Cluster settings" onClose={() => setSettingsOpen(false)} testId="settings-dialog" wide>
      <SettingsForm />
    </Dialog>
  );
}
