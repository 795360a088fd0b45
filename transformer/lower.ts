// Pass 1, lowering. Takes: a function the checker resolved (declaration, const
// arrow/function expression, inline arrow). Guarantees: an IR `Fn` with unique
// local names, or a DiffError located at the first construct outside the
// differentiable subset (SPEC §3).

import { ts } from "./ts.js";
import { Code, DiffError, construct, fail } from "./diagnostics.js";
import { desugar } from "./desugar/index.js";
import { mergedWhole } from "./desugar/object-spread.js";
import { isRowCopy } from "./desugar/row-arguments.js";
import { desugaredChecker, isCopiedName, isNewLocal, isShownAsWritten, isValueLocal, narrowed, runtimeCallName, userText } from "./desugar/synth.js";
import { recordLeaves } from "./desugar/record-columns.js";
import { isKeyedRecordType, isNumberMap } from "./desugar/keyed.js";
import { derivesFrom } from "./desugar/class-predicates.js";
import { type ArrayType, type BinaryOp, type Expr, type Fn, type FnRef, type Param, type Stmt, type StructType, type Type, assignedIn, isArrayType, isKeyedNumbers, isOpaqueType, isRecordsType, isStructType, isTreesType, readsOf, walkStmts } from "./ir.js";
import { MATH_CONSTANTS, isImpureMath, isIntegerMath, mathRule } from "./rules/math.js";
import { NameScope } from "./names.js";
import { singleExit } from "./normalize.js";
import { tsgradFunction } from "./recognise.js";
import { FreeNames, FunctionSymbols } from "./symbols.js";
import { forEachNode } from "./walk.js";
import { assignedRootsOf, namedClassesOf, rootIdentifier } from "./file-index.js";
import { inlinedBody, inlinedHelpers, inlinedWithStatements, isInlinedArrayHelper, isInlinedHelper } from "./inline.js";
import { captures, liftable } from "./lift.js";
import { KEY_LOOKUPS, RUNTIME_ARRAYS, RUNTIME_REDUCTIONS } from "./rules/runtime.js";
import { STOP_GRADIENT, stopped } from "./stop.js";
import { activeUseOf, passiveOf } from "./passive.js";
import { codesOf, isCodedCall } from "./desugar/union-results.js";
import { isTransparent } from "./desugar/casts.js";
import { arrayKind, auxResultTypeOf, every, parameterType, resultTypeOf, subsetType } from "./types.js";

export type FunctionLike = ts.FunctionDeclaration | ts.ArrowFunction | ts.FunctionExpression;

export interface LowerContext {
  readonly checker: ts.TypeChecker;
  /** Whether a declaration belongs to the TypeScript default library (Math, Date...). */
  isLibDeclaration(decl: ts.Declaration): boolean;
  /** The plan's handle on a user function another function calls. */
  functionRef(decl: FunctionLike, callee: ts.Node): FnRef;
  /** The function a call resolves to, if the compiler can see its body. */
  resolveFunction(callee: ts.Expression): FunctionLike | undefined;
  /** The plan's handle on `const g = customGrad(f, rule)` when `callee` names such a `g`. */
  customFunction(callee: ts.Expression): FnRef | undefined;
  /** The program's source files (to find the accessors that may compute a field). */
  sourceFiles(): readonly ts.SourceFile[];
  /**
   * `df(args)[k]` where `df` is a const bound to a transform returning a tuple
   * (`jvp(f)`, `valueAndGrad(f)`): a function of the same arguments returning
   * element k, if there is one.
   */
  elementFunction?(callee: ts.Expression, index: number): FnRef | undefined;
  /**
   * Module-level helpers already desugared for an earlier caller, by helper:
   * the passes ask nothing of the caller (names outside it resolve through the
   * program's checker), so a helper inlined into many functions is desugared
   * once per program, not once per caller (the fuzzer's 150 programs share a
   * few helpers; desugaring them again took a quarter of its compile time).
   */
  readonly desugaredHelpers?: Map<FunctionLike, FunctionLike>;
}

/** What desugaring passes may ask: the checker, whether a declaration is the default library's, what a call calls. */
export type DesugarContext = Pick<LowerContext, "checker" | "isLibDeclaration" | "resolveFunction"> & Partial<Pick<LowerContext, "sourceFiles">>;

export function lowerFunction(fn: FunctionLike, name: string, ctx: LowerContext): Fn {
  // Passes and lowering alike see the types of the nodes passes made, and ask
  // what a name the function does not declare means once (symbols.ts).
  const free = new FreeNames(fn);
  const checker = free.checker(desugaredChecker(ctx.checker));
  // The passes ask for the symbol of every name they walk over; a name the
  // function declares once, at its top, is looked up once (symbols.ts), not
  // from where it stands in a chain as deep as it is long, at every read.
  const names = new FunctionSymbols(checker, fn);
  const passes = { ...checker, getSymbolAtLocation: (node: ts.Node) => (ts.isIdentifier(node) ? names.at(node) : checker.getSymbolAtLocation(node)) };
  const typed = { ...ctx, checker: passes, resolveFunction: free.resolver((c) => ctx.resolveFunction(c)) };
  return new Lowerer(desugar(fn, typed), fn, typed).run(name);
}

export { arrayKind, parameterType, subsetType } from "./types.js";

const ARITHMETIC: Partial<Record<ts.SyntaxKind, BinaryOp>> = {
  [ts.SyntaxKind.PlusToken]: "+",
  [ts.SyntaxKind.MinusToken]: "-",
  [ts.SyntaxKind.AsteriskToken]: "*",
  [ts.SyntaxKind.SlashToken]: "/",
  [ts.SyntaxKind.AsteriskAsteriskToken]: "**",
};

/** `+ - * / ** %`: operators on numbers that give a number. */
function isArithmetic(kind: ts.SyntaxKind): boolean {
  return ARITHMETIC[kind] !== undefined || INTEGER[kind] !== undefined;
}

const COMPARISON: Partial<Record<ts.SyntaxKind, BinaryOp>> = {
  [ts.SyntaxKind.LessThanToken]: "<",
  [ts.SyntaxKind.LessThanEqualsToken]: "<=",
  [ts.SyntaxKind.GreaterThanToken]: ">",
  [ts.SyntaxKind.GreaterThanEqualsToken]: ">=",
  [ts.SyntaxKind.EqualsEqualsEqualsToken]: "===",
  [ts.SyntaxKind.EqualsEqualsToken]: "===",
  [ts.SyntaxKind.ExclamationEqualsEqualsToken]: "!==",
  [ts.SyntaxKind.ExclamationEqualsToken]: "!==",
};

/** Integer operators: Math pseudo-functions with derivative 0 (rules/math.ts). */
const INTEGER: Partial<Record<ts.SyntaxKind, string>> = {
  [ts.SyntaxKind.GreaterThanGreaterThanToken]: ">>",
  [ts.SyntaxKind.GreaterThanGreaterThanGreaterThanToken]: ">>>",
  [ts.SyntaxKind.LessThanLessThanToken]: "<<",
  [ts.SyntaxKind.BarToken]: "|",
  [ts.SyntaxKind.AmpersandToken]: "&",
  [ts.SyntaxKind.CaretToken]: "^",
  [ts.SyntaxKind.PercentToken]: "%",
};

const COMPOUND_INTEGER: Partial<Record<ts.SyntaxKind, string>> = {
  [ts.SyntaxKind.GreaterThanGreaterThanEqualsToken]: ">>",
  [ts.SyntaxKind.GreaterThanGreaterThanGreaterThanEqualsToken]: ">>>",
  [ts.SyntaxKind.LessThanLessThanEqualsToken]: "<<",
  [ts.SyntaxKind.BarEqualsToken]: "|",
  [ts.SyntaxKind.AmpersandEqualsToken]: "&",
  [ts.SyntaxKind.CaretEqualsToken]: "^",
  [ts.SyntaxKind.PercentEqualsToken]: "%",
};

const COMPOUND: Partial<Record<ts.SyntaxKind, BinaryOp>> = {
  [ts.SyntaxKind.PlusEqualsToken]: "+",
  [ts.SyntaxKind.MinusEqualsToken]: "-",
  [ts.SyntaxKind.AsteriskEqualsToken]: "*",
  [ts.SyntaxKind.SlashEqualsToken]: "/",
  [ts.SyntaxKind.AsteriskAsteriskEqualsToken]: "**",
};

/** `for (...)` of a loop, as the user wrote it. */
function loopHead(s: ts.IterationStatement): string {
  const user = ts.getParseTreeNode(s);
  if (!user || !ts.isIterationStatement(user, false)) return noteOf(s);
  // Cut before the text is made one line: the body's offset is the written text's.
  return oneLine(user.getText().slice(0, user.statement.getStart() - user.getStart()).trim());
}

/** A one-line rendering of a user statement for `// adjoint of:` comments. */
/**
 * The condition of the user's if that `s` stands for, as written (`n === "N"`): a pass may have put a
 * value in its place (the field local `b_pinned` for `this.pinned`, made at `b`'s declaration), whose
 * own text is not the condition. A test a pass wrote to be shown (`kind === 1` for `case 1:`) is kept.
 */
function conditionAsWritten(s: ts.IfStatement): ts.Expression {
  const user = ts.getParseTreeNode(s);
  if (!user || !ts.isIfStatement(user) || !user.parent || isShownAsWritten(s.expression)) return s.expression;
  return user.expression;
}

function noteOf(node: ts.Node): string {
  return oneLine(userText(node));
}

function oneLine(written: string): string {
  const text = written.replace(/\s+/g, " ").replace(/;$/, "");
  return text.length > 72 ? `${text.slice(0, 69)}...` : text;
}

/** A local of the function being lowered; `parameter` when it is (part of) a parameter, which is never written. */
interface Local {
  name: string;
  readonly type: Type;
  readonly mutable: boolean;
  readonly parameter?: boolean;
}

/** The local holding one field of a structured parameter, read once in the prologue. */
interface FieldLocal {
  name: string;
  readonly type: Type;
  readonly decl: Extract<Stmt, { kind: "let" }>;
  /** Whether code already refers to the local by its name. */
  read: boolean;
}

class Lowerer {
  private readonly checker: ts.TypeChecker;
  /** The symbols of the names the function reads (symbols.ts). */
  private readonly symbols: FunctionSymbols;
  /** Local arrays whose elements the checker said are numbers. */
  private readonly numberElements = new Set<string>();
  /** Each local's unique IR name, by its symbol (or, for a local desugaring made, its identifier). */
  private readonly locals = new Map<ts.Symbol | ts.Identifier, Local>();
  /** Arrays declared as stopGradient(a): the same array as `a` when the code runs, so never written. */
  private readonly stoppedArrays = new Set<string>();
  /** Local arrays declared as another name for a parameter or constant (aliasCopy), by the name they share: never written. */
  private readonly sharedArrays = new Map<string, string>();
  private readonly names: NameScope;
  /** Statements an expression needs before the statement that contains it (a map() loop, a temporary array). */
  private pending: Stmt[] = [];
  /** Lowering a loop's test, which runs on every turn (keptRead keeps nothing there). */
  private inLoopTest = false;
  /** Reads of the fields of structured parameters, placed first in the body. */
  private readonly prologue: Stmt[] = [];
  /** The field locals of each structured parameter. */
  private readonly structs = new Map<string, Map<string, FieldLocal>>();
  /** How many ifs and loops enclose the statement being lowered. */
  private depth = 0;
  private loops = 0;
  /**
   * Names bound to a value instead of a local: the parameters of an inlined
   * inner function or getter given a simple argument, and `const` aliases of
   * constants (`const solver = CONFIG.solver`).
   */
  private readonly bindings = new Map<ts.Symbol | ts.Identifier, Expr>();
  /** What `this` is inside the getter being inlined. */
  private readonly thisValues: Expr[] = [];
  /** The inner functions and getters being inlined (a call back into one is recursion). */
  private readonly inlining: ts.Node[] = [];
  /** How many `?:` branches and right operands of `&&`/`||` enclose the expression being lowered. */
  private conditional = 0;
  /** What the function returns: a number, or for vjp, jvp and the Jacobians an array, tuple or record. */
  private resultType: Type = "number";
  /** Per block being lowered, the const aliases declared in it and the locals their value reads. */
  private readonly aliases: { node: ts.VariableDeclaration; reads: Set<string> }[][] = [];
  /** Every construct refused so far: all of them are reported, not only the first. */
  private readonly errors: DiffError[] = [];
  /** Locals whose declaration was refused (by symbol, or the name a pass made): their uses are not reported again. */
  private readonly refused = new Set<ts.Symbol | ts.Identifier>();
  /** Collections refused only because they read another refused collection (refusedCollection): reported only if nothing else is. */
  private readonly followers: DiffError[] = [];
  /** Locals a desugaring pass made (`const array = [...weights]`) whose declaration was refused: values reading them are not reported again. */
  private readonly refusedNewLocals = new Set<ts.Identifier>();

  constructor(
    /** The function after desugaring (desugar/index.ts). */
    private readonly fn: FunctionLike,
    /** The function as the user wrote it. */
    private readonly source: FunctionLike,
    private readonly ctx: LowerContext,
  ) {
    this.checker = ctx.checker;
    this.helperBodies = ctx.desugaredHelpers ?? new Map();
    this.symbols = new FunctionSymbols(ctx.checker, fn, source);
    this.names = new NameScope(this.freeNames());
  }

