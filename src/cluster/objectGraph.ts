// A generic encoder of object graphs into compact structured-clone data, and its decoder.
//
// Structured clone (postMessage) already copies Maps, Sets, arrays, typed arrays,
// shared references and cycles, but it drops prototypes and refuses functions. This
// codec turns a graph of class instances into plain data that survives it, and back
// into an identical graph. Every value that is not a primitive or a Uint8Array
// becomes an array whose first element says what it is:
//
//   [ARRAY, ...items]                       an array
//   [OBJECT, shape, ...values]              a plain object or an instance of a registered class
//   [MAP, k, v, k, v, ...] / [SET, ...]     a Map / Set
//   [MAP_OF, shape, size, k, v..., ...values] / [SET_OF, shape, size, items..., ...values]
//                                           an instance of a registered Map / Set subclass
//   [FUNCTION, name] / [CONSTANT, name]     a registered function (prototype methods, module
//                                           functions) / a registered object kept identical
//   [LEAF, ...] / [LEAVES, ...]             values the caller encodes itself (log entries),
//                                           one, or a whole array of them
//   [SHARED, n]                             an object the caller keeps once for many
//                                           encodings (see `shared` in encode/decode)
//
// A shape is [className, ...fieldNames] ('' for plain objects), kept once in a
// ShapeTable rather than with every object: field names are most of the bytes of a
// graph of small objects.
//
// Shared references and cycles are kept (one encoding per source object), so after a
// round trip two fields that held the same object hold the same object again.
//
// Anything else (an unregistered class, an unknown function) is an error naming the
// path where it was found: a new field that holds something the codec cannot rebuild
// fails loudly in the round-trip test rather than silently restoring a different host.
//
// Closures that hold state cannot be encoded. A class lists such fields in `skip`:
// they are not encoded, and `make` (which builds the empty instance the decoded fields
// are assigned to, by default Object.create of the prototype) or the caller's own
// revive step must create them again from restored objects.

export const ARRAY = 0;
export const OBJECT = 1;
export const MAP = 2;
export const SET = 3;
export const MAP_OF = 4;
export const SET_OF = 5;
export const FUNCTION = 6;
export const CONSTANT = 7;
export const LEAF = 8;
export const LEAVES = 9;
export const SHARED = 10;

/** Objects kept once outside the encodings that name them (immutable ones, such as a node's config). */
export interface SharedObjects {
  indexOf(v: object): number | undefined;
  at(i: number): unknown;
}

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

/** Values the caller encodes itself: encodeOne returns [LEAF, ...], encodeList [LEAVES, ...]. */
export interface LeafCodec<T extends object> {
  is(v: object): v is T;
  encodeOne(v: T): unknown[];
  encodeList(vs: T[]): unknown[];
  decodeOne(m: unknown[]): T;
  decodeList(m: unknown[]): T[];
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

/** [className ('' for a plain object), ...field names]. */
export type Shape = readonly string[];

/** Shapes by number: one per encoding (in a host process), or one per run (main thread). */
export class ShapeTable {
  readonly shapes: Shape[] = [];
  private readonly byKey = new Map<string, number>();
  /**
   * Last shape seen per class name, and per first field name for plain objects: objects
   * of a kind almost always have the same fields, so most lookups compare a few names.
   */
  private readonly last = new Map<string, { keys: readonly string[]; index: number }>();

  index(cls: string, keys: readonly string[]): number {
    const hint = cls === '' ? `.${keys[0] ?? ''}` : cls;
    const l = this.last.get(hint);
    if (l !== undefined && sameKeys(l.keys, keys)) return l.index;
    const k = cls + '\u0000' + keys.join('\u0000');
    let i = this.byKey.get(k);
    if (i === undefined) {
      i = this.shapes.length;
      this.shapes.push(Object.freeze([cls, ...keys]));
      this.byKey.set(k, i);
    }
    this.last.set(hint, { keys, index: i });
    return i;
  }
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
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
    readonly leaf: LeafCodec<Leaf>,
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

