// The bundled copies of Raftlab's own scripts ship without their comments (vite.config.ts):
// a comment line between test cases becomes an empty line, so every directive keeps its
// line number and the script reads exactly the same. Lines inside a case (its input and
// its expected output) are never touched, even if they start with "#".

export function blankComments(text: string): string {
  const lines = text.split('\n');
  let inCase = false;
  let inExpected = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (inExpected) {
      if (line === '') inCase = inExpected = false;
    } else if (inCase) {
      if (line === '----') inExpected = true;
    } else if (line.trim().startsWith('#')) {
      lines[i] = '';
    } else if (line.trim() !== '') {
      inCase = true;
    }
  }
  return lines.join('\n');
}
