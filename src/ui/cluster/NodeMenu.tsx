// The small menu that opens when a node is clicked: the node's faults and actions.

import { useLayoutEffect, useRef, useState, type RefObject } from 'react';
import { closeNodeMenu, controller, selectLeader, selectMode, selectNode, selectNodeMenu, useRaft } from '../store';
import { notInHarness, useScriptActive } from '../scripts/mode';

export function NodeMenu({ svgRef }: { svgRef: RefObject<SVGSVGElement | null> }) {
  const id = useRaft(selectNodeMenu);
  const v = useRaft(selectNode(id));
  const leader = useRaft(selectLeader);
  const mode = useRaft(selectMode);
  // An etcd script is open: faults and membership requests are not harness commands.
  const script = useScriptActive();
  const ref = useRef<HTMLDivElement>(null);
  const [pos, setPos] = useState<{ left: number; top: number } | undefined>(undefined);

  useLayoutEffect(() => {
    const svg = svgRef.current;
    const menu = ref.current;
    if (id === 0 || svg === null || menu === null) return;
    const body = svg.querySelector(`[data-testid="node-${id}"] .node-body`);
    const box = svg.parentElement?.getBoundingClientRect();
    if (body === null || box === undefined) return;
    const r = body.getBoundingClientRect();
    const mw = menu.offsetWidth;
    const mh = menu.offsetHeight;
    // To the right of the node if it fits, else to its left; kept inside the view.
    let left = r.right - box.left + 12;
    if (left + mw > box.width - 4) left = r.left - box.left - mw - 12;
    left = Math.max(4, Math.min(left, box.width - mw - 4));
    const top = Math.max(4, Math.min(r.top - box.top + r.height / 2 - mh / 2, box.height - mh - 4));
    setPos({ left, top });
  }, [id, svgRef, v?.alive]);

  if (id === 0 || v === undefined) return null;
  const alive = v.alive;
  const act = (f: () => Promise<unknown>) => () => {
    closeNodeMenu();
    void f();
  };
  return (
    <div
      ref={ref}
      className="node-menu"
      role="menu"
      aria-label={`Actions for node ${id}`}
      data-testid={`node-menu-${id}`}
      style={pos === undefined ? { visibility: 'hidden' } : { left: pos.left, top: pos.top }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') closeNodeMenu();
      }}
    >
      <div className="node-menu-title">Node {id}</div>
      <button
        type="button"
        role="menuitem"
        data-testid={`crash-${id}`}
        disabled={!alive || script}
        onClick={act(() => controller.crash(id))}
        title={
          script
            ? notInHarness
            : "Crash: terminate the node's process. Only its disk (HardState, log, snapshot) survives. (c)"
        }
      >
        Crash
      </button>
      <button
        type="button"
        role="menuitem"
        data-testid={`restart-${id}`}
        disabled={v.status !== 'crashed' || script}
        onClick={act(() => controller.restart(id))}
        title={script ? notInHarness : "Restart from the disk alone, like etcd's RestartNode. (r)"}
      >
        Restart
      </button>
      <button
        type="button"
        role="menuitem"
        data-testid={`pause-node-${id}`}
        disabled={!alive || script}
        onClick={act(() => controller.togglePauseNode(id))}
        title={
          script
            ? notInHarness
            : 'Pause/resume the process: a paused node neither ticks nor receives; its messages wait. (x)'
        }
      >
        {v.paused ? 'Resume' : 'Pause'}
      </button>
      <button
        type="button"
        role="menuitem"
        data-testid={`campaign-${id}`}
        disabled={!alive}
        onClick={act(() => controller.campaign(id))}
        title="Make this node campaign now (MsgHup). (e)"
      >
        Campaign
      </button>
      <button
        type="button"
        role="menuitem"
        data-testid={`transfer-${id}`}
        disabled={!alive || leader === 0 || leader === id}
        onClick={act(() => controller.transferLeadership(id))}
        title="Ask the leader to transfer leadership to this node (MsgTransferLeader → MsgTimeoutNow)."
      >
        Transfer leadership here
      </button>
      <button
        type="button"
        role="menuitem"
        data-testid={`tick-${id}`}
        disabled={!alive}
        onClick={act(() => controller.tick(id))}
        title="Tick this node's logical clock once."
      >
        Tick
      </button>
      {mode === 'manual' && (
        <button
          type="button"
          role="menuitem"
          data-testid={`stage-${id}`}
          disabled={!alive}
          onClick={act(() => controller.runStage(id))}
          title="Run the next stage of this node's Ready cycle: persist → send → apply → advance."
        >
          Next Ready stage{v.pendingStages.length > 0 ? ` (${v.pendingStages[0]})` : ''}
        </button>
      )}
      {v.isLearner && (
        <button
          type="button"
          role="menuitem"
          data-testid={`promote-${id}`}
          disabled={!alive || script}
          onClick={act(() => controller.promote(id))}
          title={script ? notInHarness : 'Propose a configuration change promoting this learner to voter.'}
        >
          Promote to voter
        </button>
      )}
      <button
        type="button"
        role="menuitem"
        data-testid={`remove-${id}`}
        disabled={v.status === 'removed' || script}
        onClick={act(() => controller.removeNode(id))}
        title={script ? notInHarness : 'Propose a configuration change removing this node from the cluster.'}
      >
        Remove from cluster
      </button>
    </div>
  );
}
