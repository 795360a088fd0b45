// The plan for a whole program: every transform call, the functions generated
// for it (recursively, for callees and nested transforms), where each one is
// placed, and the diagnostics. Made once per program, before any file is
// emitted, because a file may need adjoints that live next to functions in
// another file (they are exported from there and imported here).

import { ts } from "./ts.js";
import { Code, diagnosticsOf, fail } from "./diagnostics.js";
import { type Expr, type Fn, type FnRef, type Stmt, isArrayType, isOpaqueType, isStructType } from "./ir.js";
import { walkExpr, walkStmts, exprsOf } from "./ir.js";
import { customAdjoint } from "./custom.js";
import { forward } from "./forward.js";
import { type FunctionLike, type LowerContext, lowerFunction, parameterType } from "./lower.js";
import { type FunctionKind, NameScope, generatedBase, identifierTexts } from "./names.js";
import { type TransformName, isTsgradDeclaration, recogniseTransform } from "./recognise.js";
import { functionName, resolveFunction } from "./resolve.js";
import { reverse } from "./reverse.js";
import { scalarize } from "./scalarize.js";
import { simplify } from "./simplify.js";
import { forEachNode } from "./walk.js";

/** Where generated functions are inserted: next to a statement of some file. */
export interface Site {
  readonly file: ts.SourceFile;
  readonly anchor: ts.Statement;
  readonly placement: "inline" | "after";
}

/**
 * Computes `make()` once, on first use. A failure is not kept: asking again
 * makes it fail again, the same way, inside the boundary of the transform call
 * that asks (Plan.plan, the one place that catches).
 */
function once<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}

export class UserFunction implements FnRef {
  readonly ir: () => Fn;
  readonly restParameter: boolean;
  constructor(
    readonly key: string,
    readonly name: string,
    readonly decl: FunctionLike,
    readonly site: Site,
    ctx: LowerContext,
  ) {
    this.ir = once(() => lowerFunction(decl, name, ctx));
    this.restParameter = !!decl.parameters[decl.parameters.length - 1]?.dotDotDotToken;
  }
}

/** `const g = customGrad(f, rule)`: called like `f`, differentiated by calling `g.rule`. */
export class CustomFunction implements FnRef {
  readonly ir: () => Fn;
  readonly custom = true;
  constructor(
    readonly key: string,
    readonly name: string,
    /** The declared name, which generated code refers to (so module transforms rewrite it). */
    readonly node: ts.Identifier,
    readonly site: Site,
    signature: () => Fn,
  ) {
    this.ir = once(signature);
  }
}

export class GeneratedFunction implements FnRef {
  readonly ir: () => Fn;
  constructor(
    readonly key: string,
    readonly name: string,
    readonly root: UserFunction | CustomFunction,
    make: () => Fn,
  ) {
    this.ir = once(make);
  }
  get site(): Site {
    return this.root.site;
  }
}

/** A statement that sits directly in a statement list, where a function declaration can go. */
function enclosingStatement(node: ts.Node): ts.Statement {
  let n: ts.Node = node;
  while (!(n.parent && (ts.isSourceFile(n.parent) || ts.isBlock(n.parent) || ts.isModuleBlock(n.parent) ||
      ts.isCaseClause(n.parent) || ts.isDefaultClause(n.parent)))) {
    n = n.parent;
  }
  return n as ts.Statement;
}

export class Plan {
  /** Transform calls that will be replaced, and by what. */
  readonly calls = new Map<ts.CallExpression, GeneratedFunction>();
  /** Transform calls tsgrad refused, each with the diagnostic that says why. */
  readonly refused = new Map<ts.CallExpression, ts.Diagnostic>();
  readonly diagnostics: ts.Diagnostic[] = [];
  /** Generated functions to emit, per file, in a stable order. */
  readonly emitted = new Map<ts.SourceFile, GeneratedFunction[]>();
  /** Generated functions some other file refers to (so they are exported). */
  readonly exported = new Set<GeneratedFunction>();