  run(name: string): Fn {
    const fn = this.fn;
    if (fn.asteriskToken) fail(Code.Async, fn, "generator functions cannot be differentiated; differentiate a plain function that returns a number.");
    if (fn.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword)) {
      fail(Code.Async, fn, "async functions cannot be differentiated; differentiate a synchronous function.");
    }
    const params: Param[] = [];
    for (const p of realParameters(fn)) {
      const param = this.collect(() => this.param(p));
      if (param) params.push(param);
      else this.refuseNames(p.name);
    }
    // A lifted inner function takes the outer values it reads after its own parameters (lift.ts).
    for (const id of captures(this.source, this.checker)) {
      const param = this.collect((): Param => {
        const type = parameterType(this.checker, id, `'${id.text}'`, () => this.ctx.sourceFiles());
        return { name: this.declare(id, type, false, true), type };
      });
      if (param) params.push(param);
    }
    if (!fn.body) fail(Code.OpaqueCall, fn, "this function has no body for tsgrad to differentiate; give it a body, or wrap it with customGrad(f, rule).");
    const signature = this.checker.getSignatureFromDeclaration(fn);
    const ret = signature && this.checker.getReturnTypeOfSignature(signature);
    // vjp, jvp and the Jacobians take arrays, tuples and records as results (and hasAux a
    // [loss, aux] pair): plan.ts asks for a scalar where a transform needs one.
    const result = ret && (resultTypeOf(this.checker, ret, fn) ?? auxResultTypeOf(this.checker, ret, fn));
    if (result) this.resultType = result;
    if (!ret || !result) {
      fail(
        Code.NotScalar,
        fn,
        `a differentiated function must return a number, but this one returns ` +
          `'${ret ? this.checker.typeToString(ret) : "unknown"}'. Return a scalar loss (for example sum(...) of a tensor).`,
      );
    }
    const lowered: Stmt[] = ts.isBlock(fn.body) ? this.block(fn.body.statements) : this.collect(() => this.expressionBody(fn.body as ts.Expression)) ?? [];
    const [first, ...more] = this.errors.length > 0 ? this.errors : this.followers;
    if (first) throw new DiffError(first.code, first.node, first.message, more);
    const body = [...this.prologue, ...lowered];
    return { name, params, returnType: this.resultType, body, origin: this.source };
  }

  /**
   * The value a return gives, of the function's result type: a number, an
   * array (a local, or an array literal of numbers), a tuple or object literal
   * of these; the `aux` of a `[loss, aux]` pair as it is.
   */
  private resultValue(e: ts.Expression, type: Type): Expr {
    e = skipParens(e);
    while (ts.isAsExpression(e) || ts.isSatisfiesExpression(e) || ts.isNonNullExpression(e)) e = skipParens(e.expression);
    if (type === "number" || type === "boolean") return this.expr(e);
    if (isArrayType(type)) {
      if (ts.isArrayLiteralExpression(e) && !e.elements.some(ts.isSpreadElement)) return { kind: "tuple", items: e.elements.map((x) => this.numeric(x)) };
      return this.arrayOperand(e);
    }
    if (isStructType(type)) {
      if (type.isTuple && ts.isArrayLiteralExpression(e) && e.elements.length === type.struct.length && !e.elements.some(ts.isSpreadElement)) {
        return { kind: "object", isTuple: true, fields: type.struct.map(([k, t], i) => [k, this.resultValue(e.elements[i]!, t)] as const) };
      }
      if (!type.isTuple && ts.isObjectLiteralExpression(e)) {
        const given = new Map<string, ts.Expression | ts.ShorthandPropertyAssignment>();
        for (const p of e.properties) {
          if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) given.set(p.name.text, p.initializer);
          else if (ts.isShorthandPropertyAssignment(p)) given.set(p.name.text, p);
          else fail(Code.Unsupported, p, "a returned object is read field by field; write each field as 'name: value'.");
        }
        const part = (k: string, t: Type): Expr => {
          const x = given.get(k) ?? fail(Code.Unsupported, e, `the returned object has no field '${k}'; write it out.`);
          if (!ts.isShorthandPropertyAssignment(x)) return this.resultValue(x, t);
          // `{ mean }`: the name's own symbol is the property's; the local is the value's.
          const symbol = this.checker.getShorthandAssignmentValueSymbol(x);
          const local = symbol && this.locals.get(symbol);
          return local ? { kind: "var", name: local.name } : this.resultValue(x.name, t);
        };
        return { kind: "object", isTuple: false, fields: type.struct.map(([k, t]) => [k, part(k, t)] as const) };
      }
      return fail(Code.Unsupported, e, `return a ${type.isTuple ? "tuple" : "object"} literal (${type.isTuple ? "[a, b]" : "{ a, b }"}) here, so tsgrad sees each part of the result.`);
    }
    // The aux of [loss, aux]: passed through as the user wrote it.
    return this.auxValue(e);
  }

  /** An aux value: an object literal (`{ y, label: "fit" }`, fields of any type) field by field, anything else as an expression. */
  private auxValue(e: ts.Expression): Expr {
    e = skipParens(e);
    if (!ts.isObjectLiteralExpression(e) || !e.properties.every((p) => ts.isShorthandPropertyAssignment(p) || (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))))) return this.expr(e);
    const fields = e.properties.map((p): readonly [string, Expr] => {
      if (ts.isPropertyAssignment(p)) return [(p.name as ts.Identifier | ts.StringLiteral).text, this.auxValue(p.initializer)];
      const shorthand = p as ts.ShorthandPropertyAssignment;
      // `{ y }`: the name's own symbol is the property's; the local is the value's.
      const symbol = this.checker.getShorthandAssignmentValueSymbol(shorthand);
      const local = symbol && this.locals.get(symbol);
      return [shorthand.name.text, local ? { kind: "var", name: local.name } : this.expr(shorthand.name)];
    });
    return { kind: "object", isTuple: false, fields };
  }

  /** Runs `lower`; a refusal is kept for the report and lowering goes on with the next construct. */
  private collect<T>(lower: () => T): T | undefined {
    try {
      return lower();
    } catch (e) {
      if (e instanceof Refused) return undefined;
      if (!(e instanceof DiffError)) throw e;
      this.errors.push(e, ...e.more);
      return undefined;
    }
  }

  /** Identifiers the function, or a helper inlined into it, reads but does not declare: generated locals must avoid them. */
  private freeNames(): string[] {
    const helpers = inlinedHelpers(this.source, this.checker, (c) => this.ctx.resolveFunction(c));
    // The outer values a lifted inner function reads are its parameters here (lift.ts), free no more.
    const captured = new Set(captures(this.source, this.checker).map((id) => id.text));
    const free = [...freeNamesOf(this.source).filter((n) => !captured.has(n)), ...helpers.flatMap(freeNamesOf)];
    // Names an inlined method's body reads where it was written (a module constant): no local may take them.
    if (this.fn !== this.source) forEachNode(this.fn, (n) => void (ts.isIdentifier(n) && isCopiedName(n) && free.push(n.text)));
    return free;
  }

  /** Desugared bodies of module-level helpers inlined here, by helper (the program's, when the plan keeps them). */
  private readonly helperBodies: Map<FunctionLike, FunctionLike>;
  /** The helpers whose names this function's symbol table knows. */
  private readonly helperScopes = new Set<FunctionLike>();

  /**
   * Whether this call of the module-level helper `decl` is inlined (inline.ts
   * says when a helper can be; here, what the call site allows): arrays a helper
   * declares stay at the top level, a helper with statements is not inlined
   * into a path that may not run, and a structured argument must name a parameter.
   */
  private inlinedHere(e: ts.CallExpression, decl: FunctionLike): boolean {
    if (decl === this.fn || decl === this.source || this.inlining.includes(decl)) return false;
    if (!isInlinedHelper(decl, this.source, this.checker, (c) => this.ctx.resolveFunction(c))) return false;
    if (e.arguments.length > realParameters(decl).length) return false;
    // Under a ?: or && / || only a body that is one expression once desugared (a reduce becomes a loop) can be inlined;
    // branches.ts asks the same question, and lifted every call it says yes to out of such paths.
    if (this.conditional > 0 && inlinedWithStatements(decl, this.source, this.checker, (c) => this.ctx.resolveFunction(c), (h) => this.desugaredBody(h))) return false;
    return realParameters(decl).every((p, i) => {
      const arg = e.arguments[i];
      if (!arg) return !!p.initializer;
      let type: Type;
      try {
        type = parameterType(this.checker, p, "parameter");
      } catch {
        return false;
      }
      if (isStructType(type)) return !!this.structName(arg);
      if (isArrayType(type)) {
        const a = skipParens(arg);
        return ts.isIdentifier(a) || ts.isElementAccessExpression(a) || ts.isPropertyAccessExpression(a) || this.depth === 0;
      }
      return true;
    });
  }

  private param(p: ts.ParameterDeclaration): Param {
    if (!ts.isIdentifier(p.name)) fail(Code.Internal, p, "a destructured parameter reached lowering; please report this with the function.");
    // `delta?: number` is a number that may be undefined (a call omitting it); other optional values are constants.
    const optional = !!p.questionToken && !p.initializer;
    const present = optional ? this.checker.getNonNullableType(this.checker.getTypeAtLocation(p)) : undefined;
    if (present && every(present, ts.TypeFlags.NumberLike)) narrowed(p, present);
    const type = parameterType(this.checker, p, `parameter '${p.name.text}'`, () => this.ctx.sourceFiles());
    const fallback = p.initializer && this.parameterDefault(p.initializer, type, p.name.text);
    const name = this.declare(p.name, type, false, true);
    if (isStructType(type)) this.fieldLocals(name, type);
    if (p.dotDotDotToken) return { name, type, rest: true };
    return fallback ? { name, type, default: fallback } : optional ? { name, type, optional } : { name, type };
  }

  /**
   * Each field of the structured value `name` read through a local, so the rest
   * of tsgrad sees numbers and arrays; a field that is a record or tuple again
   * (`segment.from`) has field locals of its own (`segment_from_0`).
   */
  private fieldLocals(name: string, type: StructType): void {
    const fields = new Map<string, FieldLocal>();
    for (const [field, fieldType] of type.struct) {
      const decl: FieldLocal["decl"] = { kind: "let", name: this.names.fresh(`${name}_${field}`), type: fieldType, init: { kind: "field", object: { kind: "var", name }, name: field }, mutable: false };
      fields.set(field, { name: decl.name, type: fieldType, decl, read: false });
      this.prologue.push(decl);
      if (isStructType(fieldType)) this.fieldLocals(decl.name, fieldType);
    }
    this.structs.set(name, fields);
  }

  /** Renames the field local `field` (and what its own field locals read it by). */
  private renameField(field: FieldLocal, to: string): void {
    const inner = this.structs.get(field.name);
    if (inner) {
      this.structs.delete(field.name);
      this.structs.set(to, inner);
      for (const x of inner.values()) if (x.decl.init?.kind === "field") x.decl.init = { ...x.decl.init, object: { kind: "var", name: to } };
    }
    field.name = field.decl.name = to;
  }

  /**
   * The value of a default parameter, which reads no other parameter
   * (desugar/parameters.ts), written into generated signatures: a number, a
   * constant of any type (`world: World = EARTH`), a literal (`"log"`,
   * `[1, 0]`, `{ k: 32 }`).
   */
  private parameterDefault(init: ts.Expression, type: Type, param: string): Expr {
    if (type === "number" || type === "boolean") return this.expr(init);
    // `climate: Climate = new Climate(21, 5)`: an object made on each call that omits it, as JavaScript makes it.
    // Every generated signature repeats the expression as written, so it may read only what the whole module sees.
    const made = skipParens(init);
    if (ts.isNewExpression(made)) {
      const local = this.readsFunctionLocal(made);
      if (local) {
        fail(
          Code.Unsupported,
          local,
          `the default of parameter '${param}', '${userText(init)}', reads '${local.text}', which is declared inside a function, so the generated functions cannot make it again; ` +
            `pass '${param}' at the call, or declare what '${local.text}' holds at module level.`,
        );
      }
      return { kind: "call", callee: { kind: "passive", node: made, holes: new Map() }, args: [] };
    }
    return this.constantValue(init);
  }

  /** The first name `e` reads that is declared inside a function (a default made with new may read only module-level names). */
  private readsFunctionLocal(e: ts.Node): ts.Identifier | undefined {
    let found: ts.Identifier | undefined;
    const visit = (n: ts.Node): void => {
      if (found) return;
      if (ts.isIdentifier(n) && !(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n)) {
        const decl = this.checker.getSymbolAtLocation(n)?.declarations?.[0];
        if (decl && !this.ctx.isLibDeclaration(decl) && ts.findAncestor(decl.parent, ts.isFunctionLike)) found = n;
      }
      ts.forEachChild(n, visit);
    };
    visit(e);
    return found;
  }

  /** A value made of constants and literals, as a default parameter is. */
  private constantValue(init: ts.Expression): Expr {
    const e = skipParens(init);
    const constant = this.constantPath(e);
    if (constant) return constant;
    if (ts.isArrayLiteralExpression(e) && !e.elements.some(ts.isSpreadElement)) return { kind: "tuple", items: e.elements.map((x) => this.constantValue(x)) };
    if (ts.isObjectLiteralExpression(e)) {
      const fields = e.properties.map((p) => {
        if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) return [p.name.text, this.constantValue(p.initializer)] as const;
        if (ts.isShorthandPropertyAssignment(p)) return [p.name.text, this.constantValue(p.name)] as const;
        return fail(Code.Unsupported, p, "write this default's fields as `name: value`, or declare it as a module-level const and use its name as the default.");
      });
      return { kind: "object", fields, isTuple: false };
    }
    return this.expr(e);
  }

  /** `p.w` or `p[0]` of a structured parameter `p`: the local holding that field. */
  private field(e: ts.Expression): FieldLocal | undefined {
    const local = this.fieldLocal(e);
    if (local) local.read = true;
    return local;
  }

  /**
   * `const w = p.w` (what `({ w }: P) =>` desugars to): `w` is the field's local,
   * named `w` rather than `p_w` when nothing read the field before.
   */
  private fieldAlias(id: ts.Identifier, init: ts.Expression): boolean {
    const field = this.fieldLocal(init);
    if (!field) return false;
    if (!field.read) this.renameField(field, this.names.fresh(id.text));
    field.read = true;
    this.locals.set(this.binding(id)!, { name: field.name, type: field.type, mutable: false, parameter: true });
    return true;
  }

  private fieldLocal(e: ts.Expression): FieldLocal | undefined {
    e = skipParens(e);
    let object: ts.Expression;
    let key: string;
    if (ts.isPropertyAccessExpression(e)) [object, key] = [e.expression, e.name.text];
    else if (ts.isElementAccessExpression(e) && ts.isNumericLiteral(e.argumentExpression)) [object, key] = [e.expression, e.argumentExpression.text];
    else return undefined;
    const base = this.structName(object);
    return base ? this.structs.get(base)?.get(key) : undefined;
  }

  /** The IR name of the structured parameter `e` names (directly, through an inlined parameter, or as `this`). */
  private structName(e: ts.Expression): string | undefined {
    e = skipParens(e);
    let value: Expr | undefined;
    if (e.kind === ts.SyntaxKind.ThisKeyword) value = this.thisValues[this.thisValues.length - 1];
    else if (ts.isIdentifier(e)) value = this.bound(e) ?? (this.local(e) ? { kind: "var", name: this.local(e)!.name } : undefined);
    // A record field of a structured parameter (`segment.from` in `segment.from[0]`).
    else if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
      const field = this.fieldLocal(e);
      if (field && isStructType(field.type)) value = { kind: "var", name: field.name };
    }
    return value?.kind === "var" && this.structs.has(value.name) ? value.name : undefined;
  }

  /** What a name is bound to, when it is bound rather than a local. */
  private bound(id: ts.Identifier): Expr | undefined {
    const key = this.binding(id);
    return key && this.bindings.get(key);
  }

  /**
   * `p.sq` where `sq` is a getter of a class the checker resolves: its body,
   * inlined with `this` bound to `p`, so its value is differentiated as the
   * computation it is (never read as an independent input).
   */
  private getter(e: ts.Expression): Expr | undefined {
    e = skipParens(e);
    if (!ts.isPropertyAccessExpression(e) || ts.isPrivateIdentifier(e.name)) return undefined;
    const sym = this.checker.getSymbolAtLocation(e.name);
    if (!sym || !(sym.flags & ts.SymbolFlags.Accessor)) return undefined;
    const object = skipParens(e.expression);
    const self = this.structName(object);
    if (!self) {
      // A getter of a constant (a module-level instance) is read like any constant.
      if (this.constantPath(object)) return undefined;
      return fail(Code.Unsupported, e, `'${userText(e)}' is computed by a getter of a value tsgrad does not differentiate here; read the getter on a parameter or on a constant.`);
    }
    const decl = sym.declarations?.find(ts.isGetAccessorDeclaration);
    if (!decl) {
      return fail(Code.Unsupported, e, `'${e.name.text}' has a setter but no getter, so reading it gives undefined; read a field or add a getter.`);
    }
    if (!decl.body) {
      return fail(Code.OpaqueCall, e, `'${userText(e)}' is computed by a getter whose body tsgrad cannot see (declared in an interface or a .d.ts); type the parameter as the class that implements it.`);
    }
    const override = this.overriddenGetter(decl, object);
    if (override) {
      return fail(Code.Unsupported, e, `'${userText(e)}' may run the getter of ${override} instead, which tsgrad cannot choose at compile time; type the parameter as the class whose getter runs, or read fields instead.`);
    }
    const value: Expr = { kind: "var", name: self };
    this.thisValues.push(value);
    try {
      return this.inlineBody(decl, [], e, `the getter '${e.name.text}'`, false, `${self}_${e.name.text}`);
    } finally {
      this.thisValues.pop();
    }
  }

  private isConstEnumMember(e: ts.PropertyAccessExpression | ts.ElementAccessExpression): boolean {
    // A const enum's members are read by name or by string literal (`E["A"]`); `w[3]` needs no (slow, deep) checker query.
    if (ts.isElementAccessExpression(e) && !ts.isStringLiteralLike(e.argumentExpression)) return false;
    const symbol = this.checker.getSymbolAtLocation(ts.isPropertyAccessExpression(e) ? e.name : e.argumentExpression);
    const parent = symbol?.valueDeclaration?.parent;
    return !!parent && ts.isEnumDeclaration(parent) && !!parent.modifiers?.some((m) => m.kind === ts.SyntaxKind.ConstKeyword);
  }

  /** Another class of the program that overrides `decl` and whose instances the object may be. */
  private overriddenGetter(decl: ts.GetAccessorDeclaration, object: ts.Expression): string | undefined {
    const type = this.checker.getTypeAtLocation(object);
    let known = overrides.get(decl);
    if (!known) overrides.set(decl, (known = new Map()));
    if (!known.has(type)) known.set(type, this.findOverride(decl, type));
    return known.get(type);
  }

  private findOverride(decl: ts.GetAccessorDeclaration, type: ts.Type): string | undefined {
    const name = userText(decl.name);
    for (const file of this.ctx.sourceFiles()) {
      if (file.isDeclarationFile) continue;
      for (const n of namedClassesOf(file)) {
        if (n === decl.parent) continue;
        const member = n.members.find((m) => m.name?.getText() === name);
        const symbol = this.checker.getSymbolAtLocation(n.name!);
        const declared = symbol && this.checker.getDeclaredTypeOfSymbol(symbol);
        // An override is a subclass's getter: a class that only has the same shape is not
        // taken to stand for this one (classes are read nominally, as a reader of the code does).
        if (member && declared && derivesFrom(this.checker, declared, decl.parent) && this.checker.isTypeAssignableTo(declared, type)) return `class ${n.name!.text}`;
      }
    }
    return undefined;
  }

  /**
   * A constant from outside the differentiated values: a module-level or
   * enclosing `const` (of any type), a parameter that is not a number (a config
   * object, a string), and fields and elements of these
   * (`CONFIG.solver.tolerance`, `W[i][j]`, `LAYERS[k].scale`).
   */
  private constantPath(e: ts.Expression): Expr | undefined {
    e = skipParens(e);
    // A const enum's members do not exist at run time: their values are written in place.
    if ((ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) && this.isConstEnumMember(e)) {
      const value = this.checker.getConstantValue(e);
      if (typeof value === "number") return { kind: "num", value };
      if (typeof value === "string") return { kind: "literal", value };
    }
    if (ts.isPropertyAccessExpression(e)) {
      if (e.questionDotToken || ts.isPrivateIdentifier(e.name)) return undefined;
      // A parameter's field that is an array of records holding more than numbers (`model.users`): read in place.
      const local = this.fieldLocal(e);
      if (local && isTreesType(local.type)) return { kind: "var", name: this.field(e)!.name };
      const object = this.constantPath(e.expression);
      return object && { kind: "field", object, name: e.name.text };
    }
    if (ts.isElementAccessExpression(e)) {
      if (e.questionDotToken) return undefined;
      const object = this.constantPath(e.expression);
      if (!object) return undefined;
      const key = skipParens(e.argumentExpression);
      if (ts.isStringLiteralLike(key)) return { kind: "field", object, name: key.text };
      // A record of constants looked up by a key that is data (`FEES[trip.stop]`, a string): a constant too.
      if (every(this.checker.getTypeAtLocation(key), ts.TypeFlags.StringLike)) return { kind: "index", array: object, index: this.expr(key) };
      return { kind: "index", array: object, index: this.numeric(key) };
    }
    if (e.kind === ts.SyntaxKind.ThisKeyword) {
      // `this` of a method inlined on a constant receiver (`model.loss(p)`, `this.data[i].x`).
      const receiver = this.thisValues[this.thisValues.length - 1];
      return receiver && isConstant(receiver) ? receiver : undefined;
    }
    if (!ts.isIdentifier(e)) return undefined;
    const bound = this.bound(e);
    // A helper's parameter given a constant, or a local of passive data (`const item = BANK.find(...)`), is read as that.
    if (bound) return isConstant(bound) || this.isHeldInPlace(bound) ? bound : undefined;
    const local = this.local(e);
    // Arrays of arrays and of records are read in place (`W[i][j]`, `bodies[i].x`), never copied.
    if (local) return isOpaqueType(local.type) || isNestedData(local.type) ? { kind: "var", name: local.name } : undefined;
    const sym = this.checker.getSymbolAtLocation(e);
    const decl = sym && (sym.valueDeclaration ?? sym.declarations?.[0]);
    if (!decl || this.ctx.isLibDeclaration(decl) || this.inside(decl)) return undefined;
    this.checkCapture(e, sym);
    return { kind: "free", name: e.text, node: e };
  }

  /** Whether `e` names a local read in place like a constant: passive data of another type than numbers, or nested arrays (see constantPath). */
  private isHeldInPlace(e: Expr): boolean {
    if (e.kind !== "var") return false;
    for (const local of this.locals.values()) if (local.name === e.name) return isOpaqueType(local.type) || isNestedData(local.type);
    // A parameter's field holding records or tuples (`patient.insulin`), given to an inlined helper.
    for (const fields of this.structs.values()) for (const field of fields.values()) if (field.name === e.name) return isOpaqueType(field.type) || isNestedData(field.type);
    return false;
  }

  /** Desugared function-likes of the differentiated function, by the user's node they stand for. */
  private counterparts: Map<ts.Node, ts.SignatureDeclaration> | undefined;

  /** The body of `decl` after desugaring, when it is an inner function of the differentiated one; else its own. */
  private desugaredBody(decl: FunctionLike | ts.GetAccessorDeclaration): ts.ConciseBody {
    if (!this.counterparts) {
      const found = new Map<ts.Node, ts.SignatureDeclaration>();
      const visit = (n: ts.Node): void => {
        if ((ts.isArrowFunction(n) || ts.isFunctionExpression(n) || ts.isFunctionDeclaration(n)) && n !== this.fn) {
          const original = ts.getOriginalNode(n);
          if (original !== n) found.set(original, n);
        }
        ts.forEachChild(n, visit);
      };
      visit(this.fn);
      this.counterparts = found;
    }
    const mine = (this.counterparts.get(decl) ?? this.helperBody(decl)) as FunctionLike | undefined;
    return inlinedBody(decl, mine);
  }

  /** A module-level helper inlined here, desugared as the differentiated function is (once per helper). */
  private helperBody(decl: FunctionLike | ts.GetAccessorDeclaration): FunctionLike | undefined {
    if (ts.isGetAccessorDeclaration(decl) || this.inside(decl)) return undefined;
    let body = this.helperBodies.get(decl);
    if (!body) {
      body = desugar(decl, this.ctx);
      this.helperBodies.set(decl, body);
    }
    if (!this.helperScopes.has(decl)) {
      this.helperScopes.add(decl);
      this.symbols.addScope(decl);
      this.symbols.addScope(body);
    }
    return body;
  }

  /**
   * `helper(...)` of a module-level helper that returns an array, inlined
   * (inline.ts): its statements go before the statement that calls it, and the
   * IR local holding what it returns is named here — the helper's own local
   * (`return out`), or one its return expression is built in.
   */
  private inlineArrayCall(e: ts.Expression, type: ArrayType): string | undefined {
    e = skipParens(e);
    if (!ts.isCallExpression(e) || this.conditional > 0 || this.runtimeName(e)) return undefined;
    const decl = this.ctx.resolveFunction(e.expression);
    if (!decl || this.inside(decl) || this.inlining.includes(decl)) return undefined;
    if (!isInlinedArrayHelper(decl, this.source, (c) => this.ctx.resolveFunction(c))) return undefined;
    if (e.arguments.length > realParameters(decl).length) return undefined;
    const body = this.desugaredBody(decl);
    const last = ts.isBlock(body) ? body.statements[body.statements.length - 1] : undefined;
    if (ts.isBlock(body) && !(last && ts.isReturnStatement(last) && last.expression)) return undefined;
    const result = ts.isBlock(body) ? (last as ts.ReturnStatement).expression! : body;
    const name = ts.isIdentifier(e.expression) ? e.expression.text : undefined;
    const what = name ? `'${name}'` : "this function";
    const parameters = realParameters(decl);
    const symbols = parameters.map((p) => this.checker.getSymbolAtLocation(p.name)).filter((x): x is ts.Symbol => !!x);
    const outer = symbols.map((x) => this.bindings.get(x));
    for (const x of symbols) this.bindings.delete(x);
    this.inlining.push(decl);
    try {
      parameters.forEach((p, i) => this.bindParameter(p, e.arguments[i], e, what, false));
      if (ts.isBlock(body)) this.pending.push(...this.block(body.statements.slice(0, -1)));
      const returned = skipParens(result);
      const local = ts.isIdentifier(returned) ? this.local(returned) : undefined;
      if (local && isArrayType(local.type) && !local.parameter) return local.name;
      const array = this.names.fresh(name ?? "result");
      const init = this.arrayValue(returned, array, type);
      if (init) this.pending.push({ kind: "let", name: array, type, init, mutable: false, source: `${what}: return ${noteOf(returned)}` });
      return array;
    } finally {
      this.inlining.pop();
      symbols.forEach((x, i) => (outer[i] ? this.bindings.set(x, outer[i]!) : this.bindings.delete(x)));
    }
  }

  /** Whether `node` is declared inside the differentiated function (as the user wrote it, or as desugaring rewrote it). */
  private inside(node: ts.Node): boolean {
    return isInside(node, this.fn) || isInside(node, this.source);
  }

  /** What identifies the local `id` names: its symbol, or itself for a local desugaring made. */
  private binding(id: ts.Identifier): ts.Symbol | ts.Identifier | undefined {
    return isNewLocal(id) ? id : this.symbols.at(id);
  }

  private declare(id: ts.Identifier, type: Type, mutable: boolean, parameter = false): string {
    const symbol = this.binding(id);
    if (!symbol) fail(Code.Internal, id, `no symbol for '${id.text}'; please report this with the function.`);
    const name = this.names.fresh(id.text);
    this.locals.set(symbol, { name, type, mutable, parameter });
    return name;
  }

  private block(statements: readonly ts.Statement[]): Stmt[] {
    // Statements an enclosing test needs (a map() in an if condition) belong before
    // the enclosing statement, not in this block: keep them aside while lowering it.
    const outer = this.pending;
    this.pending = [];
    const out = this.statements(statements);
    this.pending = outer;
    return out;
  }

  private statements(statements: readonly ts.Statement[]): Stmt[] {
    const out: Stmt[] = [];
    const aliases: { node: ts.VariableDeclaration; reads: Set<string> }[] = [];
    this.aliases.push(aliases);
    try {
      this.statementList(statements, out, aliases);
    } finally {
      this.aliases.pop();
    }
    return out;
  }

  private statementList(statements: readonly ts.Statement[], out: Stmt[], aliases: readonly { node: ts.VariableDeclaration; reads: Set<string> }[]): void {
    for (const s of statements) {
      const lowered: Stmt[] = [];
      const done = this.collect(() => {
        this.statement(s, lowered);
        return true;
      });
      if (!done) {
        // A refused declaration: later uses of its names would only repeat the report.
        this.refuseDeclaredIn(s);
        this.pending = [];
        continue;
      }
      for (const x of [...this.pending, ...lowered]) x.origin ??= s;
      // An alias is read where it is used: the locals its value reads must not change before then.
      const changed = assignedIn([...this.pending, ...lowered]);
      for (const alias of aliases) {
        const moved = [...alias.reads].find((name) => changed.has(name));
        if (moved) {
          const what = userText(alias.node.name);
          this.collect(() => fail(Code.Unsupported, alias.node, `'${what}' stands for ${noteOf(alias.node.initializer!)}, which changes when '${moved}' does below; use ${noteOf(alias.node.initializer!)} where you need it instead of '${what}'.`));
          alias.reads.clear();
        }
      }
      out.push(...this.pending, ...lowered);
      this.pending = [];
      // Anything after a return or throw in the same block never runs.
      if (out.length > 0 && (out[out.length - 1]!.kind === "return" || out[out.length - 1]!.kind === "throw")) break;
    }
  }

  private statement(s: ts.Statement, out: Stmt[]): void {
    if (ts.isVariableStatement(s)) return this.variables(s, out);
    if (ts.isExpressionStatement(s)) return this.expressionStatement(s, out);
    if (ts.isReturnStatement(s)) {
      if (!s.expression) fail(Code.NotScalar, s, "this return gives no value; return a number on every path of a differentiated function.");
      // Only the function's own returns give its result; an inlined helper's give a number.
      const value = this.inlining.length === 0 ? this.resultValue(s.expression, this.resultType) : this.expr(s.expression);
      out.push({ kind: "return", value, source: noteOf(s) });
      return;
    }
    if (ts.isIfStatement(s)) {
      const test = this.condition(s.expression);
      this.depth++;
      const then = this.branch(s.thenStatement);
      const otherwise = s.elseStatement ? this.branch(s.elseStatement) : [];
      this.depth--;
      out.push({ kind: "if", test, then, else: otherwise, source: `if (${noteOf(conditionAsWritten(s))})` });
      return;
    }
    if (ts.isForStatement(s) || ts.isWhileStatement(s) || ts.isDoStatement(s) || ts.isForOfStatement(s)) {
      return this.loop(s, out);
    }
    if (ts.isBreakStatement(s) || ts.isContinueStatement(s)) {
      if (this.loops === 0) fail(Code.Unsupported, s, `${ts.isBreakStatement(s) ? "break" : "continue"} outside a loop does nothing here; remove it.`);
      out.push({ kind: ts.isBreakStatement(s) ? "break" : "continue" });
      return;
    }
    if (ts.isBlock(s)) {
      out.push(...this.block(s.statements));
      return;
    }
    if (ts.isEmptyStatement(s)) return;
    if (ts.isTryStatement(s)) {
      fail(Code.Unsupported, s, "try/catch cannot be differentiated; move the try outside the differentiated function.");
    }
    // An inner function is inlined where it is called.
    if (ts.isFunctionDeclaration(s) && s.body) return;
    if (ts.isClassDeclaration(s)) {
      fail(Code.Unsupported, s, "declare classes at module level; tsgrad differentiates through their getters when a parameter is an instance.");
    }
    if (ts.isThrowStatement(s)) return this.throwStatement(s, out);
    if (ts.isForInStatement(s)) {
      fail(Code.Unsupported, s, "for...in iterates over keys, which are strings; use for...of or an index loop.");
    }
    fail(Code.Unsupported, s, `${construct(s)} cannot be differentiated; rewrite it with const/let, if/else, loops and return.`);
  }

  /** for, while, do...while and for...of, lowered to one loop form (for...of becomes an index loop). */
  private loop(s: ts.IterationStatement, out: Stmt[]): void {
    const source = ts.isDoStatement(s)
      ? `do ... while (${noteOf(s.expression)})`
      : loopHead(s);
    let init: Stmt | undefined;
    let test: Expr = { kind: "bool", value: true };
    const update: Stmt[] = [];
    const prefix: Stmt[] = [];
    this.depth++;
    this.loops++;
    if (ts.isForStatement(s)) {
      if (s.initializer) {
        const stmts: Stmt[] = [];
        if (ts.isVariableDeclarationList(s.initializer)) {
          this.declarations(s.initializer, stmts);
        } else {
          this.expressionStatement(ts.factory.createExpressionStatement(s.initializer), stmts, s.initializer);
        }
        // The counter is declared with the loop; anything else goes before it.
        init = stmts.pop();
        out.push(...stmts);
      }
      if (s.condition) test = this.loopTest(s.condition);
      if (s.incrementor) this.incrementors(s.incrementor, update);
      // A for...of a pass made an index loop (desugar/instance-loops.ts): the counter's step it wrote is the for...of's own.
      if (s.incrementor && !ts.getParseTreeNode(s.incrementor) && ts.isForOfStatement(ts.getParseTreeNode(s) ?? s)) for (const u of update) u.source = source;
    } else if (ts.isWhileStatement(s) || ts.isDoStatement(s)) {
      test = this.loopTest(s.expression);
    } else if (ts.isForOfStatement(s)) {
      const list = s.initializer;
      if (!ts.isVariableDeclarationList(list) || list.declarations.length !== 1 || !ts.isIdentifier(list.declarations[0]!.name)) {
        fail(Code.Unsupported, s.initializer, "write for...of as `for (const x of xs)`.");
      }
      const array = this.arrayOperand(s.expression);
      const id = list.declarations[0]!.name as ts.Identifier;
      const i = this.names.fresh("i");
      init = { kind: "let", name: i, type: "number", init: { kind: "num", value: 0 }, mutable: true };
      test = { kind: "binary", op: "<", left: { kind: "var", name: i }, right: { kind: "length", array } };
      update.push({ kind: "assign", name: i, value: { kind: "binary", op: "+", left: { kind: "var", name: i }, right: { kind: "num", value: 1 } } });
      const element: Expr = { kind: "index", array, index: { kind: "var", name: i } };
      // A pass's new local (an inlined helper's loop variable, renamed) is its own key.
      const symbol = this.binding(id);
      if (symbol && !(list.flags & ts.NodeFlags.Let) && this.isRowOrRecord(id)) {
        // A row or a record (`for (const b of bodies)`): its uses read `bodies[i]` in place.
        this.bindings.set(symbol, element);
      } else {
        const type = subsetType(this.checker, id, `'${id.text}'`);
        if (type !== "number") fail(Code.UnsupportedType, id, "for...of is supported over arrays of numbers, arrays of arrays and arrays of records; loop over one of these, or use an index loop.");
        const name = this.declare(id, type, !(list.flags & ts.NodeFlags.Const));
        prefix.push({ kind: "let", name, type, init: element, mutable: false, source: `const ${id.text} = ${noteOf(s.expression)}[${i}]` });
      }
    }
    const body = [...prefix, ...this.branch(s.statement)];
    this.depth--;
    this.loops--;
    out.push({ kind: "loop", init, test, update, body, doWhile: ts.isDoStatement(s), source });
  }

  /** Whether a for...of variable holds something other than a number: a row, a record, a constant's element. */
  private isRowOrRecord(id: ts.Identifier): boolean {
    const t = this.checker.getTypeAtLocation(id);
    return !every(t, ts.TypeFlags.NumberLike) && !every(t, ts.TypeFlags.BooleanLike);
  }

  private loopTest(e: ts.Expression): Expr {
    const before = this.pending.length;
    const outer = this.inLoopTest;
    this.inLoopTest = true;
    let test: Expr;
    try {
      test = this.condition(e);
    } finally {
      this.inLoopTest = outer;
    }
    if (this.pending.length !== before) {
      fail(Code.Unsupported, e, "a loop condition cannot call map(), build arrays or call an inner function with statements; compute the value in a variable before the loop and at the end of its body.");
    }
    return test;
  }

  private incrementors(e: ts.Expression, out: Stmt[]): void {
    if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.CommaToken) {
      this.incrementors(e.left, out);
      this.incrementors(e.right, out);
      return;
    }
    this.expressionStatement(ts.factory.createExpressionStatement(e), out, e);
  }

  private branch(s: ts.Statement): Stmt[] {
    return ts.isBlock(s) ? this.block(s.statements) : this.block([s]);
  }

  private variables(s: ts.VariableStatement, out: Stmt[]): void {
    this.declarations(s.declarationList, out);
  }

  private declarations(list: ts.VariableDeclarationList, out: Stmt[]): void {
    const flags = list.flags;
    if ((flags & ts.NodeFlags.BlockScoped) === ts.NodeFlags.Using || (flags & ts.NodeFlags.BlockScoped) === ts.NodeFlags.AwaitUsing) {
      fail(Code.Unsupported, list, "using declarations manage resources, which differentiated code has none of; use const.");
    }
    if (!(flags & (ts.NodeFlags.Const | ts.NodeFlags.Let))) {
      fail(Code.Unsupported, list, "'var' is not supported in differentiated code; use const or let.");
    }
    const mutable = !(flags & ts.NodeFlags.Const);
    for (const d of list.declarations) {
      if (!ts.isIdentifier(d.name)) fail(Code.Internal, d.name, "a destructuring declaration reached lowering; please report this with the function.");
      if (!mutable && d.initializer && this.fieldAlias(d.name, d.initializer)) continue;
      const written = d.initializer && skipParens(d.initializer);
      if (written && (ts.isArrowFunction(written) || ts.isFunctionExpression(written))) {
        // An inner function is inlined where it is called.
        if (!mutable) continue;
        fail(Code.Unsupported, d, `declare the inner function '${d.name.text}' with const (or as a function declaration); tsgrad inlines it where it is called.`);
      }
      if (written && ts.isCallExpression(written) && runtimeCallName(written) === "keyedRows") {
        // The rows of a record of arrays keyed by strings (desugar/keyed.ts): an array of rows, read in place.
        const type = parameterType(this.checker, d.name, this.declaredName(d));
        out.push({ kind: "let", name: this.declare(d.name, type, false), type, init: { kind: "call", callee: { kind: "runtime", name: "keyedRows" }, args: written.arguments.map((a) => this.expr(a)) }, mutable: false, source: noteOf(d) });
        continue;
      }
      const declared = this.checker.getTypeAtLocation(d.name);
      if (written && ts.isObjectLiteralExpression(written) && written.properties.length === 0 && isKeyedRecordType(this.checker, this.checker.getNonNullableType(declared)) && !isNumberMap(this.checker, declared)) {
        // `const counts: Record<string, number> = {}` filled by key: a record whose keys the function makes.
        fail(
          Code.Unsupported,
          d,
          `'${userText(d)}' makes a record keyed by strings inside the function, whose keys tsgrad would have to follow as they are added; ` +
            `keep the numbers in an array indexed by each key's position (const keys = [...new Set(labels)]; const sums = new Array<number>(keys.length).fill(0); sums[keys.indexOf(label)] += x), ` +
            `or, for counts of data that do not depend on the parameters, use a Map<string, number>.`,
        );
      }
      if (written && passiveOf(written) && !every(declared, ts.TypeFlags.NumberLike) && !every(declared, ts.TypeFlags.BooleanLike)) {
        // A passive value that is not a number (`const skipped = log.filter(...)`): a local of its own type, never differentiated.
        const type = this.passiveType(d.name, declared);
        out.push({ kind: "let", name: this.declare(d.name, type, mutable), type, init: this.expr(written), mutable, source: noteOf(d) });
        continue;
      }
      if (!mutable && written && !every(declared, ts.TypeFlags.NumberLike) && !every(declared, ts.TypeFlags.BooleanLike)) {
        // A const that names a constant of another type (a row of a constant matrix, a
        // config object, a string): its uses read the constant where they are.
        const value = this.constantPath(written) ?? (arrayKind(this.checker, declared) ? undefined : this.expr(written));
        const symbol = this.binding(d.name);
        if (symbol && value && isConstant(value)) {
          this.bindings.set(symbol, value);
          this.aliases[this.aliases.length - 1]?.push({ node: d, reads: readsOf(value) });
          continue;
        }
      }
      const chosen = !mutable && written ? this.chosenConstant(written) : undefined;
      if (chosen) {
        // `const hyphenated = p.hyphenated !== undefined ? p.hyphenated : []` (a pattern default, desugar/destructuring.ts):
        // one of two constant arrays, chosen once where it is declared; a local of its own type, never differentiated.
        const type = this.passiveType(d.name, declared);
        out.push({ kind: "let", name: this.declare(d.name, type, false), type, init: chosen, mutable: false, source: noteOf(d) });
        continue;
      }
      const array = arrayKind(this.checker, this.checker.getTypeAtLocation(d.name));
      const row = !mutable && array && written ? this.rowOf(written) : undefined;
      // A row named in a helper the classes pass inlined is a new local (its node is its identity).
      const rowSymbol = this.binding(d.name);
      if (row && rowSymbol) {
        // `const row = W[i]`: a name for a row of an array of arrays, read in place.
        this.bindings.set(rowSymbol, row);
        this.aliases[this.aliases.length - 1]?.push({ node: d, reads: readsOf(row) });
        continue;
      }
      if (array) {
        out.push(...this.arrayDeclaration(d, d.name, { array }, mutable));
        continue;
      }
      const init = d.initializer ? this.expr(d.initializer) : undefined;
      this.refuseMixedLocal(d);
      const type = subsetType(this.checker, d.name, this.declaredName(d));
      const name = this.declare(d.name, type, mutable);
      out.push({ kind: "let", name, type, init, mutable, source: noteOf(d) });
    }
  }

  /**
   * `c ? p.marks : []` whose branches are both constant arrays (a field of data,
   * a module constant, a literal of constants, such as the `[]` a pattern
   * default gives): the choice, with each branch as written. Undefined for
   * anything else, which the array paths below differentiate or refuse.
   */
  private chosenConstant(e: ts.Expression): Expr | undefined {
    e = skipParens(e);
    if (!ts.isConditionalExpression(e) || !this.checker.isArrayType(this.checker.getTypeAtLocation(e))) return undefined;
    const branch = (b: ts.Expression): Expr | undefined => {
      b = skipParens(b);
      if (ts.isArrayLiteralExpression(b)) {
        const items = b.elements.map((x) => (ts.isNumericLiteral(x) ? ({ kind: "num", value: Number(x.text) } as const) : ts.isSpreadElement(x) ? undefined : this.constantPath(x)));
        return items.every((x): x is Expr => !!x && isConstant(x)) ? { kind: "tuple", items } : undefined;
      }
      const path = this.constantPath(b);
      if (path && isConstant(path)) return path;
      // A local of data (a passive value, an earlier choice like this one).
      return path && ts.isIdentifier(b) && isOpaqueType(this.local(b)?.type) ? path : undefined;
    };
    const yes = branch(e.whenTrue);
    const no = yes && branch(e.whenFalse);
    return yes && no ? { kind: "cond", test: this.condition(e.condition), then: yes, else: no } : undefined;
  }

  /** `W[i]` of an array of arrays (a parameter, a field of one, a constant): that row, read in place. */
  private rowOf(e: ts.Expression): Expr | undefined {
    e = skipParens(e);
    if (!ts.isElementAccessExpression(e) || e.questionDotToken) return undefined;
    const rows = parameterType(this.checker, e.expression, "this value");
    if (!isArrayType(rows) || !rows.rows) return undefined;
    return { kind: "index", array: this.arrayOperand(e.expression), index: this.numeric(e.argumentExpression) };
  }

  /** `const a = new Float64Array(n)` (or zeros, linspace, map, [..]): arrays are created once, at the top level. */
  private arrayDeclaration(d: ts.VariableDeclaration, id: ts.Identifier, type: ArrayType, mutable: boolean): Stmt[] {
    if (!d.initializer) fail(Code.Unsupported, d, "initialise the array where it is declared.");
    const inlined = this.inlineArrayCall(d.initializer, type);
    if (inlined) {
      // The name stands for the array the helper built (inline.ts).
      this.locals.set(this.binding(id)!, { name: inlined, type, mutable: false });
      return [];
    }
    // An array desugaring builds (the rest of a pattern) is a Float64Array, whatever the pattern's type.
    const built = ts.isCallExpression(d.initializer) ? runtimeCallName(d.initializer) : undefined;
    if (built === "zeros" && type.array === "js" && (mutable || isValueLocal(id))) {
      // A reassigned number[] stays one (`u = next` may give it a number[] later): filled(n, 0), not zeros(n).
      // So does a number[] a pass declared to hold a value (`path = [...path, y]`'s new array), which a
      // number[] local is then given.
      const name = this.declare(id, type, mutable);
      const size = (d.initializer as ts.CallExpression).arguments[0]!;
      const init: Expr = { kind: "call", callee: { kind: "runtime", name: "filled" }, args: [this.numeric(size), { kind: "num", value: 0 }] };
      return [{ kind: "let", name, type, init, mutable, source: noteOf(d) }];
    }
    const copied = built === "tensor" ? skipParens((d.initializer as ts.CallExpression).arguments[0]!) : undefined;
    const copiedLocal = copied && ts.isIdentifier(copied) ? this.local(copied) : undefined;
    if (copiedLocal && isArrayType(copiedLocal.type) && copiedLocal.type.array === "js" && !copiedLocal.type.rows && mutable && type.array === "js") {
      // `let u = [...v]` of a number[] is a number[] too, so `u = next` may swap it with others.
      const name = this.declare(id, type, mutable);
      const array: Expr = { kind: "var", name: copiedLocal.name };
      const init: Expr = { kind: "call", callee: { kind: "runtime", name: "sliceOf" }, args: [array, { kind: "num", value: 0 }, { kind: "length", array }] };
      return [{ kind: "let", name, type, init, mutable, source: noteOf(d) }];
    }
    if (built === "sortedOf" || built === "reversedOf") {
      // A sorted copy is of its source's kind: a map a pass made into a Float64Array gives one.
      const source = skipParens((d.initializer as ts.CallExpression).arguments[0]!);
      const local = ts.isIdentifier(source) ? this.local(source) : undefined;
      if (local && isArrayType(local.type) && !local.type.rows) type = { array: local.type.array };
    } else if (built) type = { array: "f64" };
    const stop = ts.isCallExpression(skipParens(d.initializer)) && this.runtimeName(skipParens(d.initializer) as ts.CallExpression) === STOP_GRADIENT;
    if (stop) type = { array: "f64" }; // lowered as a constant copy, tensor(...)
    const name = this.declare(id, type, mutable);
    if (stop) this.stoppedArrays.add(name);
    const init = this.arrayValue(d.initializer, name, type);
    return init ? [{ kind: "let", name, type, init, mutable, source: noteOf(d) }] : [];
  }

  private expressionStatement(s: ts.ExpressionStatement, out: Stmt[], original: ts.Node = s): void {
    let e = s.expression;
    while (ts.isParenthesizedExpression(e)) e = e.expression;
    if (ts.isBinaryExpression(e) && ts.isElementAccessExpression(skipParens(e.left))) {
      const op = e.operatorToken.kind;
      const compound = COMPOUND[op];
      if (op === ts.SyntaxKind.EqualsToken || compound) {
        const target = skipParens(e.left) as ts.ElementAccessExpression;
        const array = this.storeTarget(target);
        const index = this.expr(target.argumentExpression);
        const right = this.numeric(e.right);
        const value: Expr = compound
          ? { kind: "binary", op: compound, left: { kind: "index", array: { kind: "var", name: array }, index }, right }
          : right;
        out.push({ kind: "store", array, index, value, source: noteOf(original) });
        return;
      }
    }
    if ((ts.isPrefixUnaryExpression(e) || ts.isPostfixUnaryExpression(e)) && ts.isElementAccessExpression(skipParens(e.operand))) {
      fail(Code.Unsupported, e, "write a[i] += 1 instead of incrementing an array element.");
    }
    if (ts.isBinaryExpression(e)) {
      const op = e.operatorToken.kind;
      if (op === ts.SyntaxKind.EqualsToken) {
        const target = this.assignTarget(e.left);
        if (isArrayType(target.type)) {
          // `u = next`: the variable names another array (reverse.ts keeps the one it named).
          if (this.local(e.left as ts.Identifier)?.parameter) fail(Code.ParamMutation, e, `'${userText(e.left)}' is a parameter; declare a local array (let u = tensor(${userText(e.left)})) and assign that instead.`);
          const right = skipParens(e.right);
          if (ts.isCallExpression(right) && (this.runtimeName(right) === "map" || this.runtimeName(right) === "map2")) {
            fail(Code.Unsupported, e, "assign the result of map to a new const first (const mapped = map(...)), then assign that array.");
          }
          const inlined = this.inlineArrayCall(right, target.type);
          const value = inlined ? { kind: "var" as const, name: inlined } : this.arrayValue(right, target.name, target.type);
          if (value) out.push({ kind: "assign", name: target.name, value, source: noteOf(original) });
          return;
        }
        out.push({ kind: "assign", name: target.name, value: this.expr(e.right), source: noteOf(original) });
        return;
      }
      const compound = COMPOUND[op];
      const integer = COMPOUND_INTEGER[op];
      if (compound || integer) {
        const target = this.assignTarget(e.left);
        const left: Expr = { kind: "var", name: target.name };
        const value: Expr = compound
          ? { kind: "binary", op: compound, left, right: this.expr(e.right) }
          : { kind: "call", callee: { kind: "math", name: integer! }, args: [left, this.numeric(e.right)] };
        out.push({ kind: "assign", name: target.name, value, source: noteOf(original) });
        return;
      }
    }
    if ((ts.isPrefixUnaryExpression(e) || ts.isPostfixUnaryExpression(e)) &&
        (e.operator === ts.SyntaxKind.PlusPlusToken || e.operator === ts.SyntaxKind.MinusMinusToken)) {
      const target = this.assignTarget(e.operand);
      const op = e.operator === ts.SyntaxKind.PlusPlusToken ? "+" : "-";
      out.push({
        kind: "assign",
        name: target.name,
        value: { kind: "binary", op, left: { kind: "var", name: target.name }, right: { kind: "num", value: 1 } },
        source: noteOf(original),
      });
      return;
    }
    if (ts.isCallExpression(e)) return this.callStatement(e, out);
    fail(Code.Unsupported, e, `${construct(e)} as a statement does nothing tsgrad can differentiate; assign its value to a variable, or remove it.`);
  }

  private assignTarget(target: ts.Expression): { name: string; type: Type } {
    if (!ts.isIdentifier(target)) {
      if (ts.isElementAccessExpression(target) || ts.isPropertyAccessExpression(target)) {
        const root = rootIdentifier(target);
        const local = root && this.local(root);
        if (local && this.isParameterSymbol(root)) {
          fail(Code.ParamMutation, target, `assigning into parameter '${root.text}' mutates the caller's value; copy it into a local first.`);
        }
        if (!local) fail(Code.OuterMutation, target, "assigning into a value from outside the differentiated function is a side effect tsgrad cannot differentiate; return the value instead.");
      }
      return fail(Code.Unsupported, target, "only local variables can be assigned in differentiated code; assign to a let declared in the function.");
    }
    const local = this.local(target);
    if (!local) {
      this.afterEarlierRefusal(target);
      fail(Code.OuterMutation, target, `'${target.text}' is declared outside the differentiated function; assigning to it is a side effect tsgrad cannot differentiate. Use a local variable.`);
    }
    return local;
  }

  /**
   * How a diagnostic names what a declaration declares: its name, or for the
   * local a pass made in place of a pattern (`c_s_up` for `const [c, s, up] =
   * dir(x)`), the pattern as the user wrote it.
   */
  private declaredName(d: ts.VariableDeclaration): string {
    const name = d.name as ts.Identifier;
    if (!isNewLocal(name)) return `'${name.text}'`;
    const user = ts.getParseTreeNode(d);
    const written = user && ts.isVariableDeclaration(user) ? user.name : undefined;
    return written && !ts.isIdentifier(written) ? `the value destructured as '${userText(written)}'` : `'${name.text}'`;
  }

  /**
   * A local tuple or record that is not one of numbers and arrays, named with
   * the form that works: one that may be missing (`const sun = sunDirection(site, hour)`
   * of `Vec3 | null`), or a tuple with a flag (`const [c, s, up] = dir(x)` of
   * `[number, number, boolean]`).
   */
  private refuseMixedLocal(d: ts.VariableDeclaration): void {
    const t = this.checker.getTypeAtLocation(d.name);
    const what = this.declaredName(d);
    const shown = this.checker.typeToString(t);
    const present = this.checker.getNonNullableType(t);
    const structured = (x: ts.Type): boolean => this.checker.isTupleType(x) || (!!(x.flags & ts.TypeFlags.Object) && x.getProperties().length > 0 && !this.checker.isArrayType(x));
    // `{ weights = DEFAULT_WEIGHTS }: Options`: a record chosen between the argument's field and the default.
    const element = ts.getParseTreeNode(d.name)?.parent;
    if (element && ts.isBindingElement(element) && element.initializer && ts.isIdentifier(element.name) && structured(present)) {
      const name = element.name.text;
      const first = present.getProperties()[0]?.name;
      const example = first ? ` (const ${first} = ${name}?.${first} ?? ${userText(element.initializer)}.${first})` : "";
      fail(
        Code.UnsupportedType,
        element,
        `'${userText(element)}' gives '${name}' a default in the destructuring, and tsgrad keeps no record that is one of two objects chosen when the code runs. ` +
          `Destructure '${name}' without a default and read each of its fields with its own fallback${example}.`,
      );
    }
    if (present !== t && structured(present)) {
      fail(
        Code.UnsupportedType,
        d.name,
        `${what} may be missing ('${shown}'), and tsgrad keeps a tuple or record in locals only when it is always there. ` +
          `Return a '${this.checker.typeToString(present)}' in every case (a placeholder where there is none) and test a condition for "none" where you call it.`,
      );
    }
    if (!this.checker.isTupleType(t)) return;
    const flag = this.checker.getTypeArguments(t as ts.TypeReference).find((e) => !!(e.flags & (ts.TypeFlags.BooleanLike | ts.TypeFlags.StringLike)));
    if (!flag) return;
    fail(
      Code.UnsupportedType,
      d.name,
      `${what} is a tuple with a '${this.checker.typeToString(flag)}' among its numbers ('${shown}'); tsgrad keeps a tuple in locals when its elements are numbers and arrays. ` +
        `Return the flag as a number (1 or 0), or compute it in a helper of its own.`,
    );
  }

  /** The local array `a` of `a[i] = ...`; parameters and outer arrays are refused. */
  private storeTarget(target: ts.ElementAccessExpression): string {
    const base = rootIdentifier(target);
    if (base && this.local(base) && this.isParameterSymbol(base)) {
      fail(Code.ParamMutation, target, `writing into parameter '${base.text}' mutates the caller's value; copy it first (tensor(...)) and write the copy.`);
    }
    const root = skipParens(target.expression);
    if (!ts.isIdentifier(root)) fail(Code.Unsupported, target, "store into a local array variable: a[i] = ...");
    const local = this.local(root);
    if (local && this.isParameterSymbol(root)) {
      fail(Code.ParamMutation, target, `writing into parameter '${root.text}' mutates the caller's array; copy it first (tensor(${root.text})) and write the copy.`);
    }
    if (!local) this.afterEarlierRefusal(root);
    if (!local) fail(Code.OuterMutation, target, `'${root.text}' is declared outside the differentiated function, and writing into it is a side effect tsgrad cannot differentiate; write into a local array (tensor(...) copies one) and return what you need.`);
    if (!isArrayType(local.type) && isOpaqueType(local.type) && this.checker.isArrayType(this.checker.getTypeAtLocation(root))) {
      // `const flows = pipes.map(() => 0)` over data that is not differentiated: a constant, run as written (passive.ts).
      // Its later uses (`return flows`) would only repeat this report.
      const binding = this.binding(root);
      if (binding) this.refused.add(binding);
      fail(
        Code.UnsupportedType,
        target,
        `'${root.text}' is computed only from data that is not differentiated, so tsgrad keeps it as a constant, which it does not write into. ` +
          `Declare it as an array of numbers tsgrad tracks (const ${root.text} = new Array<number>(n).fill(0)) and fill it in a loop.`,
      );
    }
    if (!isArrayType(local.type)) fail(Code.UnsupportedType, target, `'${root.text}' is not an array of numbers; store into a number[] or Float64Array local.`);
    const shared = this.sharedArrays.get(local.name);
    if (shared !== undefined) {
      fail(Code.ParamMutation, target, `'${root.text}' was declared as '${shared}', the same array when the code runs, so writing into it would change '${shared}' too; declare a copy instead (let ${root.text} = [...${shared}]).`);
    }
    if (this.stoppedArrays.has(local.name)) {
      fail(Code.Unsupported, target, `'${root.text}' is stopGradient(...) of another array, the same array when the code runs, so writing into it would change both; write into a copy: tensor(stopGradient(...)).`);
    }
    return local.name;
  }

  /** An array read by an expression: a variable, or a temporary holding a computed array. */
  /**
   * Refuses `e` where an array of numbers is needed, naming it and its type as
   * written (`model.territoryLog[territory]` indexes a record by a string key).
   */
  private notAnArray(e: ts.Expression): never {
    const t = this.checker.getTypeAtLocation(e);
    const parent = ts.getParseTreeNode(e)?.parent;
    const indexed = parent && ts.isElementAccessExpression(parent) && parent.expression === ts.getParseTreeNode(e) ? `, and '${userText(parent)}' reads it by index` : "";
    const record = !this.checker.isArrayType(t) && !this.checker.isTupleType(t) && !!(t.flags & ts.TypeFlags.Object) && !arrayKind(this.checker, t);
    const what = `'${userText(e)}' has type '${this.checker.typeToString(t)}'${indexed}, where tsgrad needs an array of numbers`;
    if (record) return fail(Code.UnsupportedType, e, `${what}; keep these numbers in an array (number[] or Float64Array) indexed by a number, or read the record's fields by name.`);
    return fail(Code.UnsupportedType, e, `${what}; use a number[] or Float64Array here.`);
  }

  private arrayOperand(e: ts.Expression): Expr {
    e = skipParens(e);
    if (ts.isCallExpression(e) && passiveOf(e)) {
      // Passive data walked by for...of (`for (const hit of log.filter(...))`): computed once, before the loop.
      const name = this.names.fresh("kept");
      const type = this.passiveType(e, this.checker.getTypeAtLocation(e));
      this.pending.push({ kind: "let", name, type, init: this.expr(e), mutable: false, source: noteOf(e) });
      return { kind: "var", name };
    }
    if (ts.isCallExpression(e) && this.runtimeName(e) === STOP_GRADIENT) {
      return stopped(this.arrayOperand(this.stopArgument(e)), runtimeCallName(e) ? undefined : (e.expression as ts.Identifier));
    }
    const field = this.field(e);
    if (field) {
      // (An array of records holding more than numbers, `model.users`, is read in place too.)
      if (!isArrayType(field.type) && !isTreesType(field.type)) this.notAnArray(e);
      return { kind: "var", name: field.name };
    }
    if (ts.isElementAccessExpression(e)) {
      // A row of an array of arrays: xs[i] in xs[i][j] or dot(w, xs[i]).
      const rows = parameterType(this.checker, e.expression, "this value");
      if (isArrayType(rows) && rows.rows) {
        return { kind: "index", array: this.arrayOperand(e.expression), index: this.numeric(e.argumentExpression) };
      }
    }
    if (ts.isIdentifier(e)) {
      const bound = this.bound(e);
      if (bound) return bound;
      const local = this.local(e);
      if (local && isArrayType(local.type)) return { kind: "var", name: local.name };
    }
    // A constant array from outside (`W[i]` of a module-level number[][], `CONFIG.weights`).
    const constant = this.constantPath(e);
    if (constant) {
      const t = this.checker.getTypeAtLocation(e);
      if (!arrayKind(this.checker, t) && !this.checker.isArrayType(t) && !this.checker.isTupleType(t)) fail(Code.UnsupportedType, e, `'${userText(e)}' has type '${this.checker.typeToString(t)}'; use an array of numbers (number[] or Float64Array) here.`);
      return constant;
    }
    this.afterRefusedLocal(e);
    const type = subsetType(this.checker, e, "this value");
    if (!isArrayType(type)) this.notAnArray(e);
    if (ts.isIdentifier(e)) return this.identifier(e);
    const inlined = isArrayType(type) ? this.inlineArrayCall(e, type) : undefined;
    if (inlined) return { kind: "var", name: inlined };
    const name = this.names.fresh("_a");
    const init = this.arrayValue(e, name, type);
    if (init) this.pending.push({ kind: "let", name, type, init, mutable: false });
    return { kind: "var", name };
  }

  /**
   * The value of an array-typed initializer: an allocation, a runtime
   * constructor, an array literal; or undefined for map/map2, which become a
   * declaration of `target` and a loop that fills it (in `pending`), so the
   * callback is differentiated like any other code.
   */
  private arrayValue(e: ts.Expression, target: string, type: Type): Expr | undefined {
    e = skipParens(e);
    const copy = this.copyOf(e, type);
    if (copy) return copy;
    if (ts.isNewExpression(e) && this.isGlobal(e.expression, "Float64Array")) {
      const arg = e.arguments?.[0];
      if (!arg || e.arguments!.length !== 1 || subsetType(this.checker, arg, "the size") !== "number") {
        fail(Code.Unsupported, e, "create arrays as new Float64Array(n) with a length n.");
      }
      return { kind: "alloc", size: this.expr(arg) };
    }
    if (ts.isArrayLiteralExpression(e)) {
      return { kind: "tuple", items: e.elements.map((x) => {
        if (ts.isSpreadElement(x)) fail(Code.Unsupported, x, "spread in an array literal is supported for arrays read by name, in code that always runs (not in a ?: branch, after && / || or in an arrow's expression body); declare the array first in a statement of its own (const all = [...xs, y]) and use its name here.");
        return this.numeric(x);
      }) };
    }
    if (ts.isCallExpression(e)) {
      const name = this.runtimeName(e);
      if (name === STOP_GRADIENT) {
        // A constant copy: the local may be written, and the array it came from keeps its derivative.
        return { kind: "call", callee: { kind: "runtime", name: "tensor" }, args: [this.arrayOperand(e)] };
      }
      if (name === "map" || name === "map2") {
        if (!isArrayType(type) || type.array !== "f64") fail(Code.UnsupportedType, e, `${name} returns a Float64Array; declare the result as a Float64Array (or leave its type to TypeScript).`);
        this.mapCall(e, name, target);
        return undefined;
      }
      if (name && RUNTIME_ARRAYS.has(name)) {
        // keyedValues(record) and keyedRows(record) take a record keyed by strings (desugar/keyed.ts), passed as it is.
        const args = e.arguments.map((a, i) => ((name === "tensor" || name === "sortedOf" || name === "reversedOf") && i === 0 ? this.arrayOperand(a) : name === "keyedValues" || name === "keyedRows" ? this.expr(a) : this.numeric(a)));
        return { kind: "call", callee: { kind: "runtime", name, node: runtimeCallName(e) ? undefined : (e.expression as ts.Identifier) }, args };
      }
    }
    if (ts.isIdentifier(e)) {
      // Another name for a local array (`const tmp = u` of a buffer swap): the reverse sweep gives the object one adjoint buffer.
      const local = this.bound(e) ? undefined : this.local(e);
      if (local && isArrayType(local.type) && !local.parameter && local.type.array === (type as ArrayType).array) return { kind: "var", name: local.name };
      const copy = this.aliasCopy(e, target, type);
      if (copy) return copy;
      if (local && isOpaqueType(local.type) && this.checker.isArrayType(this.checker.getTypeAtLocation(e))) {
        fail(
          Code.UnsupportedType,
          e,
          `'${e.text}' is computed only from data that is not differentiated, so tsgrad keeps it as a constant, which it cannot yet hand on as an array of its own (returned from a helper, or given another name). ` +
            `Declare it as an array of numbers tsgrad tracks (const ${e.text} = new Array<number>(n).fill(0)) and fill it in a loop.`,
        );
      }
      fail(Code.Unsupported, e, "only a local array can be given another name in differentiated code; copy a parameter or constant with tensor(a), or index the original.");
    }
    if (ts.isCallExpression(e)) {
      const decl = this.ctx.resolveFunction(e.expression);
      if (decl && decl !== this.fn && decl !== this.source && this.inside(decl)) {
        fail(Code.Unsupported, e, `'${userText(e.expression)}' returns an array, and tsgrad inlines inner functions that return a number; build the array in the function itself (const a = new Float64Array(n)), or declare the helper at module level.`);
      }
      if (decl) this.refuseRestOfArrays(e, decl);
    }
    // A method the user called (`xs.flatMap(...)`) is named as written, with the way to build the same array.
    if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression)) {
      const made = `'${userText(e.expression)}(...)' makes an array in a way tsgrad cannot differentiate yet`;
      if (e.expression.name.text === "flatMap" || e.expression.name.text === "flat") {
        return fail(Code.Unsupported, e, `${made}; build it with map into rows and a loop that pushes each row's elements (or new Array<number>(n) filled by index).`);
      }
      return fail(Code.Unsupported, e, `${made}; use new Float64Array(n), zeros/ones/full/arange/linspace/tensor, an array literal, or map/map2.`);
    }
    return fail(Code.Unsupported, e, "tsgrad cannot differentiate how this array is made; use new Float64Array(n), zeros/ones/full/arange/linspace/tensor, an array literal, or map/map2.");
  }

  /**
   * `addAll(a, b, c)` of `function addAll(...vs: number[][])`: the arguments are
   * passed as one array of arrays, which no helper returning an array is
   * inlined with. Named as written, with the signature that works.
   */
  private refuseRestOfArrays(e: ts.CallExpression, decl: FunctionLike): void {
    const rest = realParameters(decl).at(-1);
    if (!rest?.dotDotDotToken || !ts.isIdentifier(rest.name)) return;
    const element = this.checker.getIndexTypeOfType(this.checker.getTypeAtLocation(rest), ts.IndexKind.Number);
    if (!element || every(element, ts.TypeFlags.NumberLike)) return;
    const name = userText(e.expression);
    const shown = `...${rest.name.text}: ${this.checker.typeToString(this.checker.getTypeAtLocation(rest))}`;
    const written = ts.getParseTreeNode(e);
    const count = Math.max(2, written && ts.isCallExpression(written) ? written.arguments.length : e.arguments.length);
    const params = Array.from({ length: count }, (_, i) => `${String.fromCharCode(97 + (i % 26))}: ${this.checker.typeToString(element)}`).join(", ");
    fail(
      Code.Unsupported,
      e,
      `'${name}' takes its arguments through the rest parameter '${shown}', whose elements are arrays; tsgrad passes arrays of numbers to a rest parameter. ` +
        `Give '${name}' one parameter per argument (${params}), or compute its result where you call it.`,
    );
  }

  /**
   * `let x = x0` of a parameter or constant array, which the function only reads
   * through `x` (a rollout's state before the first `x = step(x)`): a copy, whose
   * adjoint flows back into x0. JavaScript would share the array, so a write
   * through `x` is refused where it is (storeTarget), since it would change x0.
   * Also `x = mapped` of the Float64Array desugaring filled for `x = x.map(...)`
   * into a number[] x: no other name reads it, so the copy is the same array.
   */
  private aliasCopy(e: ts.Identifier, target: string, type: Type): Expr | undefined {
    const sourceType = parameterType(this.checker, e, "the array named");
    if (!isArrayType(sourceType) || sourceType.rows || !isArrayType(type) || type.rows || sourceType.array !== type.array) return undefined;
    const local = this.bound(e) ? undefined : this.local(e);
    // A local is copied only when desugaring made it (`x = xs.map(...)`'s array, which nothing else names).
    if (local && !local.parameter && !isNewLocal(e) && !this.diesAssigned(e)) return undefined;
    const array = this.arrayOperand(e);
    if (!local || local.parameter) this.sharedArrays.set(target, e.text);
    return { kind: "call", callee: { kind: "runtime", name: "sliceOf" }, args: [array, { kind: "num", value: 0 }, { kind: "length", array }] };
  }

  /**
   * `alpha = next`, a statement of the block that declares `const next`, after
   * which no statement of that block reads `next` (a forward algorithm's
   * `const next = alpha.map(...); alpha = next`): `next` dies with the
   * assignment, so a copy is the array JavaScript would share. A name read by
   * a function declared in the block may be read later through it: not so.
   */
  private diesAssigned(e: ts.Identifier): boolean {
    const id = ts.getOriginalNode(e);
    const assign = id.parent;
    if (!ts.isIdentifier(id) || !assign || !ts.isBinaryExpression(assign) || assign.right !== id || assign.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return false;
    const statement = assign.parent;
    const block = statement?.parent;
    if (!statement || !ts.isExpressionStatement(statement) || !block || !ts.isBlock(block)) return false;
    const symbol = this.checker.getSymbolAtLocation(id);
    const decl = symbol?.valueDeclaration;
    const list = decl?.parent;
    if (!decl || !ts.isVariableDeclaration(decl) || !list || !ts.isVariableDeclarationList(list) || !(list.flags & ts.NodeFlags.Const) || list.parent.parent !== block) return false;
    const at = block.statements.indexOf(statement);
    const reads = (node: ts.Node, inFunction: boolean): boolean =>
      (ts.isIdentifier(node) && node !== decl.name && this.checker.getSymbolAtLocation(node) === symbol && (inFunction || node.pos >= statement.end)) ||
      (ts.forEachChild(node, (child) => reads(child, inFunction || ts.isFunctionLike(node)) || undefined) ?? false);
    return !block.statements.some((s, i) => i !== at && reads(s, false));
  }

  /**
   * A copy of an array: `xs.slice(start?, end?)`, `[...xs]`, `Array.from(xs)` (of
   * the same kind as xs), `Float64Array.from(xs)`, `new Float64Array(xs)`; the
   * copy's adjoint flows back into the elements it copied.
   */
  private copyOf(e: ts.Expression, type: Type): Expr | undefined {
    // A row of a flat matrix given to a helper (desugar/row-arguments.ts): a number[], as the helper takes.
    if (isRowCopy(e) && ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && e.arguments.length === 2) {
      return { kind: "call", callee: { kind: "runtime", name: "sliceToArray" }, args: [this.arrayOperand(e.expression.expression), this.numeric(e.arguments[0]!), this.numeric(e.arguments[1]!)] };
    }
    let source: ts.Expression | undefined;
    let start: ts.Expression | undefined;
    let end: ts.Expression | undefined;
    let f64 = false;
    if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === "slice" && e.arguments.length <= 2) {
      [source, start, end] = [e.expression.expression, e.arguments[0], e.arguments[1]];
    } else if (ts.isArrayLiteralExpression(e) && e.elements.length === 1 && ts.isSpreadElement(e.elements[0]!)) {
      source = e.elements[0].expression;
    } else if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === "from" && e.arguments.length === 1) {
      if (this.isGlobal(e.expression.expression, "Array")) source = e.arguments[0];
      else if (this.isGlobal(e.expression.expression, "Float64Array")) [source, f64] = [e.arguments[0], true];
    } else if (ts.isNewExpression(e) && this.isGlobal(e.expression, "Float64Array") && e.arguments?.length === 1 && !every(this.checker.getTypeAtLocation(e.arguments[0]!), ts.TypeFlags.NumberLike)) {
      [source, f64] = [e.arguments[0], true];
    }
    if (!source) {
      // `new Array<number>(n).fill(value)` (or Array(n).fill(value)): n copies of value, a number[].
      const inner = ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === "fill" ? skipParens(e.expression.expression) : undefined;
      const made: ts.NewExpression | ts.CallExpression | undefined = inner && (ts.isNewExpression(inner) || ts.isCallExpression(inner)) ? inner : undefined;
      const size = made?.arguments?.length === 1 ? made.arguments[0] : undefined;
      const value = ts.isCallExpression(e) && e.arguments.length === 1 ? e.arguments[0] : undefined;
      if (made && size && value && this.isGlobal(made.expression, "Array") && isArrayType(type) && type.array === "js") {
        const args = [this.numeric(size), this.numeric(value)];
        return { kind: "call", callee: { kind: "runtime", name: "filled" }, args };
      }
      return undefined;
    }
    const sourceType = parameterType(this.checker, source, "the array copied");
    if (!isArrayType(sourceType) || sourceType.rows || !isArrayType(type)) return undefined;
    const array = this.arrayOperand(source);
    if (f64 || sourceType.array !== type.array) {
      if (type.array !== "f64" || start || end) fail(Code.Unsupported, e, "copy an array into one of its own kind (xs.slice() or [...xs]), or into a Float64Array with Float64Array.from(xs).");
      return { kind: "call", callee: { kind: "runtime", name: "tensor" }, args: [array] };
    }
    const args: Expr[] = [array, start ? this.numeric(start) : { kind: "num", value: 0 }, end ? this.numeric(end) : { kind: "length", array }];
    return { kind: "call", callee: { kind: "runtime", name: "sliceOf" }, args };
  }

  /**
   * `map(x, (xi) => body)` as `out = new Float64Array(x.length); for (i...) out[i] = body(x[i])`,
   * with the callback's body inlined so that it is differentiated like other code.
   */
  private mapCall(e: ts.CallExpression, name: "map" | "map2", out: string): void {
    const arrays = e.arguments.slice(0, name === "map" ? 1 : 2);
    const callback = e.arguments[arrays.length];
    if (!callback || e.arguments.length !== arrays.length + 1) fail(Code.Unsupported, e, `${name} takes ${arrays.length} array(s) and a callback; write ${name}(${name === "map" ? "x" : "x, y"}, (...) => ...).`);
    const operands = arrays.map((a) => this.arrayOperand(a));
    // An inline arrow, or a helper declared in this function or in the program, inlined into the loop.
    const fn = this.ctx.resolveFunction(callback);
    if (!fn || !fn.body || realParameters(fn).length !== arrays.length) {
      fail(Code.Unsupported, callback, `pass ${name} an arrow with ${arrays.length} parameter(s), like (xi) => 10 * xi ** 3, or the name of such a function declared in your program.`);
    }
    if (this.inlining.includes(fn)) fail(Code.Unsupported, callback, `'${userText(callback)}' calls itself through ${name}; declare a recursive helper at module level and call it by name.`);
    const i = this.names.fresh("i");
    const index: Expr = { kind: "var", name: i };
    const body: Stmt[] = [];
    realParameters(fn).forEach((p, k) => {
      if (!ts.isIdentifier(p.name)) fail(Code.Unsupported, p, "destructured callback parameters are not supported yet; take the element as one parameter and destructure it in the body.");
      const pname = this.declare(p.name, "number", false);
      body.push({ kind: "let", name: pname, type: "number", init: { kind: "index", array: operands[k]!, index }, mutable: false });
    });
    this.depth++;
    this.loops++;
    this.inlining.push(fn);
    const inner = this.functionBody(fn);
    this.inlining.pop();
    this.depth--;
    this.loops--;
    const length: Expr = { kind: "length", array: operands[0]! };
    if (name === "map2") {
      this.pending.push({ kind: "effect", call: { kind: "call", callee: { kind: "runtime", name: "checkMap2" }, args: [operands[0]!, operands[1]!] } });
    }
    this.pending.push(
      { kind: "let", name: out, type: { array: "f64" }, init: { kind: "alloc", size: length }, mutable: false, source: noteOf(e) },
      {
        kind: "loop",
        init: { kind: "let", name: i, type: "number", init: { kind: "num", value: 0 }, mutable: true },
        test: { kind: "binary", op: "<", left: index, right: length },
        update: [{ kind: "assign", name: i, value: { kind: "binary", op: "+", left: index, right: { kind: "num", value: 1 } } }],
        body: [...body, ...replaceReturns(inner, (value) => ({ kind: "store", array: out, index, value }))],
        doWhile: false,
        source: `${name}(...) callback`,
      },
    );
  }

  /**
   * `g(a, b)` of a function declared inside the differentiated one, or an
   * arrow invoked where it is written: its body lowered in place, with its
   * parameters bound to the arguments, so it reads and writes the caller's
   * locals as the closure does. The value, or undefined when `statement`.
   */
  private inlineCall(e: ts.CallExpression, decl: FunctionLike, statement: boolean): Expr | undefined {
    const name = ts.isIdentifier(e.expression) ? e.expression.text : undefined;
    const what = name ? `'${name}'` : "this arrow";
    if (decl.asteriskToken || decl.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword)) {
      fail(Code.Async, e, `${what} is a generator or async function, which cannot be differentiated; make it a plain synchronous function.`);
    }
    if (e.arguments.length > realParameters(decl).length) {
      fail(Code.Unsupported, e, `${what} takes ${realParameters(decl).length} argument(s) but is called with ${e.arguments.length}; pass only the arguments it declares.`);
    }
    return this.inlineBody(decl, e.arguments, e, what, statement, name);
  }

  /** The body of an inner function or getter, lowered where it is called (see inlineCall). */
  private inlineBody(
    decl: FunctionLike | ts.GetAccessorDeclaration,
    args: readonly ts.Expression[],
    site: ts.Node,
    what: string,
    statement = false,
    resultName?: string,
  ): Expr | undefined {
    if (this.inlining.includes(decl)) {
      fail(Code.Unsupported, site, `${what} calls itself and reads a value of the function around it that may change (a let, or a parameter the function assigns), so tsgrad can neither inline it nor move it to module level; read a const copy of it (const s = scale) or pass it as a parameter, and the function is differentiated as a module-level helper.`);
    }
    // An inner function's body as desugaring rewrote it (x[i]!, destructuring, switch...).
    const body = this.desugaredBody(decl);
    const only = ts.isBlock(body) && body.statements.length === 1 ? body.statements[0]! : undefined;
    const expression = !ts.isBlock(body) ? body : only && ts.isReturnStatement(only) && only.expression ? only.expression : undefined;
    const signature = this.checker.getSignatureFromDeclaration(decl);
    const returns = signature && this.checker.getReturnTypeOfSignature(signature);
    const resultType: Type | undefined =
      returns && (every(returns, ts.TypeFlags.NumberLike) || (!ts.isGetAccessorDeclaration(decl) && codesOf(decl, this.checker))) ? "number" : returns && every(returns, ts.TypeFlags.BooleanLike) ? "boolean" : undefined;
    if (!statement && !resultType) {
      fail(Code.UnsupportedType, site, `${what} returns '${returns ? this.checker.typeToString(returns) : "unknown"}'; tsgrad inlines inner functions and getters that return a number (or a boolean), so return one, or compute the value in the function itself.`);
    }
    this.inlining.push(decl);
    const parameters = ts.isGetAccessorDeclaration(decl) ? [] : realParameters(decl);
    // Each call binds the parameters afresh: what an earlier call bound them to is dropped after it.
    const symbols = parameters.map((p) => this.checker.getSymbolAtLocation(p.name)).filter((x): x is ts.Symbol => !!x);
    const outer = symbols.map((x) => this.bindings.get(x));
    for (const x of symbols) this.bindings.delete(x);
    try {
      parameters.forEach((p, i) => this.bindParameter(p, args[i], site, what, !!expression && !statement));
      if (expression && !statement) return this.expr(expression);
      if (this.conditional > 0) {
        fail(Code.Unsupported, site, `${what} has statements, which tsgrad places before the expression that calls it, so they would run where this ?: or && / || skips them; call it in an if statement instead.`);
      }
      if (!ts.isBlock(body)) {
        // `(v) => console.log(v)` or `(v) => (acc += v)` called for its effect.
        const out: Stmt[] = [];
        this.expressionStatement(ts.factory.createExpressionStatement(body), out, body);
        this.pending.push(...out);
        return undefined;
      }
      const stmts = this.block(body.statements);
      let nested = false;
      walkStmts(stmts, (x) => {
        if (x.kind === "loop") walkStmts(x.body, (y) => (nested ||= y.kind === "return"));
      });
      if (nested) fail(Code.Unsupported, site, `${what} returns from inside a loop, which tsgrad cannot inline yet; break out of the loop and return after it.`);
      const result = this.names.fresh(resultName ?? "result");
      this.pending.push(
        { kind: "let", name: result, type: resultType ?? "number", mutable: true, source: `${what}` },
        ...replaceReturns(stmts, (value) => ({ kind: "assign", name: result, value })),
      );
      return statement ? undefined : { kind: "var", name: result };
    } finally {
      this.inlining.pop();
      symbols.forEach((x, i) => (outer[i] ? this.bindings.set(x, outer[i]!) : this.bindings.delete(x)));
    }
  }

  /**
   * Binds a parameter of an inlined function to its argument: to the argument
   * itself when that is a name or a constant (or when the body is one
   * expression on a path that may not run), else to a local of its name.
   */
  private bindParameter(p: ts.ParameterDeclaration, argNode: ts.Expression | undefined, site: ts.Node, what: string, expressionBody: boolean): void {
    if (!ts.isIdentifier(p.name)) fail(Code.Unsupported, p, `destructure the parameters of ${what} in its body instead of its parameter list.`);
    // A rest parameter is passed one array (desugar/rest.ts). An argument a pass
    // wrote as `void 0` (a call that omits it, inside an inlined callback) takes the default, as in JavaScript.
    const omitted = argNode && p.initializer && ts.isVoidExpression(skipParens(argNode));
    const source = (omitted ? undefined : argNode) ?? p.initializer;
    if (!source) fail(Code.Unsupported, site, `${what} is called without its parameter '${p.name.text}'; pass it.`);
    const symbol = this.checker.getSymbolAtLocation(p.name);
    if (!symbol) fail(Code.Internal, p, `no symbol for '${p.name.text}'; please report this with the function.`);
    const type = parameterType(this.checker, p, `parameter '${p.name.text}' of ${what}`);
    let arg: Expr;
    if (isArrayType(type)) arg = this.arrayOperand(source);
    else if (isStructType(type)) {
      const struct = this.structName(source);
      arg = struct ? { kind: "var", name: struct } : fail(Code.Unsupported, source, `pass ${what} a parameter of the differentiated function here, not a computed object.`);
    } else {
      // A field of a parameter holding records or tuples (`interpolate(patient.insulin, t)`) is bound to the local holding it, as a call passes it.
      const field = isRecordsType(type) || isTreesType(type) || isOpaqueType(type) ? this.field(source) : undefined;
      arg = field && field.type !== "number" ? { kind: "var", name: field.name } : this.expr(source);
    }
    // An argument that may be undefined (`huber(r, delta)` given `delta?: number`) takes the default when it is, as in JavaScript.
    if (source === argNode && p.initializer && type === "number" && mayBeUndefined(this.checker.getTypeAtLocation(argNode))) {
      if (!trivial(arg)) {
        if (this.conditional > 0) fail(Code.Unsupported, site, `${what} is called on a path that may not run (a ?: branch, or after && / ||) with an argument for '${p.name.text}' that may be undefined; put the argument in a const first.`);
        const given = this.names.fresh(p.name.text);
        this.pending.push({ kind: "let", name: given, type: "number", init: arg, mutable: false, source: `${p.name.text} = ${noteOf(argNode)}` });
        arg = { kind: "var", name: given };
      }
      arg = { kind: "cond", test: { kind: "binary", op: "===", left: arg, right: { kind: "literal", value: undefined } }, then: this.expr(p.initializer), else: arg };
    }
    // Data that may be undefined (`routeChain(reaches, upstream, tributaries)` of `tributaries: Tributary[] = []`, given an optional
    // parameter) takes the default when it is, as in JavaScript: `tributaries ?? []`, run as written (a default of literals only).
    if (source === argNode && p.initializer && (isOpaqueType(type) || isTreesType(type) || isRecordsType(type)) && mayBeUndefined(this.checker.getTypeAtLocation(argNode))) {
      if (!literalsOnly(p.initializer)) fail(Code.Unsupported, argNode, `'${userText(argNode)}' may be undefined, and the default of '${p.name.text}' in ${what} reads names tsgrad cannot evaluate where it is called; pass a value that is always there ('${userText(argNode)} ?? ${userText(p.initializer)}'), or write the default with literals only.`);
      const given = ts.factory.createIdentifier(p.name.text);
      const node = ts.factory.createBinaryExpression(given, ts.SyntaxKind.QuestionQuestionToken, p.initializer);
      arg = { kind: "call", callee: { kind: "passive", node, holes: new Map([[given, 0]]), numeric: true }, args: [arg] };
    }
    const reassigned = isReassigned(this.checker, p);
    if (!reassigned && (isArrayType(type) || isStructType(type) || isOpaqueType(type) || trivial(arg) || (expressionBody && this.conditional > 0))) {
      this.bindings.set(symbol, arg);
      return;
    }
    if (this.conditional > 0) {
      fail(Code.Unsupported, site, `${what} is called on a path that may not run (a ?: branch, or after && / ||), where tsgrad cannot give its parameter '${p.name.text}' a local; call it in an if statement, or put its argument in a const first.`);
    }
    const name = this.declare(p.name, type, reassigned);
    this.pending.push({ kind: "let", name, type, init: arg, mutable: reassigned, source: `${p.name.text} = ${noteOf(source)}` });
  }

  /** Whether `fn`, or a function of the program it calls, writes to the console. */
  private logs(fn: FunctionLike, seen: Set<ts.Node>): boolean {
    if (seen.has(fn)) return false;
    seen.add(fn);
    let found = false;
    const visit = (n: ts.Node): void => {
      if (found) return;
      if (ts.isCallExpression(n)) {
        const callee = skipParens(n.expression);
        if (ts.isPropertyAccessExpression(callee) && this.isGlobal(callee.expression, "console")) found = true;
        const decl = this.ctx.resolveFunction(callee);
        if (decl?.body && !ts.isArrowFunction(callee) && this.logs(decl, seen)) found = true;
      }
      ts.forEachChild(n, visit);
    };
    if (fn.body) visit(fn.body);
    return found;
  }

  /** Why a call tsgrad cannot see into is refused, and what to do instead. */
  private opaqueCall(e: ts.CallExpression): string {
    const callee = skipParens(e.expression);
    const text = userText(callee);
    if (ts.isIdentifier(callee) && this.isParameterSymbol(callee)) {
      return `'${text}' is a parameter, so tsgrad cannot know at compile time which function it is; call a function declared in your program (choose it with if on a parameter such as a name), or wrap the call with customGrad(f, rule).`;
    }
    if (ts.isPropertyAccessExpression(callee)) {
      const receiver = this.checker.getTypeAtLocation(callee.expression);
      const isArray = this.checker.isArrayType(receiver) || this.checker.isTupleType(receiver) || arrayKind(this.checker, receiver) !== undefined;
      const element = isArray ? this.checker.getIndexTypeOfType(receiver, ts.IndexKind.Number) : undefined;
      if (isArray) return arrayMethod(callee.name.text, `${userText(callee.expression)}.${callee.name.text}`, !!element && !!(element.flags & ts.TypeFlags.NumberLike));
      const method = this.checker.getResolvedSignature(e)?.declaration;
      // A method of a built-in object (`seen.has(id)` of a Set): writing it as a function is no way out.
      if (method && ts.isMethodSignature(method) && this.ctx.isLibDeclaration(method)) {
        return `'${text}(...)' is a method of the built-in '${this.checker.typeToString(receiver)}', which differentiated code cannot call yet; compute what it gives outside the differentiated function and pass that in (the selected indices, or a boolean per element).`;
      }
      if (method && (ts.isMethodDeclaration(method) || ts.isMethodSignature(method))) {
        return `method calls such as '${text}(...)' cannot be differentiated yet; write the method as a function that takes the object as a parameter and call it by name.`;
      }
    }
    return `tsgrad cannot see the body of '${text}', so it cannot differentiate through it. Call a function defined in your program, or wrap this one with customGrad(f, rule).`;
  }

  /** Every local a refused statement declares: their later uses are not reported again. */
  private refuseDeclaredIn(s: ts.Statement): void {
    if (ts.isVariableStatement(s)) for (const d of s.declarationList.declarations) this.refuseNames(d.name);
  }

  /** The names a refused declaration (or parameter) binds. */
  private refuseNames(n: ts.BindingName): void {
    if (ts.isIdentifier(n)) {
      // A local of an inlined helper is a name a pass made, without a symbol: its uses are its own.
      const binding = this.binding(n);
      if (binding && !this.locals.has(binding)) this.refused.add(binding);
      if (isNewLocal(n) && !this.locals.has(n)) this.refusedNewLocals.add(n);
    } else for (const el of n.elements) if (!ts.isOmittedExpression(el)) this.refuseNames(el.name);
  }

  /**
   * A call made for its effect: `console.log(...)` (kept in the forward
   * sweep), an inner function (inlined), a function of the program (called as
   * written, after checking that it changes nothing outside itself).
   */
  private callStatement(e: ts.CallExpression, out: Stmt[]): void {
    const callee = skipParens(e.expression);
    if (ts.isPropertyAccessExpression(callee) && this.isGlobal(callee.expression, "console")) {
      const args = e.arguments.map((a) => this.effectArgument(a));
      out.push({ kind: "effect", call: { kind: "call", callee: { kind: "global", name: `console.${callee.name.text}` }, args }, source: noteOf(e) });
      return;
    }
    if (passiveOf(e)) {
      // Passive code run for its effect (a push onto a column of booleans, desugar/data-columns.ts): the forward sweep runs it as written.
      out.push({ kind: "effect", call: this.call(e), source: noteOf(e) });
      return;
    }
    if (ts.isPropertyAccessExpression(callee) && (callee.name.text === "push" || callee.name.text === "fill") && this.localArrayMethod(e, callee, out)) return;
    const decl = this.runtimeName(e) || this.ctx.customFunction(callee) ? undefined : this.ctx.resolveFunction(callee);
    if (decl && decl !== this.fn && decl !== this.source && this.inside(decl)) {
      this.inlineCall(e, decl, true);
      return;
    }
    if (decl?.body && ts.isIdentifier(callee)) {
      // A function of this file called for its effect is inlined: lowering its body keeps its
      // console.log and refuses any write outside it, as for the caller's own statements.
      if (decl.getSourceFile() === this.source.getSourceFile()) {
        this.inlineCall(e, decl, true);
        return;
      }
      fail(Code.Unsupported, e, `the result of '${callee.text}(...)' is unused, and '${callee.text}' is declared in another file, where tsgrad cannot keep its effects; use its result, call it outside the differentiated function, or move it into this file.`);
    }
    const value = this.call(e);
    void value;
    fail(Code.Unsupported, e, `the result of '${userText(callee)}(...)' is unused; use it (const y = ...) or remove the call.`);
  }

  /**
   * `throw new RangeError(message)`: kept in the forward sweep, where it throws
   * as the function would; it has no adjoint (no backward sweep runs after it).
   */
  private throwStatement(s: ts.ThrowStatement, out: Stmt[]): void {
    const e = skipParens(s.expression);
    const callee = ts.isNewExpression(e) || ts.isCallExpression(e) ? skipParens(e.expression) : undefined;
    const lib = callee && ts.isIdentifier(callee) && this.checker.getSymbolAtLocation(callee)?.declarations?.every((d) => this.ctx.isLibDeclaration(d));
    if (!callee || !ts.isIdentifier(callee) || !lib || !/Error$/.test(callee.text)) {
      fail(Code.Unsupported, s, "throw is supported for the built-in errors; use one here (throw new Error(message), RangeError, TypeError...), which the gradient throws as the function does.");
    }
    const args = ((e as ts.NewExpression | ts.CallExpression).arguments ?? []).map((a) => this.effectArgument(a));
    out.push({ kind: "throw", error: callee.text, args, source: noteOf(s) });
  }

  /**
   * `xs.push(v, ...)` on a local number[] (each value stored at `xs[xs.length]`,
   * which reverse.ts undoes by shortening the array again), or `xs.fill(v, start?,
   * end?)` on a local array (a loop of stores). False when `xs` is no local array.
   */
  private localArrayMethod(e: ts.CallExpression, callee: ts.PropertyAccessExpression, out: Stmt[]): boolean {
    const target = skipParens(callee.expression);
    const local = ts.isIdentifier(target) ? this.local(target) : undefined;
    if (!local || !isArrayType(local.type) || local.type.rows) return false;
    if (local.parameter) fail(Code.ParamMutation, e, `'${userText(callee)}(...)' changes parameter '${userText(target)}'; copy it into a local first (const copy = ${userText(target)}.slice()).`);
    const shared = this.sharedArrays.get(local.name);
    if (shared !== undefined) fail(Code.ParamMutation, e, `'${userText(target)}' was declared as '${shared}', the same array when the code runs, so '${userText(callee)}(...)' would change '${shared}' too; declare a copy instead (let ${userText(target)} = [...${shared}]).`);
    const array: Expr = { kind: "var", name: local.name };
    if (callee.name.text === "push") {
      if (local.type.array !== "js") fail(Code.Unsupported, e, `a Float64Array has a fixed length; declare '${userText(target)}' as a number[] (const ${userText(target)}: number[] = []) to push onto it.`);
      for (const a of e.arguments) {
        if (ts.isSpreadElement(a)) fail(Code.Unsupported, a, "push the elements one at a time: write a loop of xs.push(x).");
        out.push({ kind: "store", array: local.name, index: { kind: "length", array }, value: this.numeric(a), source: noteOf(e) });
      }
      return true;
    }
    // fill(value, start = 0, end = length): the value is computed once, as JavaScript does.
    const [valueNode, startNode, endNode] = e.arguments;
    if (!valueNode || e.arguments.length > 3) fail(Code.Unsupported, e, "fill takes a value and an optional start and end.");
    let value = this.numeric(valueNode);
    if (!trivial(value)) {
      const name = this.names.fresh("fillValue");
      out.push({ kind: "let", name, type: "number", init: value, mutable: false, source: noteOf(valueNode) });
      value = { kind: "var", name };
    }
    const bound = (node: ts.Expression | undefined, otherwise: Expr): Expr => {
      if (!node) return otherwise;
      const x = this.numeric(node);
      // A negative start or end counts from the end, as in JavaScript.
      const length: Expr = { kind: "length", array };
      if (x.kind === "num" && x.value >= 0) return { kind: "call", callee: { kind: "math", name: "min" }, args: [x, length] };
      return { kind: "call", callee: { kind: "math", name: "max" }, args: [{ kind: "num", value: 0 }, { kind: "cond", test: { kind: "binary", op: "<", left: x, right: { kind: "num", value: 0 } }, then: { kind: "binary", op: "+", left: length, right: x }, else: { kind: "call", callee: { kind: "math", name: "min" }, args: [x, length] } }] };
    };
    const i = this.names.fresh("i");
    const index: Expr = { kind: "var", name: i };
    out.push({
      kind: "loop",
      init: { kind: "let", name: i, type: "number", init: bound(startNode, { kind: "num", value: 0 }), mutable: true },
      test: { kind: "binary", op: "<", left: index, right: bound(endNode, { kind: "length", array }) },
      update: [{ kind: "assign", name: i, value: { kind: "binary", op: "+", left: index, right: { kind: "num", value: 1 } } }],
      body: [{ kind: "store", array: local.name, index, value }],
      doWhile: false,
      source: noteOf(e),
    });
    return true;
  }

  /** An argument of console.log: any value the subset reads; a template string becomes a concatenation. */
  private effectArgument(a: ts.Expression): Expr {
    if (!ts.isTemplateExpression(a)) return this.numberText(a) ?? this.expr(a);
    let text: Expr = { kind: "literal", value: a.head.text };
    for (const span of a.templateSpans) {
      text = { kind: "binary", op: "+", left: text, right: this.numberText(span.expression) ?? this.expr(span.expression) };
      if (span.literal.text) text = { kind: "binary", op: "+", left: text, right: { kind: "literal", value: span.literal.text } };
    }
    return text;
  }

  /**
   * `y.toFixed(3)` (or toPrecision, toExponential, toString) in what a
   * console.log prints: the text of a number, which has no derivative, called
   * through Number.prototype so the receiver is an ordinary argument.
   */
  private numberText(e: ts.Expression): Expr | undefined {
    e = skipParens(e);
    if (!ts.isCallExpression(e) || !ts.isPropertyAccessExpression(e.expression) || !NUMBER_TEXT.has(e.expression.name.text)) return undefined;
    const receiver = e.expression.expression;
    if (!every(this.checker.getTypeAtLocation(receiver), ts.TypeFlags.NumberLike)) return undefined;
    const args = [this.expr(receiver), ...e.arguments.map((x) => this.expr(x))];
    return { kind: "call", callee: { kind: "global", name: `Number.prototype.${e.expression.name.text}.call` }, args };
  }

  /** A function's body as statements (an expression body becomes a return). */
  private functionBody(fn: FunctionLike): Stmt[] {
    if (!fn.body) fail(Code.OpaqueCall, fn, "this function has no body; pass a function with a body.");
    return ts.isBlock(fn.body) ? this.block(fn.body.statements) : this.expressionBody(fn.body);
  }

  /** `(x) => e` as `return e`, after the statements e needs (a map() loop). */
  private expressionBody(body: ts.Expression): Stmt[] {
    const outer = this.pending;
    this.pending = [];
    const value = this.inlining.length === 0 && this.resultType !== "number" ? this.resultValue(body, this.resultType) : this.numeric(body);
    const ret: Stmt = { kind: "return", value, source: `return ${noteOf(body)}`, origin: body };
    const out = [...this.pending, ret];
    for (const x of out) x.origin ??= body;
    this.pending = outer;
    return out;
  }

  /** The one argument of stopGradient(x). */
  private stopArgument(e: ts.CallExpression): ts.Expression {
    if (e.arguments.length !== 1 || ts.isSpreadElement(e.arguments[0]!)) fail(Code.Unsupported, e, "stopGradient takes one value; write stopGradient(x).");
    return e.arguments[0]!;
  }

  /** The runtime function a call resolves to, if it is one of tsgrad's. */
  private runtimeName(call: ts.CallExpression): string | undefined {
    return runtimeCallName(call) ?? tsgradFunction(call, this.checker);
  }

  /** Whether `id` is a parameter, or a name for part of one: the caller's value, never written. */
  private isParameterSymbol(id: ts.Identifier): boolean {
    return this.local(id)?.parameter === true;
  }

  private isRefusedNumber(id: ts.Identifier): boolean {
    const binding = this.binding(id);
    return !!binding && this.refused.has(binding) && every(this.checker.getTypeAtLocation(id), ts.TypeFlags.NumberLike);
  }

  private local(id: ts.Identifier): Local | undefined {
    const binding = this.binding(id);
    // A use of a local whose declaration was refused was reported with it.
    if (binding && this.refused.has(binding)) throw new Refused();
    return binding ? this.locals.get(binding) : undefined;
  }

  /**
   * A read of a collection the function changes (`counts.get(k)` between
   * `counts.set`s), used inside a larger expression: kept in a const where it
   * stands, so the backward sweep reads the value it had then (an if test or a
   * declaration is such a place already; a loop test is recorded backward).
   */
  private keptRead(e: ts.CallExpression, node: ts.Expression, call: Expr): Expr {
    const up = node.parent;
    if (this.inLoopTest || (up && ((ts.isIfStatement(up) && up.expression === node) || (ts.isVariableDeclaration(up) && up.initializer === node)))) return call;
    const target = skipParens(ts.isNonNullExpression(node) ? node.expression : node);
    const access = ts.isCallExpression(target) ? target.expression : target;
    const collection = ts.isPropertyAccessExpression(access) && ts.isIdentifier(access.expression) ? access.expression.text : undefined;
    if (this.conditional > 0) {
      fail(Code.Unsupported, node, `'${userText(node)}' reads ${collection ? `'${collection}'` : "a collection"}, which this function changes, on a path that may not run (a ?: branch, or after && / ||), where tsgrad cannot keep the value it had then for the backward sweep; read it into a const before the expression.`);
    }
    const t = this.checker.getTypeAtLocation(e);
    const type: Type = every(t, ts.TypeFlags.NumberLike) ? "number" : every(t, ts.TypeFlags.BooleanLike) ? "boolean" : this.passiveType(e, t);
    const name = collection && ts.isPropertyAccessExpression(access) ? `${collection}_${access.name.text}` : "read";
    const local = this.names.fresh(name);
    this.pending.push({ kind: "let", name: local, type, init: call, mutable: false, source: noteOf(node) });
    return { kind: "var", name: local };
  }

  /** The type of a local holding passive data: printed as TypeScript names it, never differentiated. */
  private passiveType(at: ts.Node, t: ts.Type): Type {
    const node = this.checker.typeToTypeNode(t, ts.getParseTreeNode(at) ?? this.source, ts.NodeBuilderFlags.NoTruncation) ?? ts.factory.createKeywordTypeNode(ts.SyntaxKind.UnknownKeyword);
    return { opaque: node, description: `'${this.checker.typeToString(t)}'` };
  }

  /** A boolean-valued expression (if/while test, ?: test). */
  private condition(e: ts.Expression): Expr {
    const x = this.expr(e, true);
    return x;
  }

  private expr(e: ts.Expression, booleanContext = false): Expr {
    if (ts.isParenthesizedExpression(e)) return this.expr(e.expression, booleanContext);
    if (ts.isNumericLiteral(e)) return { kind: "num", value: Number(e.text) };
    if (e.kind === ts.SyntaxKind.TrueKeyword) return { kind: "bool", value: true };
    if (e.kind === ts.SyntaxKind.FalseKeyword) return { kind: "bool", value: false };
    // Strings and null are constants, compared with parameters that are not differentiated (`kind === "tanh"`).
    if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return { kind: "literal", value: e.text };
    if (e.kind === ts.SyntaxKind.NullKeyword) return { kind: "literal", value: null };
    // `void 0`: what desugaring passes for an omitted optional argument.
    if (ts.isVoidExpression(e) && ts.isNumericLiteral(e.expression)) return { kind: "literal", value: undefined };
    if (ts.isIdentifier(e)) return this.identifier(e);
    if (ts.isPrefixUnaryExpression(e)) return this.prefix(e, booleanContext);
    if (ts.isBinaryExpression(e)) return this.binary(e, booleanContext);
    if (ts.isConditionalExpression(e)) {
      const test = this.condition(e.condition);
      return this.branches(() => ({ kind: "cond", test, then: this.expr(e.whenTrue), else: this.expr(e.whenFalse) }));
    }
    if (ts.isCallExpression(e)) return this.call(e);
    const field = this.field(e);
    if (field) {
      // A record keyed by strings (`model.users`) is passed whole only to the runtime's key lookups (desugar/keyed.ts).
      if (field.type !== "number" && !isKeyedNumbers(field.type)) fail(Code.UnsupportedType, e, `'${userText(e)}' is an array; index it (${userText(e)}[i]) or pass it to a runtime function such as sum or dot.`);
      return { kind: "var", name: field.name };
    }
    const getter = this.getter(e);
    if (getter) return getter;
    if (ts.isPropertyAccessExpression(e) && e.name.text === "length" && !this.isGlobal(e.expression, "Math") && !this.isLengthField(e)) {
      // The length of a constant string (a name parameter) is a constant too.
      const constant = every(this.checker.getTypeAtLocation(e.expression), ts.TypeFlags.StringLike) ? this.constantPath(e) : undefined;
      return constant ?? { kind: "length", array: this.arrayOperand(e.expression) };
    }
    const constant = this.constantPath(e);
    if (constant) return this.withKnownValue(constant, e);
    if (ts.isPropertyAccessExpression(e)) return this.property(e);
    if (ts.isElementAccessExpression(e)) {
      const element = this.elementCall(e);
      if (element) return element;
      return { kind: "index", array: this.arrayOperand(e.expression), index: this.numeric(e.argumentExpression) };
    }
    if (ts.isNewExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === "Function") {
      fail(Code.Eval, e, "new Function builds code at run time, which tsgrad cannot see; write the function in source.");
    }
    if (ts.isAwaitExpression(e) || ts.isYieldExpression(e)) {
      fail(Code.Async, e, "await and yield cannot be differentiated; differentiate a synchronous function.");
    }
    if (ts.isTemplateExpression(e)) {
      fail(Code.UnsupportedType, e, "a template string has no derivative; use it only in console.log(`...`) statements, or build the string outside the differentiated function.");
    }
    if (ts.isArrayLiteralExpression(e)) this.refuseNestedRecords(e);
    // A string[], Set or Map kept for bookkeeping (`new Set<string>()`): name the collection, not just `new`.
    if (ts.isArrayLiteralExpression(e)) this.refusedCollection(e, "string[]");
    if (ts.isNewExpression(e) && ts.isIdentifier(e.expression) && this.isGlobal(e.expression, e.expression.text)) {
      this.refusedCollection(e, e.expression.text);
      fail(Code.Unsupported, e, `'${userText(e)}' makes a ${e.expression.text}, which differentiated code cannot use yet; compute what it decides outside the differentiated function and pass that in (the selected indices, or a boolean per element).`);
    }
    this.refuseWrittenAsDefault(e);
    if (ts.isObjectLiteralExpression(e) && e.properties.some(ts.isSpreadAssignment)) fail(Code.Unsupported, e, mergedWhole(e, this.checker));
    this.afterRefusedLocal(e);
    return fail(Code.Unsupported, e, `${construct(e)} cannot be differentiated; write it with arithmetic, Math functions, conditions and calls to your own functions.`);
  }

  /**
   * An object or array literal (or a `new`) written as the default of a name in a
   * destructuring pattern (`{ dt = 0.1, weights = { lateral: 4 } }: Options`): the
   * pattern becomes `weights === undefined ? { lateral: 4 } : options.weights`, a
   * record made on one path only, which tsgrad does not build. Named as written.
   */
  private refuseWrittenAsDefault(e: ts.Expression): void {
    const user = ts.getParseTreeNode(e);
    // The default as written may wrap the literal in a cast (`span = [0, 200] as [number, number]`).
    let written: ts.Node | undefined = user;
    while (written?.parent && isTransparent(written.parent) && written.parent.expression === written) written = written.parent;
    const element = written?.parent;
    if (!user || !written || !element || !ts.isBindingElement(element) || element.initializer !== written || !ts.isIdentifier(element.name)) return;
    if (!ts.isObjectLiteralExpression(user) && !ts.isArrayLiteralExpression(user) && !ts.isNewExpression(user)) return;
    const name = element.name.text;
    const field = ts.isObjectLiteralExpression(user) ? user.properties.find((p) => p.name && ts.isIdentifier(p.name))?.name : undefined;
    const example = field && ts.isIdentifier(field) ? ` (const ${field.text} = ${name}?.${field.text} ?? ...)` : "";
    fail(
      Code.Unsupported,
      e,
      `'${name} = ${userText(written as ts.Expression)}' gives '${name}' a default made in the destructuring, and tsgrad builds no object on the path where the field is missing. ` +
        `Destructure '${name}' without a default and read each of its fields with its own fallback${example}.`,
    );
  }

  /**
   * A Set, Map or string[] made for bookkeeping that desugar/passive.ts could
   * not keep passive: refused at the use that kept it from being passive.
   */
  private refusedCollection(made: ts.Expression, kind: string): void {
    const use = activeUseOf(made);
    if (!use) return;
    const name = ts.isVariableDeclaration(made.parent) ? userText(made.parent.name) : "it";
    if (use.why === "follows") {
      // Refused because it reads another collection refused too: reported there (kept, should that report not come).
      this.followers.push(new DiffError(Code.Unsupported, use.node, activeCollection(use.node, kind, name)));
      throw new Refused();
    }
    if (use.why === "nested") {
      fail(Code.Unsupported, use.node, `'${userText(use.node)}' changes the ${kind} '${name}' inside a callback or a larger expression; a ${kind} kept for bookkeeping in differentiated code changes only in statements of the function itself: write the change as its own statement there (a for...of loop instead of forEach).`);
    }
    if (use.why === "escapes") {
      const at = use.node.parent && ts.isExpression(use.node.parent) ? use.node.parent : use.node;
      fail(Code.Unsupported, at, `'${userText(at)}' uses the ${kind} '${name}' as a value; a ${kind} kept for bookkeeping in differentiated code is used in place only: call its methods (has, add, get, set, ...), read its size, or walk it with for...of.`);
    }
    fail(Code.Unsupported, use.node, activeCollection(use.node, kind, name));
  }

  /** Lowers expressions that run only on some paths (`?:` branches, `&&`/`||` right operands). */
  private branches<T>(lower: () => T): T {
    this.conditional++;
    try {
      return lower();
    } finally {
      this.conditional--;
    }
  }

  private identifier(id: ts.Identifier): Expr {
    const bound = this.bound(id);
    if (bound) return bound;
    // A number whose declaration was refused reads as a stand-in, so that blockers
    // further on (in an inner function it is passed to) are reported too; nothing is emitted.
    if (this.isRefusedNumber(id)) return { kind: "num", value: 0 };
    const local = this.local(id);
    if (local) return { kind: "var", name: local.name };
    const sym = this.symbols.at(id);
    const decl = sym && (sym.valueDeclaration ?? sym.declarations?.[0]);
    // `undefined` that desugaring wrote (what `xs.find(p)` gives when nothing matches).
    if (!sym && id.text === "undefined" && id.pos < 0) return { kind: "literal", value: undefined };
    if (!sym || id.text === "" || id.end <= id.pos) {
      this.afterEarlierRefusal(id);
      const what = id.text ? `'${id.text}'` : "this expression";
      fail(Code.UnsupportedType, id, `tsgrad cannot tell what ${what} is (the program has an error here); fix the errors TypeScript reports first.`);
    }
    if (decl && this.ctx.isLibDeclaration(decl)) {
      if (id.text === "Infinity" || id.text === "NaN") return { kind: "num", value: id.text === "NaN" ? NaN : Infinity };
      if (id.text === "undefined") return { kind: "literal", value: undefined };
    }
    if (sym && this.refused.has(sym)) throw new Refused();
    if (decl && decl !== this.fn && decl !== this.source && this.inside(decl)) {
      const what = isFunctionValue(decl) ? `the inner function '${id.text}'` : `'${id.text}'`;
      fail(Code.Unsupported, id, `${what} can only be called inside the differentiated function, not passed on as a value; call it here, or declare it at module level.`);
    }
    this.checkCapture(id, sym);
    return this.withKnownValue({ kind: "free", name: id.text, node: id }, id);
  }

  /**
   * A constant whose type is a number literal (`CONFIG.power` of an `as const`
   * config) keeps its name in the emitted code, and carries its value, so that
   * simplify can decide a comparison with it (`power === 0` from the rule of
   * `y ** power`), which TypeScript would reject as never true.
   */
  private withKnownValue(e: Expr, node: ts.Expression): Expr {
    if (e.kind !== "free" && e.kind !== "field") return e;
    const t = this.checker.getTypeAtLocation(node);
    return t.isNumberLiteral() ? { ...e, known: t.value } : e;
  }

  /** A name from an enclosing scope may be read only if nothing ever reassigns it. */
  private checkCapture(id: ts.Identifier, sym: ts.Symbol | undefined): void {
    let resolved = sym;
    if (resolved && resolved.flags & ts.SymbolFlags.Alias) resolved = this.checker.getAliasedSymbol(resolved);
    const decl = resolved?.valueDeclaration;
    if (!decl) return;
    if (ts.isVariableDeclaration(decl)) {
      const list = decl.parent;
      const isConst = ts.isVariableDeclarationList(list) && !!(list.flags & ts.NodeFlags.Const);
      if (!isConst && isReassigned(this.checker, decl)) {
        fail(Code.MutableCapture, id, `'${id.text}' is a mutable variable from an enclosing scope, so the derivative could read a stale value; pass it as a parameter or make it const.`);
      }
    }
  }

  private prefix(e: ts.PrefixUnaryExpression, booleanContext: boolean): Expr {
    switch (e.operator) {
      case ts.SyntaxKind.MinusToken:
        return { kind: "neg", arg: this.numeric(e.operand) };
      case ts.SyntaxKind.PlusToken:
        return this.numeric(e.operand);
      case ts.SyntaxKind.ExclamationToken:
        return { kind: "not", arg: this.expr(e.operand, true) };
      case ts.SyntaxKind.TildeToken:
        return { kind: "call", callee: { kind: "math", name: "~" }, args: [this.numeric(e.operand)] };
      default:
        void booleanContext;
        return fail(Code.Unsupported, e, "increment and decrement are supported only as statements; write x++ on its own line and use x here.");
    }
  }

  /** An operand of arithmetic: must be a number, not a string or boolean. */
  private numeric(e: ts.Expression): Expr {
    const inner = skipParens(e);
    if (!this.isNumberOnceLowered(inner)) {
      subsetType(this.checker, inner, "this operand") === "number" ||
        fail(Code.UnsupportedType, e, "arithmetic on booleans cannot be differentiated; use a number.");
    }
    return this.expr(e);
  }

  /**
   * Whether `e` is a number if lowering it succeeds, known without asking the
   * checker for the type at `e`, which costs as much as `e` is deep (and asking
   * for the type of `t1 + ... + tn` checks all of it again, at every level of a
   * long chain): arithmetic, whose operands are checked as it is lowered;
   * names declared as numbers; Math's functions and constants; an element of
   * an array whose elements were numbers once (indexing gives one type
   * wherever it is done, narrowing aside, which only narrows it).
   */
  private isNumberOnceLowered(e: ts.Expression): boolean {
    if (ts.isBinaryExpression(e)) return isArithmetic(e.operatorToken.kind);
    if (ts.isPrefixUnaryExpression(e)) return e.operator === ts.SyntaxKind.MinusToken || e.operator === ts.SyntaxKind.PlusToken;
    if (ts.isIdentifier(e)) return this.isDeclaredNumber(e);
    if (ts.isCallExpression(e)) return ts.isPropertyAccessExpression(e.expression) && this.isGlobal(e.expression.expression, "Math");
    if (ts.isPropertyAccessExpression(e)) return this.isGlobal(e.expression, "Math") && MATH_CONSTANTS[e.name.text] !== undefined;
    if (ts.isElementAccessExpression(e)) {
      const array = skipParens(e.expression);
      const local = ts.isIdentifier(array) ? this.local(array) : undefined;
      if (!local || !isArrayType(local.type) || local.type.rows) return false;
      if (this.numberElements.has(local.name)) return true;
      const known = every(this.checker.getTypeAtLocation(e), ts.TypeFlags.NumberLike);
      if (known) this.numberElements.add(local.name);
      return known;
    }
    return ts.isNumericLiteral(e);
  }

  /** Whether `id` names a number local, or a value declared as a number (which no narrowing makes anything else). */
  private isDeclaredNumber(id: ts.Identifier): boolean {
    const local = this.local(id);
    if (local) return local.type === "number";
    const symbol = this.symbols.at(id);
    return !!symbol && every(this.checker.getTypeOfSymbol(symbol), ts.TypeFlags.NumberLike);
  }

  private binary(e: ts.BinaryExpression, booleanContext: boolean): Expr {
    const kind = e.operatorToken.kind;
    if (isArithmetic(kind)) return this.arithmetic(e);
    const comparison = COMPARISON[kind];
    if (comparison) {
      return { kind: "binary", op: comparison, left: this.expr(e.left), right: this.expr(e.right) };
    }
    if (kind === ts.SyntaxKind.AmpersandAmpersandToken || kind === ts.SyntaxKind.BarBarToken) {
      if (!booleanContext && subsetType(this.checker, e, "this expression") !== "boolean") {
        fail(Code.UnsupportedType, e, "&& and || are supported on conditions only; use ?: to choose between numbers.");
      }
      const op = kind === ts.SyntaxKind.AmpersandAmpersandToken ? "&&" : "||";
      const left = this.expr(e.left, true);
      return { kind: "binary", op, left, right: this.branches(() => this.expr(e.right, true)) };
    }
    if (kind === ts.SyntaxKind.EqualsToken || COMPOUND[kind]) {
      fail(Code.Unsupported, e, `'${userText(e)}' assigns inside a larger expression, which tsgrad does not differentiate; write the assignment as a statement of its own and read the name it assigned.`);
    }
    this.afterRefusedLocal(e);
    return fail(Code.Unsupported, e.operatorToken, `the operator '${userText(e.operatorToken)}' cannot be differentiated; write the computation with + - * / ** % and Math functions.`);
  }

  /**
   * `a + b * c - d ...`. A long chain `t1 + t2 + ... + tn` nests to the left,
   * as deep as it is long: it is walked down in a loop and built back up, in
   * source order, not by recursion.
   */
  private arithmetic(e: ts.BinaryExpression): Expr {
    const chain: ts.BinaryExpression[] = [];
    let left: ts.Expression = e;
    while (ts.isBinaryExpression(left) && isArithmetic(left.operatorToken.kind)) {
      chain.push(left);
      left = left.left;
      while (ts.isParenthesizedExpression(left)) left = left.expression;
    }
    let value = this.numeric(left);
    for (let i = chain.length - 1; i >= 0; i--) {
      const x = chain[i]!;
      const right = this.numeric(x.right);
      const op = ARITHMETIC[x.operatorToken.kind];
      // `a % b` (differentiable almost everywhere) and the integer operators, by their rules.
      value = op ? { kind: "binary", op, left: value, right } : { kind: "call", callee: { kind: "math", name: INTEGER[x.operatorToken.kind]! }, args: [value, right] };
    }
    return value;
  }

  private property(e: ts.PropertyAccessExpression): Expr {
    if (this.isGlobal(e.expression, "Math")) {
      const value = MATH_CONSTANTS[e.name.text];
      if (value !== undefined) return { kind: "free", name: `Math.${e.name.text}` };
    }
    if (this.isGlobal(e.expression, "Number") && NUMBER_CONSTANTS.has(e.name.text)) return { kind: "free", name: `Number.${e.name.text}` };
    const what = userText(e);
    this.refuseHelperRecordRead(e, what);
    return fail(Code.Unsupported, e, `tsgrad cannot tell what '${what}' is here (it is neither a field of a parameter nor a constant from outside the function); read it into a const outside the differentiated function, or pass it as a parameter.`);
  }

  /**
   * `item.c` in a helper inlined here, whose parameter `item` was given a record
   * lowering cannot follow (an element `find` picked, a record of an array of
   * records with string fields read at a computed index). It is a field of a
   * parameter as the user sees it: say which helper, and pass the numbers.
   */
  private refuseHelperRecordRead(e: ts.PropertyAccessExpression, what: string): void {
    const root = rootIdentifier(e.expression);
    const decl = root && this.symbols.at(root)?.valueDeclaration;
    if (!root || !decl || !ts.isParameter(decl)) return;
    const helper = decl.parent;
    if (helper === this.fn || helper === this.source || !ts.isFunctionLike(helper)) return;
    const name = helper.name && ts.isIdentifier(helper.name) ? `'${helper.name.text}'` : "the helper";
    // A read a for...of over the parameter made (`outlet.node` as `outlets[i].node`) maps to the whole loop: name the loop variable's field.
    const loop = ts.getOriginalNode(e);
    const variable = ts.isForOfStatement(loop) && ts.isVariableDeclarationList(loop.initializer) ? loop.initializer.declarations[0]?.name : undefined;
    if (variable && ts.isIdentifier(variable)) what = `${variable.text}.${e.name.text}`;
    fail(
      Code.Unsupported,
      e,
      `'${what}' reads a field of '${root.text}', a parameter of ${name}, which tsgrad inlines here but cannot follow to the record it was given. ` +
        `Read the fields where you call ${name} and pass it the numbers (or arrays of numbers) instead of the record.`,
    );
  }

  /**
   * Whether `r.length` reads a field the program declared (`links[i].length` of a
   * `{ length: number; angle: number }[]`), a number like any other, rather than the
   * length of an array, tuple or string, which has no derivative.
   */
  private isLengthField(e: ts.PropertyAccessExpression): boolean {
    // `links[i]?.length` and reads under noUncheckedIndexedAccess: the record's own type, without undefined.
    const type = this.checker.getNonNullableType(this.checker.getTypeAtLocation(e.expression));
    if (this.checker.isArrayType(type) || this.checker.isTupleType(type)) return false;
    const declarations = type.getProperty("length")?.declarations ?? [];
    return declarations.length > 0 && declarations.every((d) => !this.ctx.isLibDeclaration(d));
  }

  /**
   * `[a, b]` of records with a field a local array of records cannot hold
   * (`label: string`, `samples: number[]`): named with that field.
   */
  private refuseNestedRecords(e: ts.ArrayLiteralExpression): void {
    // The type the user gave the array (`ps: Particle[]`), else the literal's own.
    const written = this.checker.getContextualType(e) ?? this.checker.getTypeAtLocation(e);
    const element = this.checker.getIndexTypeOfType(written, ts.IndexKind.Number) ?? this.checker.getIndexTypeOfType(this.checker.getTypeAtLocation(e), ts.IndexKind.Number);
    if (!element || !(element.flags & ts.TypeFlags.Object) || this.checker.isArrayLikeType(element)) return;
    const fields = element.getProperties().filter((p) => {
      const declared = p.valueDeclaration ?? p.declarations?.[0];
      return !!declared && !ts.isMethodDeclaration(declared);
    });
    // Records of numbers and strings only are left to the diagnostics of what reads them (a filter of constants).
    if (!fields.some((p) => !!(this.checker.getTypeOfSymbol(p).flags & ts.TypeFlags.Object))) return;
    const field = fields.find((p) => {
      const t = this.checker.getTypeOfSymbol(p);
      return !every(t, ts.TypeFlags.NumberLike) && !recordLeaves(this.checker, t);
    });
    if (!field) return;
    const text = userText(e).replace(/\s+/g, " ");
    const shown = text.length > 60 ? `${text.slice(0, 57)}...` : text;
    const kind = this.checker.typeToString(element);
    const fieldType = this.checker.typeToString(this.checker.getTypeOfSymbol(field));
    fail(
      Code.Unsupported,
      e,
      `'${shown}' is an array of '${kind}', whose field '${field.name}' is a '${fieldType}'; tsgrad keeps local arrays of records whose fields are numbers, or records and tuples of numbers. ` +
        `Pass the array in as a parameter (differentiated in place, its strings and flags kept as they are), or keep '${field.name}' in an array of its own beside the records.`,
    );
  }

  /** A value that reads a local whose declaration was refused (`[...weights]`, `seen.get(k) ?? 0`): reported there already. */
  private afterRefusedLocal(e: ts.Node): void {
    forEachNode(e, (n) => {
      if (!ts.isIdentifier(n)) return true;
      const symbol = isNewLocal(n) ? undefined : this.symbols.at(n);
      if (isNewLocal(n) ? this.refusedNewLocals.has(n) : !!symbol && this.refused.has(symbol)) throw new Refused();
      return true;
    });
  }

  /**
   * A name tsgrad made (`next_mean_0`, `joined`) that lowering cannot place is
   * the consequence of a construct already refused in this function: it is not
   * reported again, with a message about a name the user never wrote.
   */
  private afterEarlierRefusal(id: ts.Identifier): void {
    const user = ts.getParseTreeNode(id);
    const written = !!user && ts.isIdentifier(user) && user.text === id.text;
    if (!written && this.errors.length > 0) throw new Refused();
  }

  /** Whether `e` names the global `name` from the default library (not a user shadow). */
  private isGlobal(e: ts.Expression, name: string): boolean {
    if (!ts.isIdentifier(e) || e.text !== name) return false;
    const sym = this.symbols.at(e);
    const decl = sym?.declarations?.[0];
    return !!decl && this.ctx.isLibDeclaration(decl);
  }

  private call(e: ts.CallExpression): Expr {
    const passive = passiveOf(e);
    // Code over passive data runs as written (desugar/passive.ts); each name it reads is lowered as a value.
    if (passive) {
      const call: Expr = { kind: "call", callee: { kind: "passive", node: passive.node, holes: passive.holes, ...(passive.numeric ? { numeric: true } : {}), ...(passive.mutates !== undefined ? { mutates: passive.mutates } : {}), ...(passive.arrays ? { arrays: passive.arrays } : {}) }, args: e.arguments.map((a) => this.expr(a)) };
      return passive.changing ? this.keptRead(e, passive.node, call) : call;
    }
    const callee = e.expression;
    // Number.isNaN(x) and the like: tests, with no derivative.
    const predicate = ts.isPropertyAccessExpression(callee) && this.isGlobal(callee.expression, "Number") ? `Number.${callee.name.text}` : ts.isIdentifier(callee) && this.isGlobal(callee, callee.text) ? callee.text : undefined;
    if (predicate && NUMBER_PREDICATES.has(predicate)) {
      if (e.arguments.length !== 1) fail(Code.Unsupported, e, `${predicate} takes one argument; pass the number to test.`);
      return { kind: "call", callee: { kind: "global", name: predicate }, args: [this.expr(e.arguments[0]!)] };
    }
    if (ts.isPropertyAccessExpression(callee)) {
      if (this.isGlobal(callee.expression, "Math")) return this.mathCall(e, callee.name.text);
      if (this.isGlobal(callee.expression, "Date")) {
        fail(Code.Impure, e, "Date functions give a different value on every call, so they have no derivative; pass the time in as a parameter.");
      }
      if (this.isGlobal(callee.expression, "performance")) {
        fail(Code.Impure, e, "performance.now() gives a different value on every call; pass the time in as a parameter.");
      }
    }
    const runtime = this.runtimeName(e);
    if (runtime === STOP_GRADIENT) {
      const arg = this.stopArgument(e);
      if (!every(this.checker.getTypeAtLocation(arg), ts.TypeFlags.NumberLike)) {
        fail(Code.Unsupported, e, `stopGradient of '${userText(arg)}' is kept whole here; read what you need through it, stopGradient(${userText(arg)}).field or stopGradient(${userText(arg)})[i], and each value read is a constant.`);
      }
      return stopped(this.numeric(arg), runtimeCallName(e) ? undefined : (callee as ts.Identifier));
    }
    if (runtime && RUNTIME_REDUCTIONS.has(runtime)) {
      const arity = RUNTIME_REDUCTIONS.get(runtime)!;
      if (e.arguments.length !== arity) fail(Code.Unsupported, e, `${runtime} takes ${arity} argument(s); pass exactly ${arity}.`);
      const args = e.arguments.map((a) => this.arrayOperand(a));
      // A call desugaring wrote has no user identifier: it is emitted through tsgrad's import.
      const node = runtimeCallName(e) ? undefined : (callee as ts.Identifier);
      return { kind: "call", callee: { kind: "runtime", name: runtime, node }, args };
    }
    // A key's position in a record keyed by strings, and the key at a position (desugar/keyed.ts): data, no derivative.
    if (runtime && runtimeCallName(e) && KEY_LOOKUPS.has(runtime)) return { kind: "call", callee: { kind: "runtime", name: runtime }, args: e.arguments.map((a) => this.expr(a)) };
    if (runtime) fail(Code.Unsupported, e, runtimeMisuse(runtime));
    if (ts.isIdentifier(callee) && callee.text === "eval" && this.isGlobal(callee, "eval")) {
      fail(Code.Eval, e, "eval runs code tsgrad cannot see; write the computation in source.");
    }
    const custom = this.ctx.customFunction(callee);
    if (custom) {
      const params = custom.ir().params;
      if (e.arguments.length !== params.length) {
        fail(Code.Unsupported, e, `'${userText(callee)}' takes ${params.length} argument(s) but is called with ${e.arguments.length}; pass exactly ${params.length}.`);
      }
      const args = e.arguments.map((a, i) => (isArrayType(params[i]!.type) ? this.arrayOperand(a) : this.expr(a)));
      return { kind: "call", callee: { kind: "fn", fn: custom, node: ts.isIdentifier(callee) ? callee : undefined }, args };
    }
    const decl = this.ctx.resolveFunction(callee);
    // A function declared inside this one (or an arrow invoked where it is written) is inlined,
    // unless it calls itself and reads nothing of ours: then it is called as a module-level helper (lift.ts).
    if (decl && decl !== this.fn && decl !== this.source && this.inside(decl) && !liftable(decl, this.checker)) {
      const value = this.inlineCall(e, decl, false);
      return value ?? fail(Code.NotScalar, e, `'${userText(e)}' returns nothing, so its value cannot be used; call it as a statement, or return a number from it.`);
    }
    if (!decl || !decl.body) {
      // A method of a local whose declaration was refused (`seen.add(x)` of a refused Set) is not reported again.
      const receiver = ts.isPropertyAccessExpression(callee) ? skipParens(callee.expression) : undefined;
      const sym = receiver && ts.isIdentifier(receiver) ? this.checker.getSymbolAtLocation(receiver) : undefined;
      if (sym && this.refused.has(sym)) throw new Refused();
      return fail(Code.OpaqueCall, e, this.opaqueCall(e));
    }
    // A helper of this file that does not recurse is differentiated as the caller's own code (inline.ts).
    if (this.inlinedHere(e, decl)) {
      return this.inlineCall(e, decl, false) ?? fail(Code.NotScalar, e, `'${userText(e)}' returns nothing; call it as a statement.`);
    }
    // A function that logs is inlined, so its effects run once, in the forward sweep, as in f.
    if (decl !== this.fn && !this.inlining.includes(decl) && ts.isIdentifier(callee) && this.logs(decl, new Set())) {
      if (decl.getSourceFile() !== this.source.getSourceFile()) {
        fail(Code.Unsupported, e, `'${callee.text}' has effects (console.log) and is declared in another file, where tsgrad cannot keep them once per call; remove its logging, or move it into this file.`);
      }
      return this.inlineCall(e, decl, false) ?? fail(Code.NotScalar, e, `'${callee.text}' returns nothing; call it as a statement.`);
    }
    if (!ts.isIdentifier(callee)) {
      fail(Code.Unsupported, callee, `method calls such as '${userText(callee)}(...)' cannot be differentiated yet; write the method as a function that takes the object as a parameter and call it by name.`);
    }
    if (decl.asteriskToken || decl.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword)) {
      fail(Code.Async, e, `'${callee.text}' is a generator or async function, which cannot be differentiated; call a plain synchronous function.`);
    }
    const declParams = realParameters(decl);
    if (e.arguments.length !== declParams.length) {
      fail(Code.Unsupported, e, `'${callee.text}' takes ${declParams.length} argument(s) but is called with ${e.arguments.length}; pass every argument explicitly.`);
    }
    const args = e.arguments.map((a, i) => {
      const literal = skipParens(a);
      if ((ts.isArrayLiteralExpression(literal) || ts.isObjectLiteralExpression(literal)) && isStructType(parameterType(this.checker, declParams[i]!, "this parameter"))) {
        // desugar/literal-arguments.ts declares a tuple or record literal before its statement, unless the call may not run there.
        fail(Code.Unsupported, literal, `'${userText(literal)}' is given to '${callee.text}' where tsgrad cannot declare it first (a ?: branch, after && / ||, or a callback), and '${callee.text}' is not inlined (it is declared in another file, or calls itself); declare it in a const before the statement (const ${declParams[i]!.name.getText()} = ${userText(literal)}), or call '${callee.text}' in an if statement.`);
      }
      // An array literal argument (what desugar/rest.ts passes a rest parameter) is built first, in a local.
      if (ts.isArrayLiteralExpression(skipParens(a))) return this.arrayOperand(a);
      // A copy passed on (`mean(PRICES.slice(t - 3, t))`) is made first, in a local.
      if (isCopyCall(skipParens(a)) && (this.checker.isArrayType(this.checker.getTypeAtLocation(a)) || arrayKind(this.checker, this.checker.getTypeAtLocation(a)))) return this.arrayOperand(a);
      // An array field of a parameter (`energy(p.W1)`) is passed as the local holding it.
      const field = this.field(a);
      return field && field.type !== "number" ? ({ kind: "var", name: field.name } as Expr) : this.expr(a);
    });
    // `phaseAt(t, env) === "attack"`: a helper's string is made when the code runs, and tsgrad keeps no strings (desugar/switch.ts says so of a switch).
    const result = this.checker.getTypeAtLocation(isCodedCall(e) ? ts.getOriginalNode(e) : e);
    if (strings(result) || isCodedCall(e)) {
      fail(
        Code.UnsupportedType,
        e,
        `'${userText(e)}' returns a string ('${this.checker.typeToString(result)}') computed when the code runs, and tsgrad keeps numbers (and booleans in conditions), not strings made in the differentiated code. ` +
          `Return a number code from '${callee.text}' instead (a numeric enum) and compare that, or test the conditions '${callee.text}' tests where you call it.`,
      );
    }
    // A lifted inner function is passed the outer values it reads (lift.ts), as they are here.
    for (const id of captures(decl, this.checker)) args.push(isArrayType(parameterType(this.checker, id, `'${id.text}'`)) ? this.arrayOperand(id) : this.expr(id));
    return { kind: "call", callee: { kind: "fn", fn: this.ctx.functionRef(decl, callee), node: callee }, args };
  }

  /** `jvpOfF(x, dx)[1]`: a call of the function giving that element (plan.ts makes it), so it is differentiated like any call. */
  private elementCall(e: ts.ElementAccessExpression): Expr | undefined {
    const call = skipParens(e.expression);
    const key = skipParens(e.argumentExpression);
    if (!ts.isCallExpression(call) || !ts.isNumericLiteral(key) || !this.ctx.elementFunction) return undefined;
    const fn = this.ctx.elementFunction(call.expression, Number(key.text));
    if (!fn) return undefined;
    const params = fn.ir().params;
    if (call.arguments.length !== params.length) {
      fail(Code.Unsupported, call, `'${userText(call.expression)}' takes ${params.length} argument(s) but is called with ${call.arguments.length}; pass exactly ${params.length}.`);
    }
    const args = call.arguments.map((a, i) => (isArrayType(params[i]!.type) ? this.arrayOperand(a) : this.expr(a)));
    return { kind: "call", callee: { kind: "fn", fn }, args };
  }

  private mathCall(e: ts.CallExpression, name: string): Expr {
    if (isImpureMath(name)) {
      fail(Code.Impure, e, `Math.${name}() gives a different value on every call, so it has no derivative; draw the random numbers outside and pass them in.`);
    }
    const rule = mathRule(name);
    if (!rule) {
      fail(Code.UnknownMath, e, `Math.${name} has no derivative rule in tsgrad; see the README for the supported Math functions.`);
    }
    if (rule.arity !== "n" && e.arguments.length !== rule.arity) {
      fail(Code.Unsupported, e, `Math.${name} takes ${rule.arity} argument(s); pass exactly ${rule.arity}.`);
    }
    if (rule.arity === "n" && e.arguments.length === 0) {
      fail(Code.Unsupported, e, `Math.${name}() needs at least one argument; pass the numbers to compare.`);
    }
    // Math.imul in a seeded generator (mulberry32) runs on passive values only: its node locates the refusal otherwise.
    return { kind: "call", callee: { kind: "math", name, ...(isIntegerMath(name) ? { node: e } : {}) }, args: e.arguments.map((a) => this.numeric(a)) };
  }
}

