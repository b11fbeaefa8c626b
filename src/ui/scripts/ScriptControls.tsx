// The top bar's script controls: "Scripts…" opens a menu (open a file, or one of
// Raftlab's own scripts); while a script is open, Back / Next step through its
// commands and "Close script" returns to the cluster. The file input is the one the
// end-to-end tests drive (data-testid="script-file"); a file dropped anywhere on the
// window opens the same way (useScriptDrop).

import { useEffect, useRef, useState } from 'react';
import { useRaft } from '../store';
import { loadOwnScripts, openOwn, openScriptFile } from './open';
import { scriptController } from './scriptController';
import './scripts.css';

export function ScriptControls() {
  const active = useRaft((s) => s.script.active);
  const step = useRaft((s) => s.script.step);
  const total = useRaft((s) => s.script.commands.length);
  const [menu, setMenu] = useState(false);
  const [own, setOwn] = useState<readonly string[]>([]);
  const input = useRef<HTMLInputElement>(null);
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!menu) return;
    void loadOwnScripts().then((l) => setOwn(l.map((s) => s.name)));
    const away = (e: PointerEvent) => {
      if (!box.current?.contains(e.target as Node)) setMenu(false);
    };
    window.addEventListener('pointerdown', away);
    return () => window.removeEventListener('pointerdown', away);
  }, [menu]);

  const pick = (f: () => void) => () => {
    setMenu(false);
    f();
  };

  return (
    <div className="group script-controls" ref={box} onKeyDown={(e) => e.key === 'Escape' && setMenu(false)}>
      <button
        type="button"
        data-testid="scripts"
        aria-haspopup="menu"
        aria-expanded={menu}
        onClick={() => setMenu(!menu)}
        title="etcd interaction scripts: open one of etcd's data-driven test files (or drop it on the window) and watch it command by command, etcd's expected output beside Raftlab's"
      >
        Scripts…
      </button>
      {menu && (
        <div className="script-menu node-menu" role="menu" aria-label="Scripts" data-testid="script-menu">
          <button type="button" role="menuitem" onClick={pick(() => input.current?.click())}>
            Open etcd script…
          </button>
          <div className="node-menu-title">Raftlab&apos;s scripts</div>
          {own.map((name) => (
            <button
              key={name}
              type="button"
              role="menuitem"
              data-testid={`script-bundled-${name}`}
              onClick={pick(() => void openOwn(name))}
            >
              {name.replace(/\.txt$/, '')}
            </button>
          ))}
          <p className="muted">Or drop a script file anywhere on the window.</p>
        </div>
      )}
      <input
        ref={input}
        type="file"
        accept=".txt,text/plain"
        data-testid="script-file"
        aria-label="etcd interaction script to open"
        hidden
        onChange={(e) => {
          const el = e.currentTarget;
          const f = el.files?.[0];
          if (f !== undefined)
            void openScriptFile(f).finally(() => {
              el.value = '';
            });
        }}
      />
      {active && (
        <>
          <button
            type="button"
            data-testid="script-back"
            disabled={step === 0}
            onClick={() => scriptController.back()}
            title="Back one command (←)"
          >
            ‹ Back
          </button>
          <span className="muted" title="Commands run so far, of the script's commands">
            {step} / {total}
          </span>
          <button
            type="button"
            className="primary"
            data-testid="script-next"
            disabled={step === total}
            onClick={() => scriptController.next()}
            title="Run the next command (→ or .)"
          >
            Next ›
          </button>
          <button
            type="button"
            data-testid="script-close"
            onClick={() => scriptController.close()}
            title="Close the script: back to the cluster, exactly as it was"
          >
            Close script
          </button>
        </>
      )}
    </div>
  );
}

/** Opens a file dropped anywhere on the window (the browser shows the copy cursor over it). */
export function useScriptDrop(): void {
  useEffect(() => {
    const files = (e: DragEvent) => e.dataTransfer?.types.includes('Files') === true;
    const onOver = (e: DragEvent) => {
      if (files(e)) e.preventDefault();
    };
    const onDrop = (e: DragEvent) => {
      if (!files(e)) return;
      e.preventDefault();
      const f = e.dataTransfer?.files[0];
      if (f !== undefined) void openScriptFile(f);
    };
    window.addEventListener('dragover', onOver);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragover', onOver);
      window.removeEventListener('drop', onDrop);
    };
  }, []);
}