  private readonly checker: ts.TypeChecker;
  private readonly users = new Map<FunctionLike, UserFunction>();
  private readonly customs = new Map<ts.VariableDeclaration, CustomFunction>();
  private readonly generated = new Map<string, GeneratedFunction>();
  private readonly fileNames = new Map<ts.SourceFile, NameScope>();
  private readonly lowerContext: LowerContext;

  /** Generated TypeScript asserts element reads (`x[i]!`): the program reads with noUncheckedIndexedAccess. */
  readonly nonNullElements: boolean;

  constructor(private readonly program: ts.Program) {
    this.checker = program.getTypeChecker();
    this.nonNullElements = program.getCompilerOptions().noUncheckedIndexedAccess === true;
    this.lowerContext = {
      checker: this.checker,
      isLibDeclaration: (decl) => program.isSourceFileDefaultLibrary(decl.getSourceFile()),
      functionRef: (decl) => this.user(decl),
      resolveFunction: (callee) => resolveFunction(callee, this.checker),
      customFunction: (callee) => this.custom(callee),
      sourceFiles: () => program.getSourceFiles(),
    };
    for (const file of program.getSourceFiles()) {
      if (file.isDeclarationFile || program.isSourceFileFromExternalLibrary(file)) continue;
      this.scan(file);
    }
    this.collectEmitted();
  }

  /** Whether `fn` is a generated function of this plan (as opposed to a user function). */
  isGenerated(fn: FnRef): fn is GeneratedFunction {
    return fn instanceof GeneratedFunction;
  }

  /** `g` and every generated function it calls, directly or not, callers first. */
  reachable(g: GeneratedFunction): GeneratedFunction[] {
    const out = new Set<GeneratedFunction>();
    const visit = (x: GeneratedFunction): void => {
      if (out.has(x)) return;
      out.add(x);
      for (const c of this.callees(x)) visit(c);
    };
    visit(g);
    return [...out];
  }

  /** The generated functions `g`'s code calls. */
  callees(g: GeneratedFunction): GeneratedFunction[] {
    return calleesOf(g.ir()).filter((c): c is GeneratedFunction => c instanceof GeneratedFunction);
  }

  private scan(file: ts.SourceFile): void {
    // Transforms are always imported, so only calls through an imported name need the checker.
    const imported = importedNames(file);
    if (imported.size === 0) return;
    forEachNode(file, (node) => {
      if (ts.isCallExpression(node) && callsImported(node, imported)) {
        const name = recogniseTransform(node, this.checker);
        // customGrad runs as written: it only marks a function for the others.
        if (name && name !== "customGrad") {
          this.plan(node, name);
          // Transforms nested in this one's arguments are part of it.
          return false;
        }
      }
    });
  }

  private plan(call: ts.CallExpression, name: Exclude<TransformName, "customGrad">): void {
    try {
      const target = this.transform(call, name);
      // A function in a namespace gets its adjoint inside the namespace, out of reach from elsewhere.
      const block = target.site.anchor.parent;
      if (ts.isModuleBlock(block) && !isInside(call, block)) {
        fail(Code.Unsupported, call.arguments[0], "differentiate a function declared in a namespace from inside that namespace (or move it to module level).");
      }
      // Everything the call needs is made here, inside this boundary, not when a
      // file is emitted: a function made on demand that fails refuses this call.
      this.reachable(target);
      this.calls.set(call, target);
    } catch (e) {
      const found = diagnosticsOf(e, call);
      for (const d of found) {
        const seen = this.diagnostics.some((x) => x.file === d.file && x.start === d.start && x.code === d.code);
        if (!seen) this.diagnostics.push(d);
      }
      // The first blocker is the one a refused call quotes when it is reached at run time.
      const first = found[0]!;
      this.refused.set(call, this.diagnostics.find((x) => x.file === first.file && x.start === first.start && x.code === first.code) ?? first);
    }
  }

