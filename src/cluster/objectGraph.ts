// A generic encoder of object graphs into structured-clone data, and its decoder.
//
// Structured clone (postMessage) already copies Maps, Sets, arrays, typed arrays,
// shared references and cycles, but it drops prototypes and refuses functions. This
// codec turns a graph of class instances into plain data that survives it, and back
// into an identical graph:
//
//   class instance     {$:'o', c: className, f: {field: value...}}       (registered classes only)
//   Map/Set subclass   {$:'m'|'s', c, f, e: [k, v, k, v...] | [v...]}   (e.g. raft's ProgressMap)
//   function           {$:'f', n: name}            (registered: prototype methods, module functions)
//   named constant     {$:'k', n: name}            (e.g. raft's shared emptyBytes, kept identical)
//   leaf / leaf list   {$:'l', ...} / {$:'L', ...} (values the caller encodes itself: log entries)
//   plain objects, arrays, Maps, Sets, Uint8Arrays, primitives: as they are (contents encoded).
//
// Shared references and cycles are kept (one mirror per source object), so after a
// round trip two fields that held the same object hold the same object again.
//
// Anything else (an unregistered class, an unknown function, a plain object with a
// key named '$') is an error naming the path where it was found: a new field that
// holds something the codec cannot rebuild fails loudly in the round-trip test
// rather than silently restoring a different host.
//
// Closures that hold state cannot be encoded. A class lists such fields in `skip`:
// they are not encoded, and `make` (which builds the empty instance the decoded fields
// are assigned to, by default Object.create of the prototype) or the caller's own
// revive step must create them again from restored objects.

export interface ClassSpec {
  name: string;
  cls: abstract new (...args: never[]) => object;
  /** Fields left out: made again by `make` or by the caller after decoding. */
  skip?: readonly string[];
  /** Builds the instance the fields are assigned to. Default: Object.create(prototype); Map/Set subclasses: new cls(). */
  make?: (ctx: DecodeContext) => object;
}

export interface Registry {
  classes: readonly ClassSpec[];
  /** Functions stored in fields that are not prototype methods of a registered class. */
  functions?: Record<string, (...args: never[]) => unknown>;
  /** Objects whose identity matters (shared singletons): written as their name. */
  constants?: Record<string, object>;
}

/** Values the caller encodes (and decodes) itself, one at a time or a whole array of them. */
export interface LeafCodec<T extends object> {
  is(v: object): v is T;
  encodeOne(v: T): Record<string, unknown>;
  encodeList(vs: T[]): Record<string, unknown>;
  decodeOne(m: Record<string, unknown>): T;
  decodeList(m: Record<string, unknown>): T[];
}

/** Passed to ClassSpec.make: root is the first instance the decoder created (the graph's root). */
export interface DecodeContext {
  root: object | undefined;
}

export class GraphCodecError extends Error {
  constructor(
    readonly reason: string,
    readonly path: string,
  ) {
    super(`${reason} at ${path}`);
    this.name = 'GraphCodecError';
  }
}

interface Tagged {
  $: 'o' | 'm' | 's' | 'f' | 'k' | 'l' | 'L';
  c?: string;
  n?: string;
  f?: Record<string, unknown>;
  e?: unknown[];
}

/** A registry compiled for lookups. */
export class GraphCodec<Leaf extends object> {
  private readonly byProto = new Map<object, ClassSpec>();
  private readonly byName = new Map<string, ClassSpec>();
  private readonly skips = new Map<ClassSpec, Set<string>>();
  private readonly fnName = new Map<unknown, string>();
  private readonly fnByName = new Map<string, unknown>();
  private readonly constName = new Map<object, string>();
  private readonly constByName = new Map<string, object>();

  constructor(
    registry: Registry,
    private readonly leaf: LeafCodec<Leaf>,
  ) {
    for (const spec of registry.classes) {
      const proto = spec.cls.prototype as object;
      if (this.byName.has(spec.name)) throw new Error(`object graph: class name ${spec.name} registered twice`);
      this.byProto.set(proto, spec);
      this.byName.set(spec.name, spec);
      this.skips.set(spec, new Set(spec.skip ?? []));
      // Prototype methods may be stored in fields (raft keeps its current tick function).
      for (let p: object | null = proto; p !== null && p !== Object.prototype; p = Object.getPrototypeOf(p) as object) {
        if (p === Map.prototype || p === Set.prototype) break;
        for (const key of Object.getOwnPropertyNames(p)) {
          if (key === 'constructor') continue;
          const d = Object.getOwnPropertyDescriptor(p, key);
          if (d === undefined || typeof d.value !== 'function' || this.fnName.has(d.value)) continue;
          this.addFunction(`${spec.name}#${key}`, d.value);
        }
      }
    }
    for (const [name, fn] of Object.entries(registry.functions ?? {})) this.addFunction(name, fn);
    for (const [name, obj] of Object.entries(registry.constants ?? {})) {
      this.constName.set(obj, name);
      this.constByName.set(name, obj);
    }
  }

