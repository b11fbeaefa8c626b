// Alias module: the KV store lives in kvStore.ts (cluster.ts imports this path).
export { encodePut, decodePut, KVStore } from './kvStore';
export type { Put } from './kvStore';