/** `xs.slice(...)` or `Array.from(xs)`: a call that copies an array (copyOf says which). */
function isCopyCall(e: ts.Expression): boolean {
  if (!ts.isCallExpression(e) || !ts.isPropertyAccessExpression(e.expression)) return false;
  const method = e.expression.name.text;
  return (method === "slice" && e.arguments.length <= 2) || (method === "from" && e.arguments.length === 1);
}

/** An argument an inlined parameter can stand for without a local: a name or a constant. */
/** Whether a value of type `t` may be undefined (`number | undefined`, an optional parameter's type). */
function mayBeUndefined(t: ts.Type): boolean {
  if (t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Void | ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return true;
  return t.isUnion() && t.types.some(mayBeUndefined);
}

/** A default made of literals alone (`[]`, `{}`, `0`, `"linear"`), which means the same wherever it is evaluated. */
function literalsOnly(e: ts.Expression): boolean {
  e = skipParens(e);
  if (ts.isArrayLiteralExpression(e)) return e.elements.every((x) => !ts.isSpreadElement(x) && literalsOnly(x));
  if (ts.isObjectLiteralExpression(e)) return e.properties.every((p) => ts.isPropertyAssignment(p) && !ts.isComputedPropertyName(p.name) && literalsOnly(p.initializer));
  if (ts.isPrefixUnaryExpression(e)) return e.operator === ts.SyntaxKind.MinusToken && literalsOnly(e.operand);
  return ts.isNumericLiteral(e) || ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e) || e.kind === ts.SyntaxKind.TrueKeyword || e.kind === ts.SyntaxKind.FalseKeyword || e.kind === ts.SyntaxKind.NullKeyword;
}

