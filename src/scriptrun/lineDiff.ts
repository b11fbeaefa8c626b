// A side-by-side line diff of a command's expected and actual output, for the Script
// panel: lines common to both (a longest common subsequence) sit on one row; between
// two common lines, the expected-only and actual-only lines are paired row by row.

export interface DiffRow {
  /** The expected line (undefined: none on this row). */
  left: string | undefined;
  /** The actual line (undefined: none on this row). */
  right: string | undefined;
  /** Both sides hold the same line. */
  same: boolean;
}

/** The lines of an output (its final newline ends the last line, it does not start another). */
function lines(s: string): string[] {
  if (s === '') return [];
  return (s.endsWith('\n') ? s.slice(0, -1) : s).split('\n');
}

export function lineDiff(expected: string, actual: string): DiffRow[] {
  const e = lines(expected);
  const a = lines(actual);
  const n = e.length;
  const m = a.length;
  // lcs[i * (m + 1) + j]: length of the LCS of e[i..] and a[j..]. Outputs are small.
  const lcs = new Uint32Array((n + 1) * (m + 1));
  const at = (i: number, j: number) => lcs[i * (m + 1) + j]!;
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i * (m + 1) + j] = e[i] === a[j] ? at(i + 1, j + 1) + 1 : Math.max(at(i + 1, j), at(i, j + 1));
  const rows: DiffRow[] = [];
  let dels: string[] = [];
  let adds: string[] = [];
  const flush = () => {
    for (let k = 0; k < Math.max(dels.length, adds.length); k++)
      rows.push({ left: dels[k], right: adds[k], same: false });
    dels = [];
    adds = [];
  };
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && e[i] === a[j]) {
      flush();
      rows.push({ left: e[i], right: a[j], same: true });
      i++;
      j++;
    } else if (j < m && (i >= n || at(i, j + 1) >= at(i + 1, j))) adds.push(a[j++]!);
    else dels.push(e[i++]!);
  }
  flush();
  return rows;
}
