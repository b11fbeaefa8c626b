// The raft log lines a cluster keeps for display: the most recent ones (about 500),
// and how many there were in all.
//
// Checkpoints keep the window as a chain of segments, each with the lines logged since
// the previous checkpoint of the same lineage (packed: a line costs its text), so a
// line is stored once however many checkpoints' windows it is in.

import { pack, unpack } from './packed';
import type { LogLine } from './protocol';

export const maxLogLines = 500;

/** Lines [from, to) of a run, packed as [node, level, text, node, level, text, ...]. */
export interface LineSegment {
  readonly prev: LineSegment | undefined;
  readonly from: number;
  readonly to: number;
  readonly bytes: Uint8Array;
}

export interface LogWindowImage {
  /** Lines logged in all. */
  count: number;
  /** How many of the last ones the window held. */
  kept: number;
  segment: LineSegment | undefined;
}

export class LogWindow {
  /** The kept lines, oldest first. */
  readonly lines: LogLine[] = [];
  /** Lines logged in all. */
  private count = 0;
  private lastSegment: LineSegment | undefined;

  /** Appends a Ready's or a command's lines; the window keeps the last maxLogLines. */
  push(lines: readonly LogLine[]): void {
    for (const l of lines) this.lines.push(l);
    this.count += lines.length;
    if (this.lines.length > maxLogLines) this.lines.splice(0, this.lines.length - maxLogLines);
  }

  /** Appends one line without trimming (a panic note: kept until the next push trims). */
  note(line: LogLine): void {
    this.lines.push(line);
    this.count++;
  }

  checkpoint(): LogWindowImage {
    const prev = this.lastSegment;
    const from = Math.max(prev?.to ?? 0, this.count - this.lines.length);
    if (this.count > from || prev === undefined) {
      const fresh = this.lines.slice(this.lines.length - (this.count - from));
      const flat: unknown[] = [];
      for (const l of fresh) flat.push(l.node, l.level, l.text);
      this.lastSegment = { prev, from, to: this.count, bytes: pack(flat) };
    }
    return { count: this.count, kept: this.lines.length, segment: this.lastSegment };
  }

  /** Forgets the segments of earlier checkpoints (after the checkpoints were dropped). */
  forgetSegments(): void {
    this.lastSegment = undefined;
  }

  /** Makes this (fresh) window the one of a checkpoint. */
  restore(img: LogWindowImage): void {
    this.count = img.count;
    this.lastSegment = img.segment;
    const first = img.count - img.kept;
    const segs: LineSegment[] = [];
    for (let s = img.segment; s !== undefined && s.to > first; s = s.prev) segs.push(s);
    this.lines.length = 0;
    for (let i = segs.length - 1; i >= 0; i--) {
      const s = segs[i]!;
      const flat = unpack(s.bytes) as unknown[];
      for (let q = Math.max(first, s.from); q < s.to; q++) {
        const k = (q - s.from) * 3;
        this.lines.push({ node: flat[k] as number, level: flat[k + 1] as string, text: flat[k + 2] as string });
      }
    }
    if (this.lines.length !== img.kept)
      throw new Error(`log window: restored ${this.lines.length} of ${img.kept} lines`);
  }
}
