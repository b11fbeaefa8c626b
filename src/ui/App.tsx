// The landing page, shown while the visualizer is being built.
//
// Test ids: end-to-end tests locate elements only through `data-testid`, never through
// text or CSS classes, so copy and styling can change freely. Ids are kebab-case and
// name the area first, then the thing: `app-title`, `status-section`. Elements that
// repeat per node or per message append the id: `node-card-1`, `message-42`.

interface StatusItem {
  id: string;
  label: string;
  detail: string;
  state: 'ready' | 'building';
}

// What exists today, stated plainly; update when a layer lands.
const STATUS: StatusItem[] = [
  {
    id: 'library',
    label: 'Consensus library',
    detail: 'etcd raft v3.7.0 ported to TypeScript: pure, synchronous, deterministic (src/raft).',
    state: 'building',
  },
  {
    id: 'harness',
    label: 'Conformance harness',
    detail: "Runs etcd's own data-driven test files and prints exactly what etcd prints (src/interaction).",
    state: 'building',
  },
  {
    id: 'visualizer',
    label: 'Visualizer',
    detail: 'Nodes in Web Workers, a controllable network, time travel and lessons. Under construction.',
    state: 'building',
  },
];

function Logo() {
  // Three nodes exchanging messages; the filled one is the leader.
  return (
    <svg className="logo" viewBox="0 0 64 64" aria-hidden="true" focusable="false">
      <line x1="32" y1="14" x2="14" y2="48" />
      <line x1="32" y1="14" x2="50" y2="48" />
      <line x1="14" y1="48" x2="50" y2="48" className="logo-idle" />
      <circle cx="32" cy="14" r="9" className="logo-leader" />
      <circle cx="14" cy="48" r="8" />
      <circle cx="50" cy="48" r="8" />
    </svg>
  );
}

export function App() {
  return (
    <div className="page" data-testid="app-root">
      <header className="hero">
        <Logo />
        <div>
          <h1 data-testid="app-title">Raftlab</h1>
          <p className="tagline">A Raft laboratory in your browser.</p>
        </div>
      </header>

      <main>
        <section className="card" aria-labelledby="about-heading" data-testid="about-section">
          <h2 id="about-heading">What it is</h2>
          <p data-testid="app-description">
            Raftlab is a laboratory for the Raft consensus algorithm, built to run entirely in the browser: each node a
            faithful TypeScript port of the etcd raft library with its own storage in its own Web Worker, and the page
            playing the network, which can lose, delay, duplicate, reorder and partition messages. When the visualizer
            is finished you will drive time tick by tick, deliver messages one at a time, crash and restart nodes, and
            see everything etcd&apos;s <code>Ready</code> carries: terms, votes, logs, commit and applied indices, and
            the messages each node wants to send. The same configuration, seed and actions always replay the same run.
          </p>
        </section>

        <section className="card" aria-labelledby="status-heading" data-testid="status-section">
          <h2 id="status-heading">Status</h2>
          <p className="status-lead">
            The visualizer is under construction. The work is happening bottom-up, starting with the library.
          </p>
          <ul className="status-list">
            {STATUS.map((item) => (
              <li key={item.id} data-testid={`status-${item.id}`} data-state={item.state}>
                <span className={`badge badge-${item.state}`}>{item.state === 'ready' ? 'ready' : 'in progress'}</span>
                <div>
                  <strong>{item.label}</strong>
                  <span className="detail">{item.detail}</span>
                </div>
              </li>
            ))}
          </ul>
        </section>
      </main>

      <footer className="footer">
        Behaviour follows etcd-io/raft v3.7.0. Runs entirely offline; nothing leaves this page.
      </footer>
    </div>
  );
}