function trivial(e: Expr): boolean {
  if (e.kind === "field") return trivial(e.object);
  return e.kind === "var" || e.kind === "num" || e.kind === "bool" || e.kind === "literal" || e.kind === "free";
}

/** Why a collection kept for bookkeeping (`kind` 'Set', 'Map', 'string[]') named `name` is refused at `use`, which gives it a value tsgrad may differentiate. */
function activeCollection(use: ts.Node, kind: string, name: string): string {
  return `'${userText(use)}' hands the ${kind} '${name}' a value tsgrad may differentiate (it reads a number parameter, or a value computed from one); a ${kind} in differentiated code may hold only ids, strings and counts that do not depend on the parameters. ${kind === "Map" ? keyedArrays(name) : "Keep numbers that carry a derivative in a number[]"}, or wrap them in stopGradient(...) if their derivative does not matter.`;
}

/** For a Map of differentiated numbers: the two arrays that hold the same entries and are differentiated. */
function keyedArrays(name: string): string {
  return `Keep its keys in a string[] and its numbers in a number[] beside it (${name}Keys.push(k); ${name}Values.push(v); read ${name}Values[${name}Keys.indexOf(k)]; walk them by index)`;
}

/** What to write instead of a runtime function used where it cannot be. */
function runtimeMisuse(name: string): string {
  if (name === "customGrad") {
    return "customGrad(f, rule) makes a new function each time it runs; declare it once at module level (const g = customGrad(f, rule)) and call g here.";
  }
  if (name === "grad" || name === "valueAndGrad" || name === "jvp" || name === "hessian" || name === "vjp" || name === "jacobian" || name === "jacfwd") {
    return `${name}() inside a differentiated function is not supported; declare const g = ${name}(f) at module level and call g here, or nest the transforms (grad(grad(f))).`;
  }
  if (name === "checkpoint") {
    return "checkpoint(f) inside a differentiated function is not supported; declare const step = checkpoint(f) at module level and call step here.";
  }
  if (RUNTIME_ARRAYS.has(name) || name === "map" || name === "map2") {
    return `${name}() makes an array; declare it at the top level of the function (const a = ${name}(...)) and use a here.`;
  }
  return `${name}() is part of the code tsgrad generates and cannot be called in a differentiated function; remove it.`;
}

