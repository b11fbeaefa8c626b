// Entry point: restores the appearance, starts the controller (which builds the
// cluster), and renders the app. URL parameters, for demos and tests:
//   ?runtime=inprocess   run nodes on the main thread instead of Web Workers
//   ?autoplay=0          start paused
//   ?nodes=N&seed=S      initial cluster size and seed
//   ?theme=dark|light  ?projector=1

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { controller, loadAppearance, setAppearance, type ClusterSettings } from './store';
import './app.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

const params = new URLSearchParams(window.location.search);
loadAppearance();
const theme = params.get('theme');
if (theme === 'dark' || theme === 'light') setAppearance({ theme });
if (params.has('projector')) setAppearance({ projector: params.get('projector') !== '0' });

const settings: Partial<ClusterSettings> = {};
const nodes = Number(params.get('nodes'));
if (Number.isInteger(nodes) && nodes >= 1) settings.nodes = nodes;
const seed = params.get('seed');
if (seed !== null && Number.isFinite(Number(seed))) settings.seed = Number(seed);

createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

void controller.start({
  runtime: params.get('runtime') === 'inprocess' ? 'in-process' : 'worker',
  autoplay: params.get('autoplay') !== '0',
  settings,
});
