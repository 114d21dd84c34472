import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import type { FolderRule, PackageRule } from "./folder-rules.js";

/** One import of a scanned file: static, `export ... from`, `import type`, `import("...")` or `typeof import("...")`. */
export interface ImportEdge {
  /** The importing file, relative to the root, with `/` separators. */
  readonly file: string;
  readonly line: number;
  readonly specifier: string;
  /** The imported file relative to the root, for a relative specifier that names an existing file. */
  readonly target?: string;
}

/** Every import of the `.ts` files under `dirs` of `root`. */
export interface ImportGraph {
  readonly files: readonly string[];
  readonly edges: readonly ImportEdge[];
}

function tsFiles(root: string, dir: string): string[] {
  const abs = path.join(root, dir);
  if (!fs.existsSync(abs)) return [];
  return fs
    .readdirSync(abs, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))
    .map((f) => path.posix.join(dir, f.split(path.sep).join("/")))
    .sort();
}

/** The module specifiers a file names, with their lines, read from its syntax tree (comments and strings are not imports). */
function specifiersOf(file: string, text: string): { specifier: string; line: number }[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: { specifier: string; line: number }[] = [];
  const add = (node: ts.Node | undefined): void => {
    if (node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)))
      found.push({ specifier: node.text, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1 });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) add(node.moduleSpecifier);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference))
      add(node.moduleReference.expression);
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) add(node.arguments[0]);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node.argument.literal);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The file a relative specifier names (`./x.js` is `./x.ts` in the sources), or undefined when none exists. */
function resolveRelative(root: string, file: string, specifier: string): string | undefined {
  const base = path.posix.join(path.posix.dirname(file), specifier);
  const candidates = [base.replace(/\.js$/, ".ts"), base, `${base}.ts`, `${base}/index.ts`];
  return candidates.find((c) => fs.statSync(path.join(root, c), { throwIfNoEntry: false })?.isFile());
}

/** Reads every import of the `.ts` files under `dirs` (relative to `root`). */
export function scanImports(root: string, dirs: readonly string[]): ImportGraph {
  const files = dirs.flatMap((d) => tsFiles(root, d));
  const edges = files.flatMap((file) =>
    specifiersOf(file, fs.readFileSync(path.join(root, file), "utf8")).map(({ specifier, line }): ImportEdge => {
      const target = specifier.startsWith(".") ? resolveRelative(root, file, specifier) : undefined;
      return { file, line, specifier, ...(target !== undefined ? { target } : {}) };
    }),
  );
  return { files, edges };
}

/** `auth` for `src/auth/...`, `plugins` for `plugins/...`; undefined outside the planned folders. */
export function folderOf(file: string): string | undefined {
  const parts = file.split("/");
  if (parts[0] === "plugins") return "plugins";
  return parts[0] === "src" && parts.length > 2 ? parts[1] : undefined;
}

function at(e: ImportEdge): string {
  return `${e.file}:${e.line}`;
}

/** Relative imports that name no file: the check cannot judge them, so they fail it too. */
export function unresolvedImports(graph: ImportGraph): string[] {
  return graph.edges
    .filter((e) => e.specifier.startsWith(".") && e.target === undefined)
    .map((e) => `${at(e)} imports ${e.specifier}, which names no file`);
}

function isPackageOf(specifier: string, pkg: string): boolean {
  return specifier === pkg || specifier.startsWith(`${pkg}/`);
}

/** Every import that crosses a forbidden boundary, as `file:line imports target: from → to is forbidden (why)`. */
export function forbiddenImports(
  graph: ImportGraph,
  folderRules: readonly FolderRule[],
  packageRules: readonly PackageRule[],
): string[] {
  const out: string[] = [];
  for (const e of graph.edges) {
    const from = folderOf(e.file);
    if (from === undefined) continue;
    const to = e.target !== undefined ? folderOf(e.target) : undefined;
    for (const rule of folderRules) {
      if (rule.from === from && to !== undefined && rule.to.includes(to))
        out.push(`${at(e)} imports ${e.target}: ${from} → ${to} is forbidden (${rule.why})`);
    }
    for (const rule of packageRules) {
      const pkg = rule.packages.find((p) => isPackageOf(e.specifier, p));
      if (rule.from.includes(from) && pkg !== undefined)
        out.push(`${at(e)} imports ${e.specifier}: ${from} → ${pkg} is forbidden (${rule.why})`);
    }
  }
  return out;
}

/** The shortest path from `start` back to itself through `members`, as file names ending where they began. */
function shortestCycle(
  start: string,
  next: ReadonlyMap<string, readonly string[]>,
  members: ReadonlySet<string>,
): string[] {
  const cameFrom = new Map<string, string>();
  const queue = [start];
  // The queue grows while it is walked: a breadth-first search.
  for (const v of queue) {
    for (const w of next.get(v) ?? []) {
      if (w === start) {
        const back: string[] = [];
        for (let u: string | undefined = v; u !== undefined && u !== start; u = cameFrom.get(u)) back.push(u);
        return [start, ...back.reverse(), start];
      }
      if (members.has(w) && !cameFrom.has(w)) {
        cameFrom.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start, start];
}

/**
 * Every group of files that import each other in a circle (type-only and dynamic imports count),
 * each reported as one of its cycles: `a.ts → b.ts → a.ts`, with the group's other files after it.
 */
export function importCycles(graph: ImportGraph): string[] {
  const next = new Map<string, string[]>(graph.files.map((f) => [f, []]));
  for (const e of graph.edges) if (e.target !== undefined && next.has(e.target)) next.get(e.file)?.push(e.target);
  // Tarjan's strongly connected components; the graph is small, so recursion is fine.
  const seen = new Map<string, { readonly index: number; low: number }>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[] = [];
  const connect = (v: string): { low: number } => {
    const me = { index: seen.size, low: seen.size };
    seen.set(v, me);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      const known = seen.get(w);
      if (known === undefined) me.low = Math.min(me.low, connect(w).low);
      else if (onStack.has(w)) me.low = Math.min(me.low, known.index);
    }
    if (me.low !== me.index) return me;
    const group = new Set<string>();
    for (let w = stack.pop(); w !== undefined; w = w === v ? undefined : stack.pop()) {
      onStack.delete(w);
      group.add(w);
    }
    if (group.size > 1 || next.get(v)?.includes(v)) {
      const first = [...group].reduce((a, b) => (a < b ? a : b), v);
      const cycle = shortestCycle(first, next, group);
      const others = [...group].filter((f) => !cycle.includes(f)).sort();
      out.push(`${cycle.join(" → ")}${others.length ? ` (with ${others.join(", ")})` : ""}`);
    }
    return me;
  };
  for (const f of graph.files) if (!seen.has(f)) connect(f);
  return out.sort();
}