  private addFunction(name: string, fn: unknown): void {
    this.fnName.set(fn, name);
    this.fnByName.set(name, fn);
  }

  // ---- encoding ----

  encode(root: unknown): unknown {
    return new Encoder(this).value(root, 'root');
  }

  /** @internal */ specOf(proto: object): ClassSpec | undefined {
    return this.byProto.get(proto);
  }
  /** @internal */ skipOf(spec: ClassSpec): Set<string> {
    return this.skips.get(spec)!;
  }
  /** @internal */ functionName(fn: unknown): string | undefined {
    return this.fnName.get(fn);
  }
  /** @internal */ constantName(v: object): string | undefined {
    return this.constName.get(v);
  }
  /** @internal */ get leafCodec(): LeafCodec<Leaf> {
    return this.leaf;
  }

  // ---- decoding ----

  decode(mirror: unknown, ctx: DecodeContext = { root: undefined }): unknown {
    return new Decoder(this, ctx).value(mirror);
  }

  /** @internal */ spec(name: string): ClassSpec {
    const s = this.byName.get(name);
    if (s === undefined) throw new Error(`object graph: unknown class ${name}`);
    return s;
  }
  /** @internal */ fn(name: string): unknown {
    if (!this.fnByName.has(name)) throw new Error(`object graph: unknown function ${name}`);
    return this.fnByName.get(name);
  }
  /** @internal */ constant(name: string): object {
    const c = this.constByName.get(name);
    if (c === undefined) throw new Error(`object graph: unknown constant ${name}`);
    return c;
  }
}

class Encoder<Leaf extends object> {
  private readonly memo = new Map<object, unknown>();
  constructor(private readonly codec: GraphCodec<Leaf>) {}

  value(v: unknown, path: string): unknown {
    if (typeof v === 'function') {
      const name = this.codec.functionName(v);
      if (name === undefined)
        throw new GraphCodecError(`cannot encode function ${(v as { name?: string }).name || '(anonymous)'}`, path);
      return { $: 'f', n: name };
    }
    if (typeof v !== 'object' || v === null) {
      if (typeof v === 'symbol') throw new GraphCodecError('cannot encode a symbol', path);
      return v;
    }
    const seen = this.memo.get(v);
    if (seen !== undefined) return seen;
    const cname = this.codec.constantName(v);
    if (cname !== undefined) return { $: 'k', n: cname };
    const leaf = this.codec.leafCodec;
    const proto = Object.getPrototypeOf(v) as object | null;
    if (proto === Array.prototype) {
      const a = v as unknown[];
      const first = a[0];
      if (
        a.length > 0 &&
        typeof first === 'object' &&
        first !== null &&
        leaf.is(first) &&
        a.every((x) => isLeaf(leaf, x))
      ) {
        const m = leaf.encodeList(a as Leaf[]);
        this.memo.set(v, m);
        return m;
      }
      const out: unknown[] = new Array<unknown>(a.length);
      this.memo.set(v, out);
      for (let i = 0; i < a.length; i++) out[i] = this.at(a[i], path, i);
      return out;
    }
    if (proto === Object.prototype || proto === null) {
      if (leaf.is(v)) {
        const m = leaf.encodeOne(v);
        this.memo.set(v, m);
        return m;
      }
      const out: Record<string, unknown> = {};
      this.memo.set(v, out);
      for (const k of Object.keys(v)) {
        if (k === '$') throw new GraphCodecError("a plain object has a field named '$'", path);
        out[k] = this.at((v as Record<string, unknown>)[k], path, k);
      }
      return out;
    }
    if (proto === Map.prototype) {
      const out = new Map<unknown, unknown>();
      this.memo.set(v, out);
      for (const [k, x] of v as Map<unknown, unknown>) out.set(this.at(k, path, '<key>'), this.at(x, path, String(k)));
      return out;
    }
    if (proto === Set.prototype) {
      const out = new Set<unknown>();
      this.memo.set(v, out);
      for (const x of v as Set<unknown>) out.add(this.at(x, path, '<item>'));
      return out;
    }
    if (proto === Uint8Array.prototype) return v;
    const spec = proto === null ? undefined : this.codec.specOf(proto);
    if (spec === undefined) {
      const name = (proto as { constructor?: { name?: string } } | null)?.constructor?.name ?? 'object';
      throw new GraphCodecError(`cannot encode an instance of unregistered class ${name}`, path);
    }
    const skip = this.codec.skipOf(spec);
    const f: Record<string, unknown> = {};
    let out: Tagged;
    if (v instanceof Map) out = { $: 'm', c: spec.name, f, e: [] };
    else if (v instanceof Set) out = { $: 's', c: spec.name, f, e: [] };
    else out = { $: 'o', c: spec.name, f };
    this.memo.set(v, out);
    for (const k of Object.keys(v)) {
      if (skip.has(k)) continue;
      f[k] = this.at((v as Record<string, unknown>)[k], path, k);
    }
    if (v instanceof Map) for (const [k, x] of v) out.e!.push(this.at(k, path, '<key>'), this.at(x, path, String(k)));
    else if (v instanceof Set) for (const x of v) out.e!.push(this.at(x, path, '<item>'));
    return out;
  }