  /** The generated function a transform call stands for. */
  private transform(call: ts.CallExpression, name: Exclude<TransformName, "customGrad">): GeneratedFunction {
    const [fnArg, wrtArg, ...extra] = call.arguments;
    if (!fnArg) fail(Code.UnknownFunction, call, `${name}() needs the function to differentiate as its first argument; write ${name}(f).`);
    if (extra.length > 0) fail(Code.Unsupported, extra[0], `${name}() takes a function and an optional wrt; remove the extra arguments.`);
    const base = this.functionArgument(fnArg);
    if (name === "jvp" || name === "hessian") {
      if (wrtArg) fail(Code.Unsupported, wrtArg, `${name}() takes only the function; remove the wrt argument.`);
      const fn = base.ir();
      if (fn.returnType !== "number") fail(Code.NotScalar, fnArg, `${name}() needs a function that returns a number; return a scalar.`);
      if (name === "jvp") return this.derive(base, "jvp", fn.params.map((_, i) => i), false);
      const only = fn.params[0];
      if (fn.params.length !== 1 || !isArrayType(only!.type) || only!.type.rows) {
        fail(Code.WrtInvalid, fnArg, "hessian() needs a function of one array (number[] or Float64Array); take the point as one array parameter.");
      }
      return this.derive(base, "hessian", [0], false);
    }
    const { wrt, tuple } = parseWrt(wrtArg);
    const fn = base.ir();
    if (fn.returnType !== "number") {
      fail(Code.NotScalar, fnArg, `${name}() needs a function that returns a number, and this one returns a tuple; return a scalar loss.`);
    }
    for (const i of wrt) {
      const p = fn.params[i];
      if (!p) {
        fail(Code.WrtInvalid, wrtArg ?? fnArg, `wrt selects parameter ${i}, but the function has ${fn.params.length} parameter(s); use a position from 0 to ${fn.params.length - 1}.`);
      }
      if (isOpaqueType(p.type) && p.type.blocker) {
        const { field, type } = p.type.blocker;
        fail(Code.WrtInvalid, wrtArg ?? fnArg, `parameter ${i} ('${p.name}') cannot be differentiated because of its field ${p.name}.${field}: ${type}, which has no gradient in this version (fields must be numbers, number[] or Float64Array); pass ${p.name}.${field} as a parameter of its own, or select another parameter.`);
      }
      if (p.type !== "number" && !(isArrayType(p.type) && !p.type.rows) && !isStructType(p.type)) {
        const what = typeof p.type === "string" ? `a ${p.type}` : isArrayType(p.type) ? "an array of arrays (read-only data in this version)" : isOpaqueType(p.type) ? `of type ${p.type.description}` : "a tuple";
        fail(Code.WrtInvalid, wrtArg ?? fnArg, `parameter ${i} ('${p.name}') is ${what}, which has no gradient; select a number, array or object parameter.`);
      }
    }
    if (new Set(wrt).size !== wrt.length) fail(Code.WrtInvalid, wrtArg ?? fnArg, "wrt lists a parameter twice; name each position once.");
    return this.derive(base, name, wrt, tuple);
  }

  /** The function a transform's first argument names: a user function or another transform. */
  private functionArgument(arg: ts.Expression): FnRef {
    let e = arg;
    while (ts.isParenthesizedExpression(e)) e = e.expression;
    if (ts.isCallExpression(e)) {
      const inner = recogniseTransform(e, this.checker);
      if (inner && inner !== "customGrad") return this.transform(e, inner);
    }
    const custom = this.custom(e);
    if (custom) return custom;
    const decl = resolveFunction(e, this.checker);
    if (!decl) {
      fail(Code.UnknownFunction, arg, `tsgrad cannot tell at compile time which function this is. ` +
        `Pass a function declaration, a const arrow function, an inline arrow, or one imported from your program.`);
    }
    return this.user(decl);
  }

  private user(decl: FunctionLike): UserFunction {
    let u = this.users.get(decl);
    if (!u) {
      const file = decl.getSourceFile();
      if (file.isDeclarationFile || isTsgradDeclaration(decl)) {
        fail(Code.OpaqueCall, decl, "this function has no body tsgrad can differentiate; pass a function with a body, or wrap it with customGrad(f, rule).");
      }
      const named = functionName(decl);
      const inline = !named || !(ts.isFunctionDeclaration(decl) || ts.isVariableDeclaration(decl.parent));
      const site: Site = { file, anchor: enclosingStatement(decl), placement: inline ? "inline" : "after" };
      u = new UserFunction(`${file.fileName}:${decl.pos}`, named ?? "lambda", decl, site, this.lowerContext);
      this.users.set(decl, u);
    }
    return u;
  }