  /**
   * Encodes a graph; its shapes go into `shapes`. A `memo` kept across calls makes an
   * object met again (in a later call) encode to the same array as before: only for
   * graphs whose objects never change once encoded.
   */
  encode(root: unknown, shapes: ShapeTable, memo?: WeakMap<object, unknown>, shared?: SharedObjects): unknown {
    return new Encoder(this, shapes, memo ?? new Map<object, unknown>(), shared).value(root, 'root');
  }

  /** Decodes a graph whose shapes are `shapes`. */
  decode(
    mirror: unknown,
    shapes: readonly Shape[],
    ctx: DecodeContext = { root: undefined },
    shared?: SharedObjects,
  ): unknown {
    return new Decoder(this, shapes, ctx, shared).value(mirror);
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
  constructor(
    private readonly codec: GraphCodec<Leaf>,
    private readonly shapes: ShapeTable,
    private readonly memo: { get(k: object): unknown; set(k: object, v: unknown): unknown },
    private readonly shared: SharedObjects | undefined,
  ) {}

  value(v: unknown, path: string): unknown {
    if (typeof v === 'function') {
      const name = this.codec.functionName(v);
      if (name === undefined)
        throw new GraphCodecError(`cannot encode function ${(v as { name?: string }).name || '(anonymous)'}`, path);
      return [FUNCTION, name];
    }
    if (typeof v !== 'object' || v === null) {
      if (typeof v === 'symbol') throw new GraphCodecError('cannot encode a symbol', path);
      return v;
    }
    const seen = this.memo.get(v);
    if (seen !== undefined) return seen;
    const cname = this.codec.constantName(v);
    if (cname !== undefined) return [CONSTANT, cname];
    const si = this.shared?.indexOf(v);
    if (si !== undefined) return [SHARED, si];
    const leaf = this.codec.leaf;
    const proto = Object.getPrototypeOf(v) as object | null;
    if (proto === Array.prototype) {
      const a = v as unknown[];
      if (a.length > 0 && isLeaf(leaf, a[0]) && a.every((x) => isLeaf(leaf, x))) {
        const m = leaf.encodeList(a as Leaf[]);
        this.memo.set(v, m);
        return m;
      }
      const out: unknown[] = [ARRAY];
      this.memo.set(v, out);
      for (let i = 0; i < a.length; i++) out.push(this.at(a[i], path, i));
      return out;
    }
    if (proto === Object.prototype || proto === null) {
      if (leaf.is(v)) {
        const m = leaf.encodeOne(v);
        this.memo.set(v, m);
        return m;
      }
      const keys = Object.keys(v);
      const out: unknown[] = [OBJECT, this.shapes.index('', keys)];
      this.memo.set(v, out);
      for (const k of keys) out.push(this.at((v as Record<string, unknown>)[k], path, k));
      return out;
    }
    if (proto === Map.prototype) {
      const out: unknown[] = [MAP];
      this.memo.set(v, out);
      for (const [k, x] of v as Map<unknown, unknown>) out.push(this.at(k, path, '<key>'), this.at(x, path, String(k)));
      return out;
    }
    if (proto === Set.prototype) {
      const out: unknown[] = [SET];
      this.memo.set(v, out);
      for (const x of v as Set<unknown>) out.push(this.at(x, path, '<item>'));
      return out;
    }
    if (proto === Uint8Array.prototype) {
      if (!leaf.is(v)) return v;
      const m = leaf.encodeOne(v as Leaf);
      this.memo.set(v, m);
      return m;
    }
    const spec = proto === null ? undefined : this.codec.specOf(proto);
    if (spec === undefined) {
      const name = (proto as { constructor?: { name?: string } } | null)?.constructor?.name ?? 'object';
      throw new GraphCodecError(`cannot encode an instance of unregistered class ${name}`, path);
    }
    const skip = this.codec.skipOf(spec);
    const all = Object.keys(v);
    const keys = skip.size === 0 ? all : all.filter((k) => !skip.has(k));
    const shape = this.shapes.index(spec.name, keys);
    let out: unknown[];
    if (v instanceof Map) {
      out = [MAP_OF, shape, v.size];
      this.memo.set(v, out);
      for (const [k, x] of v) out.push(this.at(k, path, '<key>'), this.at(x, path, String(k)));
    } else if (v instanceof Set) {
      out = [SET_OF, shape, v.size];
      this.memo.set(v, out);
      for (const x of v) out.push(this.at(x, path, '<item>'));
    } else {
      out = [OBJECT, shape];
      this.memo.set(v, out);
    }
    for (const k of keys) out.push(this.at((v as Record<string, unknown>)[k], path, k));
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
    private readonly shapes: readonly Shape[],
    private readonly ctx: DecodeContext,
    private readonly shared: SharedObjects | undefined,
  ) {}

  private shape(i: unknown): Shape {
    const s = this.shapes[i as number];
    if (s === undefined) throw new Error(`object graph: unknown shape ${String(i)}`);
    return s;
  }

  value(m: unknown): unknown {
    if (typeof m !== 'object' || m === null || !Array.isArray(m)) return m;
    const seen = this.memo.get(m);
    if (seen !== undefined) return seen;
    const a = m as unknown[];
    switch (a[0]) {
      case ARRAY: {
        const out: unknown[] = new Array<unknown>(a.length - 1);
        this.memo.set(m, out);
        for (let i = 1; i < a.length; i++) out[i - 1] = this.value(a[i]);
        return out;
      }
      case OBJECT: {
        const s = this.shape(a[1]);
        let obj: Record<string, unknown>;
        if (s[0] === '') obj = {};
        else {
          const spec = this.codec.spec(s[0]!);
          obj = (spec.make !== undefined ? spec.make(this.ctx) : Object.create(spec.cls.prototype as object)) as Record<
            string,
            unknown
          >;
          this.ctx.root ??= obj;
        }
        this.memo.set(m, obj);
        for (let i = 1; i < s.length; i++) obj[s[i]!] = this.value(a[i + 1]);
        return obj;
      }
      case MAP: {
        const out = new Map<unknown, unknown>();
        this.memo.set(m, out);
        for (let i = 1; i < a.length; i += 2) out.set(this.value(a[i]), this.value(a[i + 1]));
        return out;
      }
      case SET: {
        const out = new Set<unknown>();
        this.memo.set(m, out);
        for (let i = 1; i < a.length; i++) out.add(this.value(a[i]));
        return out;
      }
      case MAP_OF:
      case SET_OF: {
        const s = this.shape(a[1]);
        const spec = this.codec.spec(s[0]!);
        const obj = (spec.make !== undefined ? spec.make(this.ctx) : Reflect.construct(spec.cls, [])) as Record<
          string,
          unknown
        >;
        this.ctx.root ??= obj;
        this.memo.set(m, obj);
        // Contents first: the subclass's own set/add may touch its fields (raft's
        // ProgressMap forgets its sorted ids), which are assigned after.
        const size = a[2] as number;
        let i = 3;
        if (a[0] === MAP_OF)
          for (let k = 0; k < size; k++, i += 2)
            (obj as unknown as Map<unknown, unknown>).set(this.value(a[i]), this.value(a[i + 1]));
        else for (let k = 0; k < size; k++, i++) (obj as unknown as Set<unknown>).add(this.value(a[i]));
        for (let f = 1; f < s.length; f++, i++) obj[s[f]!] = this.value(a[i]);
        return obj;
      }
      case FUNCTION:
        return this.codec.fn(a[1] as string);
      case CONSTANT:
        return this.codec.constant(a[1] as string);
      case SHARED:
        if (this.shared === undefined) throw new Error('object graph: a shared object, but none are given');
        return this.shared.at(a[1] as number);
      case LEAF: {
        const v = this.codec.leaf.decodeOne(a);
        this.memo.set(m, v);
        return v;
      }
      case LEAVES: {
        const v = this.codec.leaf.decodeList(a);
        this.memo.set(m, v);
        return v;
      }
      default:
        throw new Error(`object graph: unknown tag ${String(a[0])}`);
    }
  }
}
