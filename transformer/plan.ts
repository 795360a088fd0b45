// The plan for a whole program: every transform call, the functions generated
// for it (recursively, for callees and nested transforms), where each one is
// placed, and the diagnostics. Made once per program, before any file is
// emitted, because a file may need adjoints that live next to functions in
// another file (they are exported from there and imported here).

import { ts } from "./ts.js";
import { Code, DiffError, diagnosticsOf, fail } from "./diagnostics.js";
import { type Expr, type Fn, type FnRef, type Param, type Stmt, type Type, isArrayType, isKeyedNumbers, isOpaqueType, isRecordsType, isStructType, isTreesType } from "./ir.js";
import { jacobianColumns, jacobianRows, sharedRowsHold } from "./jacobian.js";
import { plainJacobian, structuredColumns, structuredRows } from "./jacobian-structure.js";
import { walkExpr, walkStmts, exprsOf } from "./ir.js";
import { customAdjoint } from "./custom.js";
import { forward } from "./forward.js";
import { forwardCanSelect, gradByForward, reverseCanRunOver } from "./higher.js";
import { type FunctionLike, type LowerContext, lowerFunction, parameterType } from "./lower.js";
import { type FunctionKind, NameScope, generatedBase, identifierTexts } from "./names.js";
import { type TransformName, isTsgradDeclaration, recogniseTransform } from "./recognise.js";
import { functionName, resolveFunction } from "./resolve.js";
import { reverse } from "./reverse.js";
import { scalarize } from "./scalarize.js";
import { shareCalls } from "./shared-calls.js";
import { readHeldValues } from "./held-values.js";
import { shareCopies } from "./copies.js";
import { skipOverwrittenZeroing } from "./overwrite.js";
import { keepInSlots } from "./slots.js";
import { simplify } from "./simplify.js";
import { forEachNode } from "./walk.js";
import { liftable, liftedCopy } from "./lift.js";

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
    private place: Site,
    ctx: LowerContext,
  ) {
    this.ir = once(() => lowerFunction(decl, name, ctx));
    this.restParameter = !!decl.parameters[decl.parameters.length - 1]?.dotDotDotToken;
  }
  get site(): Site {
    return this.place;
  }
  /** Generated functions of an inline arrow go after its statement instead, where code elsewhere in the file can call them. */
  placeAfter(): void {
    this.place = { ...this.place, placement: "after" };
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

/** The statement at the top of the file (or namespace) that holds `node`. */
function topLevelStatement(node: ts.Node): ts.Statement {
  let n: ts.Node = node;
  while (!(n.parent && (ts.isSourceFile(n.parent) || ts.isModuleBlock(n.parent)))) n = n.parent;
  return n as ts.Statement;
}

/** The name of the function around an inner one, for its lifted copy's name (`loss_fact`). */
function outerName(node: ts.Node): string {
  for (let n = node.parent; n; n = n.parent) {
    if (ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n) || ts.isArrowFunction(n)) return functionName(n) ?? "inner";
    if (ts.isMethodDeclaration(n) && ts.isIdentifier(n.name)) return n.name.text;
  }
  return "inner";
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

  /** Recursive inner functions called as module-level helpers (lift.ts): the name of each one's module-level copy. */
  private readonly liftedNames = new Map<FnRef, string>();

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
      customFunction: (callee) => this.custom(callee) ?? this.bound(callee) ?? this.checkpointed(callee),
      elementFunction: (callee, index) => this.element(callee, index),
      sourceFiles: () => program.getSourceFiles(),
      desugaredHelpers: new Map(),
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
        // customGrad and checkpoint run as written: they only mark a function for the others.
        if (name && name !== "customGrad" && name !== "checkpoint") {
          this.plan(node, name);
          // Transforms nested in this one's arguments are part of it.
          return false;
        }
      }
    });
  }

  private plan(call: ts.CallExpression, name: Exclude<TransformName, "customGrad" | "checkpoint">): void {
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
  private transform(call: ts.CallExpression, name: Exclude<TransformName, "customGrad" | "checkpoint">): GeneratedFunction {
    const withOptions = name === "grad" || name === "valueAndGrad" || name === "jacobian" || name === "jacfwd";
    const [fnArg, wrtArg, ...rest] = call.arguments;
    const optionsArg = withOptions ? rest[0] : undefined;
    const extra = withOptions ? rest.slice(1) : rest;
    if (!fnArg) fail(Code.UnknownFunction, call, `${name}() needs the function to differentiate as its first argument; write ${name}(f).`);
    if (extra.length > 0) fail(Code.Unsupported, extra[0], `${name}() takes a function and an optional wrt${withOptions ? " and options" : ""}; remove the extra arguments.`);
    const base = this.functionArgument(fnArg);
    const options = parseOptions(optionsArg);
    if (name === "vjp" || name === "jacobian" || name === "jacfwd") {
      if (options.aux) fail(Code.Unsupported, optionsArg!, `${name}() takes only the into option; remove hasAux (grad and valueAndGrad take it).`);
      return this.vectorTransform(name, base, fnArg, wrtArg, options);
    }
    if (name === "jvp") {
      if (wrtArg) fail(Code.Unsupported, wrtArg, `${name}() takes only the function; remove the wrt argument.`);
      if (!isResultType(base.ir().returnType)) fail(Code.NotScalar, fnArg, "jvp() needs a function that returns a number, an array, or a tuple or record of them; return one of those.");
      return this.derive(base, "jvp", base.ir().params.map((_, i) => i), false);
    }
    if (name === "hessian") {
      const fn = base.ir();
      if (fn.returnType !== "number") fail(Code.NotScalar, fnArg, "hessian() needs a function that returns a number; return a scalar.");
      const { wrt, tuple } = parseWrt(wrtArg);
      const k = wrt[0]!;
      if (tuple) fail(Code.WrtInvalid, wrtArg ?? fnArg, "hessian() takes one parameter position; write one, like hessian(f, 1), and for mixed second derivatives use grad(grad(f, i), j).");
      const p = fn.params[k];
      if (!p) fail(Code.WrtInvalid, wrtArg ?? fnArg, `wrt selects parameter ${k}, but the function has ${fn.params.length} parameter(s); use a position from 0 to ${fn.params.length - 1}.`);
      if (p.type !== "number" && !(isArrayType(p.type) && !p.type.rows)) {
        fail(Code.WrtInvalid, wrtArg ?? fnArg, `hessian() needs parameter ${k} ('${p.name}') to be a number or an array (number[] or Float64Array); select such a parameter.`);
      }
      return this.derive(base, "hessian", [k], false);
    }
    const { wrt, tuple } = parseWrt(wrtArg);
    const fn = this.lowered(base, wrt, wrtArg ?? fnArg);
    if (options.aux) {
      const r = fn.returnType;
      if (!isStructType(r) || !r.isTuple || r.struct.length !== 2 || r.struct[0]![1] !== "number") {
        fail(Code.NotScalar, fnArg, `${name}() with hasAux needs a function that returns [loss, aux], loss a number; return the pair.`);
      }
    } else if (fn.returnType !== "number") {
      const what = isArrayType(fn.returnType) ? "an array" : "a tuple or record";
      fail(Code.NotScalar, fnArg, `${name}() needs a function that returns a number, and this one returns ${what}; for its derivatives use jacobian(f) (rows, one per output) or vjp(f) (with a cotangent), or return a scalar loss.`);
    }
    this.checkWrt(fn, wrt, wrtArg ?? fnArg);
    if (base instanceof CustomFunction && (options.aux || options.into)) fail(Code.Unsupported, optionsArg ?? fnArg, `${name}() of a customGrad function takes no options; call it without them.`);
    return this.derive(base, name, wrt, tuple, options);
  }

  /**
   * `base` lowered. When its body is refused, a parameter `wrt` selects that
   * has no gradient is reported with the body's blockers (every blocker, not
   * only the first), its type read from the declaration.
   */
  private lowered(base: FnRef, wrt: readonly number[], at: ts.Expression): Fn {
    try {
      return base.ir();
    } catch (e) {
      if (!(e instanceof DiffError) || !(base instanceof UserFunction)) throw e;
      let blocker: DiffError | undefined;
      try {
        const params = base.decl.parameters.filter((p) => !(ts.isIdentifier(p.name) && p.name.text === "this"));
        this.checkWrt({ params: params.map((p) => ({ name: p.name.getText(), type: parameterType(this.checker, p, "parameter") })) }, wrt, at);
      } catch (x) {
        if (x instanceof DiffError) blocker = x;
      }
      throw blocker ? new DiffError(e.code, e.node, e.message, [...e.more, blocker]) : e;
    }
  }

  /** Each position `wrt` selects names a parameter with a gradient, once. */
  private checkWrt(fn: { readonly params: readonly Param[] }, wrt: readonly number[], wrtArg: ts.Expression): void {
    for (const i of wrt) {
      const p = fn.params[i];
      if (!p) {
        fail(Code.WrtInvalid, wrtArg, `wrt selects parameter ${i}, but the function has ${fn.params.length} parameter(s); use a position from 0 to ${fn.params.length - 1}.`);
      }
      if (isOpaqueType(p.type) && p.type.blocker) {
        const { field, type } = p.type.blocker;
        fail(Code.WrtInvalid, wrtArg, `parameter ${i} ('${p.name}') cannot be differentiated because of its field ${p.name}.${field}: ${type}, which has no gradient in this version (fields must be numbers, number[], Float64Array, arrays of these, or records and tuples of these); pass ${p.name}.${field} as a parameter of its own, or select another parameter.`);
      }
      if (isOpaqueType(p.type) && p.type.keyed && !p.type.keyedNumbers) {
        fail(Code.WrtInvalid, wrtArg, `parameter ${i} ('${p.name}') is a record keyed by strings (${p.type.description}) whose values are not all numbers, so it has no gradient; a record keyed by strings is differentiated when it holds numbers or arrays of numbers (Record<string, number>, Record<string, number[]>), so pass the numbers in one of those, or select another parameter.`);
      }
      if (p.optional && isOpaqueType(p.type)) {
        // JAX and PyTorch have no gradient for an argument that is not there; a default gives one.
        fail(Code.WrtInvalid, wrtArg, `parameter ${i} ('${p.name}') is optional (of type ${p.type.description}), so a call may omit it and leave nothing to differentiate; make it required, or give it a default (${p.name}: ${p.type.description.replace(/^'|'$/g, "").replace(/ \| undefined$/, "")} = DEFAULTS), whose gradient is returned when a call passes it.`);
      }
      if (p.type !== "number" && !isArrayType(p.type) && !isStructType(p.type) && !isRecordsType(p.type) && !isTreesType(p.type) && !isKeyedNumbers(p.type)) {
        const what = typeof p.type === "string" ? `a ${p.type}` : isOpaqueType(p.type) ? `of type ${p.type.description}` : "a tuple";
        fail(Code.WrtInvalid, wrtArg, `parameter ${i} ('${p.name}') is ${what}, which has no gradient; select a number, array or object parameter.`);
      }
    }
    if (new Set(wrt).size !== wrt.length) fail(Code.WrtInvalid, wrtArg, "wrt lists a parameter twice; name each position once.");
  }

  /** vjp(f, wrt), jacobian(f, wrt) and jacfwd(f, wrt): f may return arrays, tuples and records. */
  private vectorTransform(name: "vjp" | "jacobian" | "jacfwd", base: FnRef, fnArg: ts.Expression, wrtArg: ts.Expression | undefined, options: Options = {}): GeneratedFunction {
    const { wrt, tuple } = parseWrt(wrtArg);
    const fn = this.lowered(base, wrt, wrtArg ?? fnArg);
    const r = fn.returnType;
    if (!isResultType(r)) fail(Code.NotScalar, fnArg, `${name}() needs a function that returns a number, an array, or a tuple or record of them; return one of those.`);
    this.checkWrt(fn, wrt, wrtArg ?? fnArg);
    if (base instanceof CustomFunction) fail(Code.Unsupported, fnArg, `${name}() of a customGrad function is not supported; use grad(f) or valueAndGrad(f) of it.`);
    if (name === "vjp") return this.derive(base, "valueVjp", wrt, tuple);
    // Forward mode walks a parameter's numbers with the runtime (unitLike): a Map or a record keyed by strings has no fixed order of them.
    for (const k of wrt) {
      const p = fn.params[k]!;
      if (name === "jacfwd" && (isKeyedNumbers(p.type) || isOpaqueType(p.type))) {
        fail(Code.WrtInvalid, wrtArg ?? fnArg, `jacfwd() is taken with respect to numbers, arrays, records, tuples and arrays of records, and '${p.name}' is keyed by strings; use jacobian(f, ${k}) (reverse mode) for it.`);
      }
    }
    if (name === "jacobian" && r !== "number" && !(base instanceof GeneratedFunction) && (base as UserFunction).site.placement === "inline") {
      fail(Code.Unsupported, fnArg, "jacobian() of an array-valued inline arrow needs to call it by name; declare it (const f = (...) => ...) and pass f.");
    }
    // The caller's storage has one shape per kind of Jacobian; into is made for the plain one (a per-item block in a loop).
    if (options.into && (name === "jacobian" || name === "jacfwd") && !plainJacobian(fn, wrt, tuple)) {
      fail(Code.Unsupported, wrtArg ?? fnArg, `${name}(f, wrt, { into: true }) takes one parameter position that is a number or an array of numbers, of a function returning a number or an array; remove { into: true } for a tuple or record result, a structured parameter or a wrt array.`);
    }
    return this.derive(base, name, wrt, tuple, options.into ? { into: true } : {});
  }

  /** The function a transform's first argument names: a user function or another transform. */
  private functionArgument(arg: ts.Expression): FnRef {
    let e = arg;
    while (ts.isParenthesizedExpression(e)) e = e.expression;
    if (ts.isCallExpression(e)) {
      const inner = recogniseTransform(e, this.checker);
      // grad(checkpoint(f)) is grad(f): checkpoint only matters where f is called.
      if (inner === "checkpoint") return this.checkpointTarget(e);
      if (inner && inner !== "customGrad") return this.transform(e, inner);
    }
    const custom = this.custom(e) ?? this.bound(e) ?? this.checkpointed(e);
    if (custom) return custom;
    const decl = resolveFunction(e, this.checker);
    const method = !decl && ts.isPropertyAccessExpression(e) ? this.checker.getSymbolAtLocation(e.name)?.declarations?.find(ts.isMethodDeclaration) : undefined;
    if (method) {
      // A method needs its receiver (`this`), which a reference alone does not bind: an arrow gives it one.
      const params = method.parameters.map((p) => p.name.getText()).join(", ");
      const isStatic = method.modifiers?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword);
      const what = isStatic ? "a static method, which tsgrad differentiates where it is called" : "a method, whose 'this' a reference alone does not carry";
      fail(Code.UnknownFunction, arg, `'${e.getText()}' is ${what}; differentiate an arrow that calls it: grad((${params}) => ${e.getText()}(${params})).`);
    }
    if (!decl) {
      fail(Code.UnknownFunction, arg, `tsgrad cannot tell at compile time which function this is. ` +
        `Pass a function declaration, a const arrow function, an inline arrow, or one imported from your program.`);
    }
    return this.user(decl);
  }

  private user(decl: FunctionLike, nameHint?: string): UserFunction {
    let u = this.users.get(decl);
    if (!u) {
      const file = decl.getSourceFile();
      if (file.isDeclarationFile || isTsgradDeclaration(decl)) {
        fail(Code.OpaqueCall, decl, "this function has no body tsgrad can differentiate; pass a function with a body, or wrap it with customGrad(f, rule).");
      }
      const named = functionName(decl) ?? nameHint;
      const inline = !named || !(ts.isFunctionDeclaration(decl) || ts.isVariableDeclaration(decl.parent));
      // A recursive inner function's generated functions, and its copy, go at module level.
      const lifted = liftable(decl, this.checker);
      const site: Site = { file, anchor: lifted ? topLevelStatement(decl) : enclosingStatement(decl), placement: inline ? "inline" : "after" };
      u = new UserFunction(`${file.fileName}:${decl.pos}`, named ?? "lambda", decl, site, this.lowerContext);
      this.users.set(decl, u);
      if (lifted) this.liftedNames.set(u, this.names(file).fresh(`${outerName(decl)}_${named ?? "inner"}`));
    }
    return u;
  }

  /**
   * The generated function a binding `const df = grad(f, 1)` holds, if `callee`
   * names one (here or imported): a function like any other, callable inside
   * differentiated code and differentiable again.
   */
  private bound(callee: ts.Expression): GeneratedFunction | undefined {
    const init = boundTransformCall(callee, this.checker);
    if (!init) return undefined;
    const name = recogniseTransform(init, this.checker);
    if (!name || name === "customGrad" || name === "checkpoint") return undefined;
    const made = this.transform(init, name);
    const root = made.root;
    if (root.site.placement === "inline") {
      // `const df = grad((x) => ...)`: other code calls what it generates, so it goes after the statement, at file level.
      if (!ts.isSourceFile(root.site.anchor.parent) || !(root instanceof UserFunction)) {
        fail(Code.Unsupported, callee, `'${callee.getText()}' is a transform of an arrow written inside another function, which differentiated code elsewhere cannot call; declare the arrow at module level (const f = (...) => ...) and bind the transform of it there.`);
      }
      root.placeAfter();
    }
    return made;
  }

  /** `df(...)[k]` for a bound transform `df` with a tuple result: the function returning element k (a number). */
  private element(callee: ts.Expression, index: number): GeneratedFunction | undefined {
    if (!boundTransformCall(callee, this.checker)) return undefined;
    const whole = this.bound(callee);
    if (!whole) return undefined;
    const key = `${whole.key}|element|${index}`;
    let g = this.generated.get(key);
    if (!g) {
      const name = this.names(whole.root.site.file).fresh(`${whole.name}_${index === 1 && whole.key.includes("|jvp|") ? "tangent" : `item${index}`}`);
      g = new GeneratedFunction(key, name, whole.root, () => {
        const fn = whole.ir();
        const type = typeof fn.returnType === "object" && "tuple" in fn.returnType ? fn.returnType.tuple[index] : undefined;
        if (type !== "number") {
          fail(Code.NotScalar, callee, `element ${index} of what '${callee.getText()}' returns is not a number; differentiate through a number it returns.`);
        }
        const args: Expr[] = fn.params.map((p) => ({ kind: "var", name: p.name }));
        const value: Expr = { kind: "index", array: { kind: "call", callee: { kind: "fn", fn: whole }, args }, index: { kind: "num", value: index } };
        return { name, params: fn.params, returnType: "number", body: [{ kind: "return", value }], origin: fn.origin };
      });
      this.generated.set(key, g);
    }
    return g;
  }

  /**
   * `const step = checkpoint(f)`, if `callee` names one: a call of `step` in
   * differentiated code is a call of f that is never inlined, so the caller
   * saves only its arguments and f's vjp recomputes f's intermediates in the
   * backward sweep (as every call of a named function already does).
   */
  private checkpointed(callee: ts.Expression): FnRef | undefined {
    // `checkpoint(step)(x)`, written at the call.
    const direct = skipParentheses(callee);
    if (ts.isCallExpression(direct) && recogniseTransform(direct, this.checker) === "checkpoint") return this.checkpointTarget(direct);
    const init = boundTransformCall(callee, this.checker);
    if (!init || recogniseTransform(init, this.checker) !== "checkpoint") return undefined;
    return this.checkpointTarget(init);
  }

  /** The function `checkpoint(f)` marks; an arrow written in the call gets its generated functions after the statement, where callers see them. */
  private checkpointTarget(call: ts.CallExpression): FnRef {
    const [fnArg, ...extra] = call.arguments;
    if (!fnArg) fail(Code.UnknownFunction, call, "checkpoint() needs the function to checkpoint as its argument; write checkpoint(f).");
    if (extra.length > 0) fail(Code.Unsupported, extra[0], "checkpoint() takes only the function; remove the extra arguments.");
    // `const step = checkpoint((x) => ...)`: what is generated from the arrow is named after `step`.
    const arrow = skipParentheses(fnArg);
    const hint = call.parent && ts.isVariableDeclaration(call.parent) && ts.isIdentifier(call.parent.name) ? call.parent.name.text : undefined;
    const target = (ts.isArrowFunction(arrow) || ts.isFunctionExpression(arrow)) && hint ? this.user(arrow, hint) : this.functionArgument(fnArg);
    const root = target instanceof GeneratedFunction ? target.root : target;
    if (root instanceof UserFunction && root.site.placement === "inline") {
      if (!ts.isSourceFile(root.site.anchor.parent)) {
        fail(Code.Unsupported, fnArg, "checkpoint() of an arrow written inside a function is not supported: the step's recomputation is generated outside that function, where the arrow's variables are out of scope; declare it at module level (const step = checkpoint((...) => ...)) and pass what it reads as arguments.");
      }
      root.placeAfter();
    }
    return target;
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

  private derive(base: FnRef, kind: FunctionKind, wrt: readonly number[], tuple: boolean, options: Options = {}): GeneratedFunction {
    const suffix = `${options.aux ? "_aux" : ""}${options.into ? "_into" : ""}`;
    const key = `${base.key}|${kind}|${wrt.join(",")}|${tuple ? "tuple" : ""}${suffix}`;
    let g = this.generated.get(key);
    if (!g) {
      const root = base instanceof GeneratedFunction ? base.root : (base as UserFunction | CustomFunction);
      const all = kind === "vjp" && wrt.length === base.ir().params.length;
      const name = this.names(root.site.file).fresh(generatedBase(base.name, kind, all ? [] : wrt, tuple) + suffix);
      const passes = (fn: Fn): Fn => shareCopies(keepInSlots(skipOverwrittenZeroing(scalarize(shareCalls(readHeldValues(simplify(fn)))))));
      g = new GeneratedFunction(key, name, root, () => {
        const made = passes(this.generate(base, kind, wrt, tuple, name, options));
        // A Jacobian sharing its forward sweep is checked again after the passes; if they made a row's backward sweep read what the last one changed, a vjp per row.
        return kind === "jacobian" && !sharedRowsHold(made) ? passes(this.generate(base, kind, wrt, tuple, name, { ...options, rowsByVjp: true })) : made;
      });
      this.generated.set(key, g);
    }
    return g;
  }

  /** The IR of what `kind` asks of `base`. */
  private generate(base: FnRef, kind: FunctionKind, wrt: readonly number[], tuple: boolean, name: string, options: Options): Fn {
    const jvp = (callee: FnRef): FnRef => this.derive(callee, "jvp", callee.ir().params.map((_, i) => i), false);
    // A tuple or record result or parameter, or a wrt array: jacobian-structure.ts.
    const plain = (kind === "jacobian" || kind === "jacfwd") && plainJacobian(base.ir(), wrt, tuple);
    const columns = (): Fn => (plain ? jacobianColumns(base, wrt[0]!, name, jvp(base)) : structuredColumns(base, wrt, tuple, name, jvp(base)));
    if (kind === "jacobian") {
      // Of generated code reverse mode cannot run over (jacobian(grad(f)) where f loops), or that returns a
      // tuple or record (jacobian(grad(f, [0, 1]), [0, 1]), Hessian blocks): the same rows by forward mode.
      if (base instanceof GeneratedFunction && (!reverseCanRunOver(base.ir()) || !plain)) return plain ? jacobianColumns(base, wrt[0]!, name, jvp(base), options.into) : columns();
      if (!plain) return structuredRows(base, wrt, tuple, name, this.derive(base, "valueVjp", wrt, tuple), options.rowsByVjp);
      // With into and an array parameter, each row's vjp accumulates into the caller's row.
      const rowsInto = options.into === true && isArrayType(base.ir().params[wrt[0]!]!.type);
      return jacobianRows(base, wrt[0]!, name, this.derive(base, "valueVjp", wrt, false, rowsInto ? { into: true } : {}), options.rowsByVjp, options.into);
    }
    if (kind === "jacfwd") return plain ? jacobianColumns(base, wrt[0]!, name, jvp(base), options.into) : columns();
    if (kind === "hessian") {
      // Forward over reverse: row i is the jvp of the gradient along e_i.
      const k = wrt[0]!;
      const gradient = this.derive(base, "grad", [k], false);
      const gradJvp = jvp(gradient);
      const { params, origin } = base.ir();
      const x = params[k]!;
      // A number: the second derivative is the gradient's derivative along 1.
      if (x.type === "number") return gradByForward(gradient, gradJvp, { kind: "grad", wrt: [k], tuple: false, name });
      const fnArg: Expr = { kind: "function", fn: gradJvp };
      const rows: Expr =
        params.length === 1
          ? { kind: "call", callee: { kind: "runtime", name: "hessianRows" }, args: [fnArg, { kind: "var", name: x.name }] }
          : { kind: "call", callee: { kind: "runtime", name: "hessianRowsAt" }, args: [fnArg, { kind: "tuple", items: params.map((p) => ({ kind: "var", name: p.name }) as const) }, { kind: "num", value: k }] };
      return { name, params, returnType: { array: "js", rows: "js" }, body: [{ kind: "return", value: rows }], origin };
    }
    if (kind === "jvp") {
      const fn = base.custom ? callThrough(base) : base.ir();
      return forward(fn, { name, jvp });
    }
    const vjp = (callee: FnRef, active: readonly number[]): FnRef => this.derive(this.scalarCallee(callee), "vjp", active, active.length !== 1);
    if (kind === "valueVjp") return reverse(base.ir(), { kind: "vjp", value: true, wrt, tuple, name, vjp, into: options.into });
    if (base instanceof CustomFunction) return customAdjoint(base, base.node, { kind, wrt, tuple, name });
    if (base instanceof GeneratedFunction && this.forwardOverReverse(base.ir(), wrt)) {
      return gradByForward(base, jvp(base), { kind, wrt, tuple, name });
    }
    return reverse(base.ir(), { kind, wrt, tuple, name, vjp, aux: options.aux, into: options.into });
  }

  /**
   * A function called from differentiated code: its adjoint is the vjp of a
   * number, so one returning an array, tuple or record is refused there (as
   * before vjp existed), at its declaration.
   */
  private scalarCallee(callee: FnRef): FnRef {
    if (!(callee instanceof UserFunction) || callee.ir().returnType === "number") return callee;
    const signature = this.checker.getSignatureFromDeclaration(callee.decl);
    const returns = signature && this.checker.getReturnTypeOfSignature(signature);
    return fail(Code.NotScalar, callee.decl, `a differentiated function must return a number, but this one returns '${returns ? this.checker.typeToString(returns) : "unknown"}'. Return a scalar loss (for example sum(...) of a tensor).`);
  }

  /**
   * Whether a derivative of generated code is made forward over reverse: where
   * reverse mode cannot run over it (loops that use the runtime stacks,
   * reductions, calls), for the number and array parameters forward mode can
   * select and records and tuples of them (one jvp per field or entry).
   * Straight scalar code keeps reverse over reverse, which folds to the
   * shortest code (grad(grad(grad(cube))) is `return 6`).
   */
  private forwardOverReverse(fn: Fn, wrt: readonly number[]): boolean {
    return fn.returnType === "number" && forwardCanSelect(fn, wrt) && !reverseCanRunOver(fn);
  }

  /** The name code at module level calls a user function by, when it is a lifted inner function (lift.ts). */
  liftedName(fn: FnRef): string | undefined {
    return this.liftedNames.get(fn);
  }

  /** The module-level copies of lifted inner functions that `functions` call, or are generated from, each with the statement it goes after. */
  liftedCopies(functions: readonly GeneratedFunction[]): { anchor: ts.Statement; copy: ts.FunctionDeclaration }[] {
    const users = new Set<UserFunction>();
    for (const g of functions) {
      for (const c of [g.root, ...calleesOf(g.ir())]) if (c instanceof UserFunction && this.liftedNames.has(c)) users.add(c);
    }
    return [...users].map((u) => ({ anchor: u.site.anchor, copy: liftedCopy(u.decl, this.liftedNames.get(u)!, this.checker) }));
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

function skipParentheses(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e)) e = e.expression;
  return e;
}