/** What to write instead of an array method tsgrad cannot differentiate. */
function arrayMethod(method: string, text: string, numbers: boolean): string {
  switch (method) {
    case "push":
    case "pop":
    case "shift":
    case "unshift":
    case "splice":
      return `'${text}(...)' changes the length of an array in a way differentiated code does not support yet; grow a local number[] with push, or allocate the array with its final length (new Float64Array(n) or zeros(n)) and write a[i] = ... .`;
    case "forEach":
      return `'${text}(...)' runs a callback for each element; write a for...of loop (for (const x of xs) { ... }) instead.`;
    case "fill":
      return `'${text}(...)' writes every element; create the array with full(n, value) or zeros(n), or write the elements in a loop.`;
    case "map":
      return `'${text}(...)' makes a JavaScript array; use map(xs, (x) => ...) from tsgrad, or a loop that writes a Float64Array.`;
    case "reduce":
    case "reduceRight":
      return `'${text}(...)' is not supported yet; accumulate in a loop (let s = 0; for (const x of xs) s += ...).`;
    case "slice":
      // Numbers are copied (array-methods); a copy of records or rows is only read in place, where a const names it.
      if (numbers) return `the array method '${text}(...)' is not supported in differentiated code here; write the loop it stands for.`;
      return `'${text}(...)' copies records or rows into a new array used here as a whole value (passed on, returned or assigned to a let), and tsgrad reads such a copy in place of the array it copies; name it in a const and index or walk it here (const rest = ${text}(...); for (const p of rest) ...), or pass the whole array and the index to start from.`;
    default:
      return `the array method '${text}(...)' is not supported in differentiated code yet; write the loop it stands for.`;
  }
}

