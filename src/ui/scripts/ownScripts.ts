// Raftlab's own scripts (test/scripts), all in one chunk: open.ts imports this module
// lazily, when the Scripts menu first opens, so they cost nothing until then.

const texts = import.meta.glob<string>('../../../test/scripts/*.txt', {
  query: '?raw',
  import: 'default',
  eager: true,
});

/** File name and text of each script, by name. */
export const ownScripts = Object.entries(texts)
  .map(([path, text]) => ({ name: path.slice(path.lastIndexOf('/') + 1), text }))
  .sort((a, b) => a.name.localeCompare(b.name));
