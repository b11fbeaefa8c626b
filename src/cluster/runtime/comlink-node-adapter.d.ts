// comlink ships its Node adapter as an .mjs without a matching .d.mts; this shim
// gives the import its (existing) types.
declare module 'comlink/dist/esm/node-adapter.mjs' {
  export { default } from 'comlink/dist/esm/node-adapter';
}