/** A function's parameters without a TypeScript `this` parameter (which is not an argument). */
export function realParameters(fn: FunctionLike): readonly ts.ParameterDeclaration[] {
  return fn.parameters.filter((p) => !(ts.isIdentifier(p.name) && p.name.text === "this"));
}

/** Per getter and receiver type, the class that may override it (one scan of the program each). */
const overrides = new WeakMap<ts.GetAccessorDeclaration, Map<ts.Type, string | undefined>>();

/** The `Number` constants, read as written (`Number.EPSILON`). */
const NUMBER_CONSTANTS = new Set(["EPSILON", "MAX_VALUE", "MIN_VALUE", "MAX_SAFE_INTEGER", "MIN_SAFE_INTEGER", "POSITIVE_INFINITY", "NEGATIVE_INFINITY", "NaN"]);

/** Methods that turn a number into text for printing. */
const NUMBER_TEXT = new Set(["toFixed", "toPrecision", "toExponential", "toString"]);

/** Tests on numbers, with no derivative (their value is a boolean). */
const NUMBER_PREDICATES = new Set(["Number.isNaN", "Number.isFinite", "Number.isInteger", "Number.isSafeInteger", "isNaN", "isFinite"]);

/** Thrown for a use of a local whose declaration was already refused: nothing more to report. */
class Refused extends Error {}

