// A set of field paths, as structured-merge-diff keeps one per field manager: a trie whose edges
// are path elements in the FieldsV1 spelling (`f:spec`, `k:{"name":"worker"}`, `v:"kubernetes"`,
// `i:0`). A node is a member when the field itself is owned; FieldsV1 writes that as `{}` for a
// leaf and as `".": {}` beside the children of an inner node.

export type PathElement = string;
export type FieldPath = readonly PathElement[];

const RANK: Record<string, number> = { f: 0, k: 1, v: 2, i: 3 };

/** structured-merge-diff's element order: fields, then keys, then values, then indexes. */
function compareElements(a: PathElement, b: PathElement): number {
  const byKind = (RANK[a[0] ?? ''] ?? 9) - (RANK[b[0] ?? ''] ?? 9);
  if (byKind !== 0) return byKind;
  if (a[0] === 'i') return Number(a.slice(2)) - Number(b.slice(2));
  return a < b ? -1 : a > b ? 1 : 0;
}

export const fieldElement = (name: string): PathElement => `f:${name}`;

/** `k:{"containerPort":80,"protocol":"TCP"}`: the key fields sorted by name, as JSON. */
export function keyElement(keys: Readonly<Record<string, unknown>>): PathElement {
  const sorted = Object.keys(keys)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${JSON.stringify(keys[k])}`);
  return `k:{${sorted.join(',')}}`;
}

export const valueElement = (value: unknown): PathElement => `v:${JSON.stringify(value)}`;
export const indexElement = (index: number): PathElement => `i:${index}`;

/** A path as kube-apiserver prints it in conflicts: `.spec.containers[name="worker"].image`. */
export function pathString(path: FieldPath): string {
  return path
    .map((element) => {
      const body = element.slice(2);
      switch (element[0]) {
        case 'f':
          return `.${body}`;
        case 'k': {
          const keys = JSON.parse(body) as Record<string, unknown>;
          return `[${Object.entries(keys)
            .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
            .join(',')}]`;
        }
        case 'v':
          return `[=${body}]`;
        default:
          return `[${body}]`;
      }
    })
    .join('');
}

export class FieldSet {
  member = false;
  readonly children = new Map<PathElement, FieldSet>();

  static fromPaths(paths: Iterable<FieldPath>): FieldSet {
    const set = new FieldSet();
    for (const path of paths) set.insert(path);
    return set;
  }

  /** Reads `metadata.managedFields[].fieldsV1`. */
  static fromFieldsV1(json: unknown): FieldSet {
    const set = new FieldSet();
    if (!json || typeof json !== 'object' || Array.isArray(json)) return set;
    const entries = Object.entries(json as Record<string, unknown>);
    if (entries.length === 0) set.member = true;
    for (const [element, child] of entries) {
      if (element === '.') set.member = true;
      else set.children.set(element, FieldSet.fromFieldsV1(child));
    }
    return set;
  }

  get empty(): boolean {
    return !this.member && this.children.size === 0;
  }

  insert(path: FieldPath): void {
    const [first, ...rest] = path;
    if (first === undefined) {
      this.member = true;
      return;
    }
    let child = this.children.get(first);
    if (!child) this.children.set(first, (child = new FieldSet()));
    child.insert(rest);
  }

  has(path: FieldPath): boolean {
    return this.at(path)?.member === true;
  }

  /** True when the path, or any field below it, is a member. */
  hasUnder(path: FieldPath): boolean {
    const node = this.at(path);
    return node !== undefined && !node.empty;
  }

  private at(path: FieldPath): FieldSet | undefined {
    const [first, ...rest] = path;
    return first === undefined ? this : this.children.get(first)?.at(rest);
  }

  union(other: FieldSet): FieldSet {
    const out = new FieldSet();
    out.member = this.member || other.member;
    for (const element of new Set([...this.children.keys(), ...other.children.keys()])) {
      const a = this.children.get(element);
      const b = other.children.get(element);
      out.children.set(element, a && b ? a.union(b) : (a ?? b ?? new FieldSet()).copy());
    }
    return out;
  }

  /** The members of this set that are not members of `other`. */
  difference(other: FieldSet): FieldSet {
    const out = new FieldSet();
    out.member = this.member && !other.member;
    for (const [element, child] of this.children) {
      const against = other.children.get(element);
      const rest = against ? child.difference(against) : child.copy();
      if (!rest.empty) out.children.set(element, rest);
    }
    return out;
  }

  intersection(other: FieldSet): FieldSet {
    const out = new FieldSet();
    out.member = this.member && other.member;
    for (const [element, child] of this.children) {
      const against = other.children.get(element);
      if (!against) continue;
      const both = child.intersection(against);
      if (!both.empty) out.children.set(element, both);
    }
    return out;
  }

  copy(): FieldSet {
    const out = new FieldSet();
    out.member = this.member;
    for (const [element, child] of this.children) out.children.set(element, child.copy());
    return out;
  }

  /** Every member path, in structured-merge-diff's order. */
  paths(prefix: PathElement[] = []): PathElement[][] {
    const out: PathElement[][] = this.member && prefix.length > 0 ? [[...prefix]] : [];
    for (const element of [...this.children.keys()].sort(compareElements)) {
      out.push(...this.children.get(element)!.paths([...prefix, element]));
    }
    return out;
  }

  /** The FieldsV1 JSON form, children in structured-merge-diff's order. */
  toFieldsV1(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    if (this.member && this.children.size > 0) out['.'] = {};
    for (const element of [...this.children.keys()].sort(compareElements)) {
      out[element] = this.children.get(element)!.toFieldsV1();
    }
    return out;
  }
}