  /** The function a customGrad declaration `const g = customGrad(f, rule)` makes, if `callee` names one. */
  private custom(callee: ts.Expression): CustomFunction | undefined {
    if (!ts.isIdentifier(callee)) return undefined;
    let symbol = this.checker.getSymbolAtLocation(callee);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = this.checker.getAliasedSymbol(symbol);
    const decl = symbol?.valueDeclaration;
    if (!decl || !ts.isVariableDeclaration(decl) || !decl.initializer || !ts.isIdentifier(decl.name)) return undefined;
    let init = decl.initializer;
    while (ts.isParenthesizedExpression(init)) init = init.expression;
    if (!ts.isCallExpression(init) || recogniseTransform(init, this.checker) !== "customGrad") return undefined;
    const existing = this.customs.get(decl);
    if (existing) return existing;
    const file = decl.getSourceFile();
    const name = decl.name.text;
    const made = new CustomFunction(`${file.fileName}:${decl.pos}`, name, decl.name, { file, anchor: enclosingStatement(decl), placement: "after" }, () => {
      const signature = this.checker.getTypeAtLocation(decl.name).getCallSignatures()[0];
      if (!signature) fail(Code.UnknownFunction, decl, `'${name}' is not a function; pass customGrad the function to differentiate.`);
      const params = signature.getParameters().map((p) => {
        const pdecl = p.valueDeclaration ?? decl;
        return { name: p.name, type: parameterType(this.checker, pdecl, `parameter '${p.name}' of ${name}`) };
      });
      return { name, params, returnType: "number", body: [], origin: decl };
    });
    this.customs.set(decl, made);
    return made;
  }

  private derive(base: FnRef, kind: FunctionKind, wrt: readonly number[], tuple: boolean): GeneratedFunction {
    const key = `${base.key}|${kind}|${wrt.join(",")}|${tuple ? "tuple" : ""}`;
    let g = this.generated.get(key);
    if (!g) {
      const root = base instanceof GeneratedFunction ? base.root : (base as UserFunction | CustomFunction);
      const all = kind === "vjp" && wrt.length === base.ir().params.length;
      const name = this.names(root.site.file).fresh(generatedBase(base.name, kind, all ? [] : wrt, tuple));
      g = new GeneratedFunction(key, name, root, () => scalarize(simplify(this.generate(base, kind, wrt, tuple, name))));
      this.generated.set(key, g);
    }
    return g;
  }

  /** The IR of what `kind` asks of `base`. */
  private generate(base: FnRef, kind: FunctionKind, wrt: readonly number[], tuple: boolean, name: string): Fn {
    const jvp = (callee: FnRef): FnRef => this.derive(callee, "jvp", callee.ir().params.map((_, i) => i), false);
    if (kind === "hessian") {
      // Forward over reverse: row i is the jvp of the gradient along e_i.
      const gradJvp = jvp(this.derive(base, "grad", [0], false));
      const { params, origin } = base.ir();
      const x = params[0]!;
      const rows: Expr = { kind: "call", callee: { kind: "runtime", name: "hessianRows" }, args: [{ kind: "function", fn: gradJvp }, { kind: "var", name: x.name }] };
      return { name, params: [x], returnType: { array: "js", rows: "js" }, body: [{ kind: "return", value: rows }], origin };
    }
    if (kind === "jvp") {
      const fn = base.custom ? callThrough(base) : base.ir();
      return forward(fn, { name, jvp });
    }
    if (base instanceof CustomFunction) return customAdjoint(base, base.node, { kind, wrt, tuple, name });
    return reverse(base.ir(), { kind, wrt, tuple, name, vjp: (callee, active) => this.derive(callee, "vjp", active, active.length !== 1) });
  }

  private names(file: ts.SourceFile): NameScope {
    let scope = this.fileNames.get(file);
    if (!scope) {
      scope = new NameScope(identifierTexts(file));
      this.fileNames.set(file, scope);
    }
    return scope;
  }

