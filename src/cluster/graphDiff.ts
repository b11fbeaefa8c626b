// Deep comparison of two object graphs (a host and its restored copy), for tests:
// the path of the first difference, or undefined when they are equal. Classes
// (prototypes), own enumerable fields, Map/Set contents in order, typed arrays byte by
// byte, and the sharing structure (an object met twice on one side is met at the same
// places on the other) are compared. A function must be the same function or have the
// same source: the closures hostImage.ts makes again on restore (a logger's sink, raft's
// random source) are new functions over the restored objects, whose state cannot be read
// here; the behaviour tests (same results afterwards) cover what they capture.

export function graphDiff(a: unknown, b: unknown): string | undefined {
  const seen = new Map<object, object>();
  const walk = (x: unknown, y: unknown, path: string): string | undefined => {
    if (Object.is(x, y)) return undefined;
    if (typeof x !== typeof y) return `${path}: ${typeof x} vs ${typeof y}`;
    if (typeof x === 'function')
      return String(x) === String(y) ? undefined : `${path}: different functions (${(x as { name: string }).name})`;
    if (typeof x !== 'object' || x === null || y === null) return `${path}: ${String(x)} vs ${String(y)}`;
    const xo = x;
    const yo = y as object;
    const paired = seen.get(xo);
    if (paired !== undefined) return paired === yo ? undefined : `${path}: sharing differs`;
    seen.set(xo, yo);
    if (Object.getPrototypeOf(xo) !== Object.getPrototypeOf(yo))
      return `${path}: class ${xo.constructor.name} vs ${yo.constructor.name}`;
    if (Object.isFrozen(xo) !== Object.isFrozen(yo)) return `${path}: frozen on one side only`;
    if (ArrayBuffer.isView(xo)) {
      const xb = new Uint8Array(xo.buffer, xo.byteOffset, xo.byteLength);
      const yv = yo as ArrayBufferView;
      const yb = new Uint8Array(yv.buffer, yv.byteOffset, yv.byteLength);
      if (xb.length !== yb.length) return `${path}: ${xb.length} bytes vs ${yb.length}`;
      for (let i = 0; i < xb.length; i++) if (xb[i] !== yb[i]) return `${path}[${i}]: byte differs`;
      return undefined;
    }
    if (xo instanceof Map || xo instanceof Set) {
      const xe = [...(xo as Map<unknown, unknown>).entries()];
      const ye = [...(yo as Map<unknown, unknown>).entries()];
      if (xe.length !== ye.length) return `${path}: size ${xe.length} vs ${ye.length}`;
      for (let i = 0; i < xe.length; i++) {
        const d = walk(xe[i]![0], ye[i]![0], `${path}.<key ${i}>`) ?? walk(xe[i]![1], ye[i]![1], `${path}.<${i}>`);
        if (d !== undefined) return d;
      }
      return undefined;
    }
    const xk = Object.keys(xo);
    const yk = Object.keys(yo);
    if (xk.join() !== yk.join()) return `${path}: fields [${xk.join()}] vs [${yk.join()}]`;
    for (const k of xk) {
      const d = walk((xo as Record<string, unknown>)[k], (yo as Record<string, unknown>)[k], `${path}.${k}`);
      if (d !== undefined) return d;
    }
    return undefined;
  };
  return walk(a, b, '$');
}