/** An array of arrays or of records: read in place by index and field. */
function isNestedData(t: Type): boolean {
  return (isArrayType(t) && t.rows !== undefined) || isRecordsType(t) || isTreesType(t);
}

/** Whether a bound value is a constant for the derivative (not a differentiated local). */
function isConstant(e: Expr): boolean {
  return e.kind === "free" || e.kind === "literal" || e.kind === "num" || e.kind === "field" || e.kind === "index";
}

/** Whether a declaration declares a function (`function g`, `const g = () => ...`). */
function isFunctionValue(decl: ts.Node): boolean {
  if (ts.isFunctionDeclaration(decl)) return true;
  if (!ts.isVariableDeclaration(decl) || !decl.initializer) return false;
  const init = skipParens(decl.initializer);
  return ts.isArrowFunction(init) || ts.isFunctionExpression(init);
}

function isInside(node: ts.Node, ancestor: ts.Node): boolean {
  for (let n: ts.Node | undefined = node; n; n = n.parent) if (n === ancestor) return true;
  return false;
}

function skipParens(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e)) e = e.expression;
  return e;
}

/** Statements with every (tail) return replaced, for inlining a callback into a loop body. */
function replaceReturns(stmts: readonly Stmt[], make: (value: Expr) => Stmt): Stmt[] {
  return singleExit(stmts).map((s): Stmt => {
    if (s.kind === "return") return { ...make(s.value), source: s.source };
    if (s.kind === "if") return { ...s, then: replaceReturns(s.then, make), else: replaceReturns(s.else, make) };
    return s;
  });
}