  /** Encodes a field; the path is only built when something fails. */
  private at(v: unknown, path: string, key: string | number): unknown {
    if (typeof v !== 'object' && typeof v !== 'function') return v;
    try {
      return this.value(v, '');
    } catch (e) {
      if (e instanceof GraphCodecError) throw new GraphCodecError(e.reason, `${path}.${key}${e.path}`);
      throw e;
    }
  }
}

function isLeaf<T extends object>(leaf: LeafCodec<T>, x: unknown): boolean {
  return typeof x === 'object' && x !== null && leaf.is(x);
}

class Decoder<Leaf extends object> {
  private readonly memo = new Map<object, unknown>();
  constructor(
    private readonly codec: GraphCodec<Leaf>,
    private readonly ctx: DecodeContext,
  ) {}

  value(m: unknown): unknown {
    if (typeof m !== 'object' || m === null) return m;
    const seen = this.memo.get(m);
    if (seen !== undefined) return seen;
    if (Array.isArray(m)) {
      const out: unknown[] = new Array<unknown>(m.length);
      this.memo.set(m, out);
      for (let i = 0; i < m.length; i++) out[i] = this.value(m[i]);
      return out;
    }
    if (m instanceof Map) {
      const out = new Map<unknown, unknown>();
      this.memo.set(m, out);
      for (const [k, x] of m) out.set(this.value(k), this.value(x));
      return out;
    }
    if (m instanceof Set) {
      const out = new Set<unknown>();
      this.memo.set(m, out);
      for (const x of m) out.add(this.value(x));
      return out;
    }
    if (ArrayBuffer.isView(m)) return m;
    const t = m as Tagged & Record<string, unknown>;
    switch (t.$) {
      case undefined: {
        const out: Record<string, unknown> = {};
        this.memo.set(m, out);
        for (const k of Object.keys(t)) out[k] = this.value(t[k]);
        return out;
      }
      case 'f':
        return this.codec.fn(t.n!);
      case 'k':
        return this.codec.constant(t.n!);
      case 'l': {
        const v = this.codec.leafCodec.decodeOne(t);
        this.memo.set(m, v);
        return v;
      }
      case 'L': {
        const v = this.codec.leafCodec.decodeList(t);
        this.memo.set(m, v);
        return v;
      }
      case 'o':
      case 'm':
      case 's': {
        const spec = this.codec.spec(t.c!);
        const proto = spec.cls.prototype as object;
        const obj =
          spec.make !== undefined
            ? spec.make(this.ctx)
            : t.$ === 'o'
              ? (Object.create(proto) as object)
              : (Reflect.construct(spec.cls, []) as object);
        this.ctx.root ??= obj;
        this.memo.set(m, obj);
        // A Map/Set subclass gets its contents first: its own set/add may touch its
        // fields (raft's ProgressMap forgets its sorted ids), which are assigned last.
        if (t.$ === 'm') {
          const e = t.e!;
          for (let i = 0; i < e.length; i += 2)
            (obj as Map<unknown, unknown>).set(this.value(e[i]), this.value(e[i + 1]));
        } else if (t.$ === 's') {
          for (const x of t.e!) (obj as Set<unknown>).add(this.value(x));
        }
        const f = t.f!;
        for (const k of Object.keys(f)) (obj as Record<string, unknown>)[k] = this.value(f[k]);
        return obj;
      }
      default:
        throw new Error(`object graph: unknown tag ${String(t.$)}`);
    }
  }
}
