// The command table of the interaction harness (etcd's interaction_env_handler.go).
// Each command lives in its own handler*.ts file; the argument helpers they share
// are in handlerArgs.ts. This table imports the handlers and nothing imports it but
// the driver, so there is no import cycle.

import { handleAddNodes } from './handlerAddNodes';
import { handleCampaign } from './handlerCampaign';
import { handleCompact } from './handlerCompact';
import { handleDeliverMsgs } from './handlerDeliverMsgs';
import { handleForgetLeader } from './handlerForgetLeader';
import { handleLogLevel } from './handlerLogLevel';
import { handleProcessAppendThread } from './handlerProcessAppendThread';
import { handleProcessApplyThread } from './handlerProcessApplyThread';
import { handleProcessReady } from './handlerProcessReady';
import { handlePropose } from './handlerPropose';
import { handleProposeConfChange } from './handlerProposeConfChange';
import { handleRaftLog } from './handlerRaftLog';
import { handleRaftState } from './handlerRaftState';
import { handleReadIndex } from './handlerReadIndex';
import { handleReportUnreachable } from './handlerReportUnreachable';
import { handleSendSnapshot } from './handlerSendSnapshot';
import { handleSetRandomizedElectionTimeout } from './handlerSetRandomizedElectionTimeout';
import { handleStabilize } from './handlerStabilize';
import { handleStatus } from './handlerStatus';
import { handleTickElection, handleTickHeartbeat } from './handlerTick';
import { handleTransferLeadership } from './handlerTransferLeadership';
import type { Handler } from './interactionEnv';

export const handlers: ReadonlyMap<string, Handler> = new Map<string, Handler>([
  // A no-op to set a debugger breakpoint on.
  ['_breakpoint', () => {}],
  ['add-nodes', handleAddNodes],
  ['campaign', handleCampaign],
  ['compact', handleCompact],
  ['deliver-msgs', handleDeliverMsgs],
  ['process-ready', handleProcessReady],
  ['process-append-thread', handleProcessAppendThread],
  ['process-apply-thread', handleProcessApplyThread],
  ['log-level', handleLogLevel],
  ['raft-log', handleRaftLog],
  ['raft-state', handleRaftState],
  ['set-randomized-election-timeout', handleSetRandomizedElectionTimeout],
  ['stabilize', handleStabilize],
  ['status', handleStatus],
  ['tick-election', handleTickElection],
  ['tick-heartbeat', handleTickHeartbeat],
  ['transfer-leadership', handleTransferLeadership],
  ['forget-leader', handleForgetLeader],
  ['send-snapshot', handleSendSnapshot],
  ['propose', handlePropose],
  ['propose-conf-change', handleProposeConfChange],
  ['report-unreachable', handleReportUnreachable],
  // Raftlab's own addition (not in etcd's harness).
  ['read-index', handleReadIndex],
]);