  /** Everything reachable from the replaced calls, grouped by the file it is emitted into. */
  private collectEmitted(): void {
    const seen = new Set<GeneratedFunction>();
    const visit = (g: GeneratedFunction, from: ts.SourceFile): void => {
      if (g.site.file !== from) this.exported.add(g);
      if (seen.has(g)) return;
      seen.add(g);
      const list = this.emitted.get(g.site.file) ?? [];
      list.push(g);
      this.emitted.set(g.site.file, list);
      for (const callee of this.callees(g)) visit(callee, g.site.file);
    };
    for (const [call, g] of this.calls) visit(g, call.getSourceFile());
    // The same text whatever order the program lists its files in: by place, then name.
    for (const list of this.emitted.values()) {
      list.sort((a, b) => a.site.anchor.pos - b.site.anchor.pos || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    }
  }
}

function isInside(node: ts.Node, ancestor: ts.Node): boolean {
  for (let n: ts.Node | undefined = node; n; n = n.parent) if (n === ancestor) return true;
  return false;
}

/** The local names a file's import declarations bind (named, default and namespace). */
function importedNames(file: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  for (const s of file.statements) {
    if (!ts.isImportDeclaration(s) || !s.importClause || s.importClause.isTypeOnly) continue;
    const clause = s.importClause;
    if (clause.name) names.add(clause.name.text);
    const bindings = clause.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) names.add(bindings.name.text);
    if (bindings && ts.isNamedImports(bindings)) for (const e of bindings.elements) if (!e.isTypeOnly) names.add(e.name.text);
  }
  return names;
}

/** Whether a call's callee is an imported name, or a member of an imported namespace. */
function callsImported(call: ts.CallExpression, imported: ReadonlySet<string>): boolean {
  let callee: ts.Expression = call.expression;
  while (ts.isParenthesizedExpression(callee)) callee = callee.expression;
  if (ts.isIdentifier(callee)) return imported.has(callee.text);
  return ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && imported.has(callee.expression.text);
}

/** `(args) => g(args)` for a function known only by its signature (customGrad), so forward mode can see the call. */
function callThrough(g: FnRef): Fn {
  const sig = g.ir();
  const args = sig.params.map((p) => ({ kind: "var", name: p.name }) as const);
  const node = g instanceof CustomFunction ? g.node : undefined;
  return { ...sig, body: [{ kind: "return", value: { kind: "call", callee: { kind: "fn", fn: g, node }, args } }] };
}

function calleesOf(fn: Fn): FnRef[] {
  const out: FnRef[] = [];
  walkStmts(fn.body, (s: Stmt) => {
    for (const e of exprsOf(s)) {
      walkExpr(e, (x) => {
        if (x.kind === "call" && x.callee.kind === "fn") out.push(x.callee.fn);
        if (x.kind === "function") out.push(x.fn);
      });
    }
  });
  return out;
}


/** `wrt` must be written as a literal: a position, or an array of positions. */
function parseWrt(arg: ts.Expression | undefined): { wrt: number[]; tuple: boolean } {
  if (!arg) return { wrt: [0], tuple: false };
  const position = (e: ts.Expression): number => {
    if (ts.isNumericLiteral(e) && Number.isInteger(Number(e.text))) return Number(e.text);
    // -1 and 0.5 are literals, but not positions.
    const negative = ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(e.operand);
    if (ts.isNumericLiteral(e) || negative) {
      return fail(Code.WrtInvalid, e, `${e.getText()} is not a parameter position (positions are whole numbers from 0, the first parameter); write one, like 1 or [0, 2].`);
    }
    return fail(Code.WrtNotLiteral, e, "wrt is not known at compile time; write the position as a literal, like 1 or [0, 2].");
  };
  let e = arg;
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e)) e = e.expression;
  if (ts.isArrayLiteralExpression(e)) {
    if (e.elements.length === 0) fail(Code.WrtInvalid, arg, "wrt is an empty list; name at least one parameter position.");
    return { wrt: e.elements.map(position), tuple: true };
  }
  return { wrt: [position(e)], tuple: false };
}