/** The transform call a `const` binds, when `callee` names such a binding (here, or imported from another file). */
function boundTransformCall(callee: ts.Expression, checker: ts.TypeChecker): ts.CallExpression | undefined {
  if (!ts.isIdentifier(callee)) return undefined;
  let symbol = checker.getSymbolAtLocation(callee);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  const decl = symbol?.valueDeclaration;
  if (!decl || !ts.isVariableDeclaration(decl) || !decl.initializer) return undefined;
  if (!(ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const)) return undefined;
  let init = decl.initializer;
  while (ts.isParenthesizedExpression(init)) init = init.expression;
  return ts.isCallExpression(init) ? init : undefined;
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


/** The options of grad and valueAndGrad that change the generated code. */
interface Options {
  readonly aux?: boolean;
  readonly into?: boolean;
  /** jacobian: a vjp call per row, the forward sweep not shared (jacobian.ts sharedRowsHold said no). */
  readonly rowsByVjp?: boolean;
}

/** `{ hasAux: true, into: true }`, written as an object literal of boolean literals. */
function parseOptions(arg: ts.Expression | undefined): Options {
  if (!arg) return {};
  let e = arg;
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e)) e = e.expression;
  if (!ts.isObjectLiteralExpression(e)) return fail(Code.Unsupported, arg, "the options are not known at compile time; write them as a literal, like { hasAux: true }.");
  const out: { aux?: boolean; into?: boolean } = {};
  for (const p of e.properties) {
    const key = p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? p.name.text : undefined;
    if (!ts.isPropertyAssignment(p) || (key !== "hasAux" && key !== "into")) {
      fail(Code.Unsupported, p, "the options are hasAux and into; write them as hasAux: true or into: true.");
    }
    const value = p.initializer.kind === ts.SyntaxKind.TrueKeyword ? true : p.initializer.kind === ts.SyntaxKind.FalseKeyword ? false : undefined;
    if (value === undefined) fail(Code.Unsupported, p.initializer, `write ${key} as true or false, so it is known at compile time.`);
    if (key === "hasAux") out.aux = value;
    else out.into = value;
  }
  return out;
}

/** What vjp, jvp and the Jacobians take as a result: a number, an array, or a tuple or record of them. */
function isResultType(t: Type): boolean {
  const part = (x: Type): boolean => x === "number" || (isArrayType(x) && !x.rows);
  // A generated function's result (`[value, gradient]` of a vjp) nests them in tuples.
  const nested = typeof t === "object" && "tuple" in t && t.tuple.every(isResultType);
  return part(t) || nested || (isStructType(t) && t.struct.every(([, x]) => isResultType(x)));
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
