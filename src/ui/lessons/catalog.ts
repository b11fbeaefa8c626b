// The lessons bundled with the app: every src/lessons/files/*.txt, parsed once. A file
// that does not parse is left out and reported (the lesson index lists the problems),
// so a malformed lesson never breaks the app.

import type { Lesson } from '../../lessons/format';
import { parseCatalog } from '../../lessons/parse';

const files = import.meta.glob<string>('../../lessons/files/*.txt', { query: '?raw', import: 'default', eager: true });

let parsed: { lessons: Lesson[]; problems: string[] } | undefined;

/** The lessons in index order, and one message per file that could not be read. */
export function lessonCatalog(): { lessons: Lesson[]; problems: string[] } {
  parsed ??= parseCatalog(
    Object.fromEntries(Object.entries(files).map(([path, text]) => [path.replace(/^.*\/lessons\//, ''), text])),
  );
  return parsed;
}

export function findLesson(id: string): Lesson | undefined {
  return lessonCatalog().lessons.find((l) => l.id === id);
}
