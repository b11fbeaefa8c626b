// The app shell: the top bar, the cluster view on the left, the panel area on the
// right (tabs over panels/index.ts's side panels), the timeline slot at the bottom,
// and the overlays (menus, dialogs, notices). In projector mode on a short screen the
// timeline moves under the panels, so the cluster view keeps the full height (app.css).
//
// Test ids: end-to-end tests locate elements only through `data-testid` (kebab-case,
// area first: `node-3`, `crash-3`, `tab-events`), never through text or CSS classes.

import { useEffect } from 'react';
import { ClusterView } from './cluster/ClusterView';
import { HelpOverlay } from './controls/HelpOverlay';
import { Notices } from './controls/Notices';
import { PartitionDialog } from './controls/PartitionDialog';
import { SettingsDialog } from './controls/SettingsDialog';
import { useShortcuts } from './controls/shortcuts';
import { TopBar } from './controls/TopBar';
import { LessonIndex } from './lessons/LessonIndex';
import { LessonPlayer } from './lessons/LessonPlayer';
import { bottomPanel, clusterOnlyHint, sidePanels } from './panels';
import { DockedLogs } from './panels/logs/LogsPanel';
import { WhyDialog } from './panels/why/WhyDialog';
import { useScriptDrop } from './scripts/ScriptControls';
import { useScriptActive } from './scripts/mode';
import { ScriptStepper } from './scripts/ScriptStepper';
import { selectActivePanel, selectAppearance, selectLessonId, selectSideWide, setActivePanel, useRaft } from './store';

/**
 * The side panels listed (the script panel only in script mode), whether one is off
 * (about the cluster alone, in script mode), and the one shown: the active one, or the first.
 */
function useCurrentPanel() {
  const active = useRaft(selectActivePanel);
  const script = useScriptActive();
  const list = sidePanels().filter((p) => script || p.only !== 'script');
  const off = (p: (typeof list)[number]) => script && p.only === 'cluster';
  return { list, off, current: list.find((p) => p.id === active && !off(p)) ?? list[0] };
}

function SidePanels({ lesson }: { lesson: boolean }) {
  const { list, off, current } = useCurrentPanel();
  return (
    <aside className="side" aria-label="Panels">
      {lesson && <LessonPlayer />}
      <div className="tabs" role="tablist" aria-label="Panels">
        {list.map((p) => (
          <button
            key={p.id}
            type="button"
            role="tab"
            id={`tab-${p.id}`}
            aria-selected={p.id === current?.id}
            aria-controls={`panel-${p.id}`}
            className={p.id === current?.id ? 'tab is-on' : 'tab'}
            data-testid={`tab-${p.id}`}
            title={off(p) ? clusterOnlyHint : p.hint}
            disabled={off(p)}
            onClick={() => setActivePanel(p.id)}
          >
            {p.title}
          </button>
        ))}
      </div>
      {current !== undefined && (
        <section
          className="panel"
          role="tabpanel"
          id={`panel-${current.id}`}
          aria-labelledby={`tab-${current.id}`}
          data-testid={`panel-${current.id}`}
        >
          <current.component />
        </section>
      )}
    </aside>
  );
}

function BottomSlot() {
  const p = bottomPanel();
  const script = useScriptActive();
  if (p === undefined) return null;
  return (
    <section className="bottom" aria-label={script ? 'Script' : p.title} data-testid="bottom-slot">
      {!script && <DockedLogs />}
      {script ? <ScriptStepper /> : <p.component />}
    </section>
  );
}

export function App() {
  const appearance = useRaft(selectAppearance);
  const { current } = useCurrentPanel();
  const wide = useRaft(selectSideWide) && current?.widens === true;
  const script = useScriptActive();
  // While an etcd script is shown instead of the cluster, the lesson waits out of sight.
  const lesson = useRaft(selectLessonId) !== '' && !script;
  useScriptDrop();
  useShortcuts();
  useEffect(() => {
    const root = document.documentElement;
    root.dataset.theme = appearance.theme;
    root.dataset.projector = appearance.projector ? 'true' : 'false';
  }, [appearance]);
  return (
    <div
      className="app"
      data-testid="app-root"
      data-theme={appearance.theme}
      data-projector={appearance.projector ? 'true' : 'false'}
      data-script={script ? 'true' : 'false'}
      data-lesson={lesson ? 'true' : 'false'}
    >
      <TopBar />
      <main className={wide ? 'workspace is-wide' : 'workspace'}>
        <section className="stage" aria-label="Cluster">
          <ClusterView />
        </section>
        <SidePanels lesson={lesson} />
        <BottomSlot />
      </main>
      <Notices />
      <HelpOverlay />
      <SettingsDialog />
      <PartitionDialog />
      <WhyDialog />
      <LessonIndex />
    </div>
  );
}
