// Entry point: restores the appearance, applies the URL parameters (urlParams.ts),
// starts the controller (which builds the cluster), and renders the app. URL parameters
// that do not parse are ignored and reported in a notice. A shared run in the fragment
// (#run=…, see cluster/runLink.ts) is opened once the cluster is up, paused at its step;
// pasting another run link into the address bar opens it too (hashchange).

import './preactCompat';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { lessonCatalog } from './lessons/catalog';
import { lessonSession } from './lessons/session';
import { controller, loadAppearance, pushNotice, setAppearance, type ClusterSettings } from './store';
import { runParamOf } from '../cluster/runLink';
import { readUrlOptions } from './urlParams';
import './app.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

const catalog = lessonCatalog();
const url = readUrlOptions(
  window.location.search,
  catalog.lessons.map((l) => ({ id: l.id, steps: l.steps.length })),
);
loadAppearance();
if (url.theme !== undefined) setAppearance({ theme: url.theme });
if (url.projector !== undefined) setAppearance({ projector: url.projector });

const settings: Partial<ClusterSettings> = {};
if (url.nodes !== undefined) settings.nodes = url.nodes;
if (url.seed !== undefined) settings.seed = url.seed;

createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

// Sticky: a link given to a class should say plainly why it opened something else.
for (const problem of url.problems) pushNotice('warning', problem, { sticky: true });

// A lesson file that does not parse is left out of the index and named once here.
for (const problem of catalog.problems) pushNotice('warning', `A lesson file was skipped: ${problem}`);

const sharedRun = runParamOf(window.location.hash);
if (url.lesson !== undefined) {
  // A lesson builds its own cluster (paused); no other cluster is started first.
  controller.useRuntime(url.runtime);
  void lessonSession.open(url.lesson, url.lessonStep);
} else {
  void controller
    .start({ runtime: url.runtime, autoplay: sharedRun === undefined && url.autoplay, settings })
    .then(() => (sharedRun === undefined ? undefined : controller.openLink(sharedRun)));
}

window.addEventListener('hashchange', () => {
  const run = runParamOf(window.location.hash);
  if (run !== undefined) void controller.idle().then(() => controller.openLink(run));
});