/** Whether any code in the declaring file assigns to the variable after its declaration (each variable's file is searched once). */
function isReassigned(checker: ts.TypeChecker, decl: ts.VariableDeclaration | ts.ParameterDeclaration): boolean {
  let known = reassigned.get(decl);
  if (known === undefined) {
    known = searchReassignment(checker, decl);
    reassigned.set(decl, known);
  }
  return known;
}

const reassigned = new WeakMap<ts.VariableDeclaration | ts.ParameterDeclaration, boolean>();

function searchReassignment(checker: ts.TypeChecker, decl: ts.VariableDeclaration | ts.ParameterDeclaration): boolean {
  const target = checker.getSymbolAtLocation(decl.name);
  if (!target) return true;
  // Only a root spelled as the declared name can mean it (a binding pattern has no symbol: answered above).
  const roots = ts.isIdentifier(decl.name) ? assignedRootsOf(decl.getSourceFile()).get(decl.name.text) ?? [] : [];
  return roots.some((root) => checker.getSymbolAtLocation(root) === target);
}

/** Identifiers `fn` reads but does not declare. */
function freeNamesOf(fn: FunctionLike): string[] {
  const out: string[] = [];
  const declared = new Set<string>();
  forEachNode(fn, (n) => {
    if (ts.isIdentifier(n)) {
      const parent = n.parent;
      const isDecl =
        (ts.isVariableDeclaration(parent) || ts.isParameter(parent) || ts.isBindingElement(parent)) && parent.name === n;
      if (isDecl) declared.add(n.text);
      else out.push(n.text);
    }
  });
  return out.filter((n) => !declared.has(n));
}

/** Whether values of `t` are strings only (a string, a union of names, a string enum). */
function strings(t: ts.Type): boolean {
  return t.isUnion() ? t.types.every(strings) : !!(t.flags & ts.TypeFlags.StringLike);
}
