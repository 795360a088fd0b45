// Pass 4, clean-up. Takes: a generated IR function. Guarantees: the same
// values computed with constants folded, statements whose results nobody reads
// removed, an adjoint's first contribution turned into its declaration, and
// `const` wherever a variable is never reassigned. Folding never changes a
// value, NaN and infinities included (so `0 * x` stays).

import { type Expr, type Fn, type Stmt, type Type, assignedIn, exprsOf, foldLeft, isArrayType, isElementAccumulation, isOpaqueType, isStructType, isTreesType, mapChildren, mapExpr, readsOf, rewriteStmts, sameExpr, walkExpr, walkStmts } from "./ir.js";

const isNum = (e: Expr): e is Extract<Expr, { kind: "num" }> => e.kind === "num";
/** Whether `e` is the literal `value` (so 0 is not -0). */
const isValue = (e: Expr, value: number): boolean => e.kind === "num" && Object.is(e.value, value);

/** `a * b` with ones dropped and the constant factor first. */
export function mulf(a: Expr, b: Expr): Expr {
  return fold({ kind: "binary", op: "*", left: a, right: b });
}

export function fold(e: Expr): Expr {
  switch (e.kind) {
    case "neg": {
      const arg = fold(e.arg);
      if (isNum(arg)) return { kind: "num", value: -arg.value };
      if (arg.kind === "neg") return arg.arg;
      return { kind: "neg", arg };
    }
    case "not": {
      const arg = fold(e.arg);
      if (arg.kind === "not") return arg.arg;
      if (arg.kind === "bool") return { kind: "bool", value: !arg.value };
      return { kind: "not", arg };
    }
    case "cond": {
      const test = fold(e.test);
      if (test.kind === "bool") return fold(test.value ? e.then : e.else);
      return { kind: "cond", test, then: fold(e.then), else: fold(e.else) };
    }
    case "call":
      return { ...e, args: e.args.map(fold) };
    case "tuple":
      return { kind: "tuple", items: e.items.map(fold) };
    case "index":
      return { ...e, array: fold(e.array), index: fold(e.index) };
    case "length":
      return { ...e, array: fold(e.array) };
    case "alloc":
      return { ...e, size: fold(e.size) };
    case "field":
      return { ...e, object: fold(e.object) };
    case "object":
      return { ...e, fields: e.fields.map(([k, x]) => [k, fold(x)] as const) };
    case "binary":
      // Down a chain's left operands in a loop: it may nest thousands deep.
      return foldLeft(e, fold, (node, left) => foldBinary(node.op, left, fold(node.right)));
    default:
      return e;
  }
}

const COMPARE: Partial<Record<Extract<Expr, { kind: "binary" }>["op"], (a: number, b: number) => boolean>> = {
  "<": (a, b) => a < b,
  "<=": (a, b) => a <= b,
  ">": (a, b) => a > b,
  ">=": (a, b) => a >= b,
  "===": (a, b) => a === b,
  "!==": (a, b) => a !== b,
};

/** The value of a number, or of a constant TypeScript types as a number literal. */
function knownValue(e: Expr): number | undefined {
  return e.kind === "num" ? e.value : e.kind === "free" || e.kind === "field" ? e.known : undefined;
}

function foldBinary(op: Extract<Expr, { kind: "binary" }>["op"], l: Expr, r: Expr): Expr {
  if (isNum(l) && isNum(r) && (op === "+" || op === "-" || op === "*" || op === "/" || op === "**")) {
    const value = op === "+" ? l.value + r.value : op === "-" ? l.value - r.value : op === "*" ? l.value * r.value : op === "/" ? l.value / r.value : l.value ** r.value;
    return { kind: "num", value };
  }
  // A comparison of two constants (`2 === 0` from the rule of `2 ** x`) is decided
  // here: printed, TypeScript would reject it as a comparison that never holds.
  const lv = knownValue(l);
  const rv = knownValue(r);
  if (lv !== undefined && rv !== undefined && COMPARE[op]) return { kind: "bool", value: COMPARE[op](lv, rv) };
  // `undefined !== undefined`, `3 !== undefined`: an omitted or passed optional argument, inlined.
  const constant = (e: Expr): e is Extract<Expr, { kind: "num" | "literal" | "bool" }> => e.kind === "num" || e.kind === "literal" || e.kind === "bool";
  if ((op === "===" || op === "!==") && constant(l) && constant(r) && (l.kind === "literal" || r.kind === "literal")) {
    return { kind: "bool", value: (l.value === r.value) === (op === "===") };
  }
  switch (op) {
    case "*":
      if (isValue(l, 1)) return r;
      if (isValue(r, 1)) return l;
      if (isValue(l, -1)) return fold({ kind: "neg", arg: r });
      if (isValue(r, -1)) return fold({ kind: "neg", arg: l });
      // Multiplication commutes exactly in floating point: put the constant first.
      if (isNum(r) && !isNum(l)) return { kind: "binary", op, left: r, right: l };
      // (-a) * b and a * (-b) read better as -(a * b); the value is the same.
      if (l.kind === "neg") return fold({ kind: "neg", arg: { kind: "binary", op, left: l.arg, right: r } });
      if (r.kind === "neg") return fold({ kind: "neg", arg: { kind: "binary", op, left: l, right: r.arg } });
      break;
    case "/":
      if (isValue(r, 1)) return l;
      break;
    case "+":
      // x + 0 is not x when x is -0: only -0 is a neutral element of addition.
      if (isValue(r, -0)) return l;
      if (isValue(l, -0)) return r;
      if (r.kind === "neg") return { kind: "binary", op: "-", left: l, right: r.arg };
      if (isNum(r) && r.value < 0) return { kind: "binary", op: "-", left: l, right: { kind: "num", value: -r.value } };
      // e + e is exactly 2 * e (doubling rounds nothing), and evaluates e once.
      if (sameExpr(l, r) && !isNum(l)) return foldBinary("*", { kind: "num", value: 2 }, l);
      break;
    case "-":
      if (isValue(r, 0)) return l;
      if (isValue(l, -0)) return fold({ kind: "neg", arg: r });
      if (r.kind === "neg") return { kind: "binary", op: "+", left: l, right: r.arg };
      break;
    case "**":
      if (isValue(r, 1)) return l;
      break;
  }
  return { kind: "binary", op, left: l, right: r };
}

export function simplify(fn: Fn): Fn {
  let body = foldStmts(fn.body);
  body = knownZeros(body, new Set()).stmts;
  body = mergeUpdates(body);
  body = eliminateDead(body);
  body = firstContributionDeclares(body);
  body = removeUnusedDeclarations(body);
  body = markConst(body);
  // Inlining one constant can fold another into a constant: repeat until stable.
  for (let next = inlineConstants(body); next; next = inlineConstants(body)) body = next;
  return { ...fn, body };
}

function foldStmts(stmts: readonly Stmt[]): Stmt[] {
  return stmts.map((s): Stmt => {
    switch (s.kind) {
      case "let":
        return s.init ? { ...s, init: fold(s.init) } : s;
      case "assign":
        return { ...s, value: fold(s.value) };
      case "return":
        return { ...s, value: fold(s.value) };
      case "store":
        return { ...s, index: fold(s.index), value: fold(s.value) };
      case "effect":
        return { ...s, call: fold(s.call) };
      case "if":
        return { ...mapChildren(s, foldStmts), test: fold(s.test) } as Stmt;
      case "loop":
        return { ...mapChildren(s, foldStmts), test: fold(s.test) } as Stmt;
      default:
        return s;
    }
  });
}

/**
 * The names each array variable may share its object with: joined by an
 * assignment or declaration whose value is another variable (`u = next`,
 * `const tmp = u`, `u_bar = next_bar`), transitively.
 */
function arrayAliases(body: readonly Stmt[]): Map<string, Set<string>> {
  const groups = new Map<string, Set<string>>();
  const join = (a: string, b: string): void => {
    const merged = new Set([a, b, ...(groups.get(a) ?? []), ...(groups.get(b) ?? [])]);
    for (const name of merged) groups.set(name, merged);
  };
  const stackOf = (e: Expr | undefined, fn: string): string | undefined =>
    e?.kind === "call" && e.callee.kind === "runtime" && e.callee.name === fn && e.args[0]?.kind === "var" ? e.args[0].name : undefined;
  walkStmts(body, (s) => {
    // An array kept on a stack (keepArray) comes back out of it (restoreArray) under another name.
    if (s.kind === "effect") {
      const stack = stackOf(s.call, "keepArray");
      const kept = s.call.kind === "call" ? s.call.args[1] : undefined;
      if (stack && kept?.kind === "var") join(stack, kept.name);
      return;
    }
    const value = s.kind === "assign" ? s.value : s.kind === "let" ? s.init : undefined;
    if (s.kind !== "assign" && s.kind !== "let") return;
    if (value?.kind === "var") join(s.name, value.name);
    const stack = stackOf(value, "restoreArray");
    if (stack) join(s.name, stack);
  });
  return groups;
}

/** Runtime helpers returning the caller's buffer passed first (checked, or zeroed), which a store through the result writes. */
const CALLERS_BUFFER: ReadonlySet<string> = new Set(["zeroed", "checkedInto", "apartInto"]);

/** Whether evaluating `e` has an effect: popping a runtime stack must stay paired with its push. */
function hasEffect(e: Expr): boolean {
  let found = false;
  walkExpr(e, (x) => {
    if (x.kind === "call" && x.callee.kind === "runtime" && x.callee.name.startsWith("pop")) found = true;
  });
  return found;
}

/**
 * The statements `eliminateDead` would drop from `body`: assignments, stores,
 * ifs and loops whose results nobody reads afterwards (reverse.ts asks before
 * it decides which control constructs the backward sweep still needs).
 */
export function unreadStatements(body: readonly Stmt[]): Set<Stmt> {
  const dropped = new Set<Stmt>();
  eliminateDead(body, dropped);
  return dropped;
}

/** Drops assignments whose value is never read afterwards (backward liveness); each statement dropped goes into `dropped`. */
function eliminateDead(body: readonly Stmt[], dropped?: Set<Stmt>): Stmt[] {
  const aliases = arrayAliases(body);
  // A stack of kept arrays restored in several places (a variable assigned twice in a loop)
  // pops in each of them: one that dropped its restore would leave the others a wrong array.
  const restores = new Map<string, number>();
  walkStmts(body, (s) => {
    const value = s.kind === "assign" ? s.value : s.kind === "let" ? s.init : undefined;
    if (value?.kind === "call" && value.callee.kind === "runtime" && value.callee.name === "restoreArray" && value.args[0]?.kind === "var") {
      restores.set(value.args[0].name, (restores.get(value.args[0].name) ?? 0) + 1);
    }
  });
  const popsShared = (e: Expr | undefined): boolean =>
    e?.kind === "call" && e.callee.kind === "runtime" && e.callee.name === "restoreArray" && e.args[0]?.kind === "var" && (restores.get(e.args[0].name) ?? 0) > 1;
  /** Whether the array `a` names, or an array another name may share with it (`u = next`), is read later. */
  const liveArray = (a: string, current: ReadonlySet<string>): boolean => current.has(a) || [...(aliases.get(a) ?? [])].some((b) => current.has(b));
  // A row of an adjoint array of arrays (`const W_bar_row = W_bar[i]`) is a view:
  // a store into it writes the array it comes from, live when that array is. So is
  // a record or array inside an adjoint array of records (`const users_bar_i = users_bar[i]`).
  const views = new Map<string, string>();
  walkStmts(body, (s) => {
    if (s.kind !== "let" || !s.init || !(isArrayType(s.type) || isTreePart(s.type))) return;
    // So is a gradient accumulated into the caller's buffer (`zeroed(into[row], x)`, a Jacobian's row).
    const init = s.init.kind === "call" && s.init.callee.kind === "runtime" && CALLERS_BUFFER.has(s.init.callee.name) && s.init.args[0] ? s.init.args[0] : s.init;
    if (init.kind !== "index" && init.kind !== "field") return;
    let root: Expr = init;
    while (root.kind === "index" || root.kind === "field") root = root.kind === "index" ? root.array : root.object;
    if (root.kind === "var") views.set(s.name, root.name);
  });
  return live(body, new Set(), dropped).stmts;

  /**
   * A loop's update, then its body, swept backward from what is live at the top of an
   * iteration; what they drop goes into `drops` (made here when the caller keeps drops).
   */
  function iteration(s: Extract<Stmt, { kind: "loop" }>, top: ReadonlySet<string>, keeping: boolean): { body: Stmt[]; update: Stmt[]; liveIn: Set<string>; drops?: Set<Stmt> } {
    const drops = keeping ? new Set<Stmt>() : undefined;
    const update = live(s.update, top, drops);
    const body = live(s.body, update.liveIn, drops);
    return { body: body.stmts, update: update.stmts, liveIn: body.liveIn, drops };
  }

  /** `sink` hears the statements dropped for good (none in a round of a loop's fixpoint but its last). */
  function live(stmts: readonly Stmt[], liveOut: ReadonlySet<string>, sink: Set<Stmt> | undefined): { stmts: Stmt[]; liveIn: Set<string> } {
    const drop = (s: Stmt): void => void sink?.add(s);
    let current = new Set(liveOut);
    const kept: Stmt[] = [];
    for (let i = stmts.length - 1; i >= 0; i--) {
      const s = stmts[i]!;
      switch (s.kind) {
        case "return":
          current = readsOf(s.value);
          kept.push(s);
          break;
        case "let":
        case "assign": {
          const value = s.kind === "let" ? s.init : s.value;
          if (!current.has(s.name) && !(value && hasEffect(value)) && !popsShared(value)) {
            drop(s);
            // A dead declaration still declares the name for later assignments.
            if (s.kind === "let" && s.init) kept.push(moveNote({ ...s, init: undefined }, s));
            else if (s.kind === "let") kept.push(s);
            else carryNote(kept, s);
            break;
          }
          current.delete(s.name);
          if (value) readsOf(value, current);
          kept.push(s);
          break;
        }
        case "store":
          if (!liveArray(s.array, current) && !liveArray(views.get(s.array) ?? s.array, current) && !hasEffect(s.value)) {
            drop(s);
            carryNote(kept, s);
            break;
          }
          current.add(s.array);
          readsOf(s.index, current);
          readsOf(s.value, current);
          kept.push(s);
          break;
        case "effect":
          readsOf(s.call, current);
          kept.push(s);
          break;
        case "throw":
          // Nothing after a throw runs: only what the error reads is live before it.
          current = new Set();
          for (const a of s.args) readsOf(a, current);
          kept.push(s);
          break;
        case "if": {
          const a = live(s.then, current, sink);
          const b = live(s.else, current, sink);
          if (a.stmts.length === 0 && b.stmts.length === 0 && !hasEffect(s.test)) {
            drop(s);
            carryNote(kept, s);
            break;
          }
          current = new Set([...a.liveIn, ...b.liveIn]);
          readsOf(s.test, current);
          kept.push({ ...s, then: a.stmts, else: b.stmts });
          break;
        }
        case "loop": {
          // Live at the top of an iteration: what the test, the body or the next iterations read.
          // The last round of the fixpoint swept the loop from its final liveness: its drops are
          // the loop's, and its statements are kept (sweeping once more to record them took a
          // third of this pass at each level of nesting, so most of it for nested loops).
          let top = new Set([...current, ...readsOf(s.test)]);
          let inner = iteration(s, top, !!sink);
          for (let round = 0; round < 100; round++) {
            const next = new Set([...top, ...inner.liveIn]);
            if (next.size === top.size) break;
            top = next;
            inner = iteration(s, top, !!sink);
          }
          for (const x of inner.drops ?? []) sink?.add(x);
          const { body, update } = inner;
          // A loop that only computes values nobody reads afterwards is dead as a whole.
          const writes = assignedIn([...body, ...update]);
          if (s.init?.kind === "assign" || s.init?.kind === "let") writes.add(s.init.name);
          let effects = !!s.init && exprsOf(s.init).some(hasEffect);
          walkStmts([...body, ...update], (x) => {
            // A return inside the loop ends the function: the loop decides the result (forward mode keeps early returns).
            if (x.kind === "effect" || x.kind === "store" || x.kind === "return" || x.kind === "throw") effects = true;
            for (const e of exprsOf(x)) if (hasEffect(e)) effects = true;
          });
          if (!effects && !hasEffect(s.test) && ![...writes].some((w) => current.has(w))) {
            drop(s);
            carryNote(kept, s);
            break;
          }
          current = top;
          let init = s.init;
          if (init) {
            const r = live([init], current, sink);
            init = r.stmts[0];
            current = r.liveIn;
          }
          kept.push({ ...s, init, body, update });
          break;
        }
        default:
          kept.push(s);
      }
    }
    return { stmts: kept.reverse(), liveIn: current };
  }
}

function moveNote(s: Stmt, from: Stmt): Stmt {
  return { ...s, note: from.note } as Stmt;
}

/**
 * A removed statement's comment goes to the statement after it (already in
 * `keptReversed`) when that one belongs to the same user statement: a
 * comment never moves onto another statement's code (in forward mode, the
 * tangent statement placed before the next primal one).
 */
function carryNote(keptReversed: Stmt[], removed: Stmt): void {
  const next = keptReversed[keptReversed.length - 1];
  if (next && removed.note && !next.note && next.origin === removed.origin) next.note = removed.note;
}

/** `let y_bar = 0; ... y_bar += e` becomes `let y_bar = e` when nothing touches y_bar in between. */
function firstContributionDeclares(body: readonly Stmt[]): Stmt[] {
  const out = [...body];
  // The statements that mention each name, in order, found once (not searched for per declaration).
  const mentionedBy = new Map<string, number[]>();
  out.forEach((s, at) => {
    for (const name of mentioned(s)) {
      const list = mentionedBy.get(name);
      if (list) list.push(at);
      else mentionedBy.set(name, [at]);
    }
  });
  const declaredLater = new Set<number>();
  for (let i = 0; i < out.length; i++) {
    const d = out[i]!;
    if (d.kind !== "let" || (d.init && !isValue(d.init, 0))) continue;
    const j = mentionedBy.get(d.name)?.find((at) => at > i);
    const s = j === undefined ? undefined : out[j]!;
    // `let v = 0; ... v += e` or `let v; ... v = e` (e not reading v): declare v with e.
    let init: Expr | undefined;
    if (s?.kind === "assign" && s.name === d.name && !readsOf(s.value).has(d.name)) init = s.value;
    if (d.init && s?.kind === "assign" && isAccumulation(s) && s.name === d.name && s.value.op === "+") init = s.value.right;
    if (init && s?.kind === "assign") {
      // The new declaration mentions the same names as the assignment it replaces.
      out[j!] = { kind: "let", name: d.name, type: d.type, init, mutable: true, note: s.note, origin: s.origin, ...(s.backward ? { backward: true } : {}) };
      declaredLater.add(i);
    }
  }
  return out.filter((_, at) => !declaredLater.has(at));
}

/** The names `s` (nested statements included) declares, assigns or reads. */
function mentioned(s: Stmt): Set<string> {
  const names = new Set<string>();
  walkStmts([s], (x) => {
    if (x.kind === "let" || x.kind === "assign") names.add(x.name);
    for (const e of exprsOf(x)) readsOf(e, names);
  });
  return names;
}

/** Drops declarations without initialiser of names nothing else mentions. */
function removeUnusedDeclarations(body: readonly Stmt[]): Stmt[] {
  const used = new Set<string>();
  walkStmts(body, (s) => {
    if (s.kind === "assign") used.add(s.name);
    if (s.kind === "store") used.add(s.array);
    for (const e of exprsOf(s)) readsOf(e, used);
  });
  const strip = (stmts: readonly Stmt[]): Stmt[] =>
    stmts.flatMap((s): Stmt[] => {
      if (s.kind === "let" && !s.init && !used.has(s.name)) return [];
      return [mapChildren(s, strip)];
    });
  return strip(body);
}

/** `let` only where the variable is assigned again. */
function markConst(body: readonly Stmt[]): Stmt[] {
  const assigned = new Set<string>();
  walkStmts(body, (s) => {
    if (s.kind === "assign") assigned.add(s.name);
  });
  const mark = (stmts: readonly Stmt[]): Stmt[] =>
    stmts.map((s): Stmt => {
      if (s.kind === "let") return { ...s, mutable: !s.init || assigned.has(s.name) };
      return mapChildren(s, mark);
    });
  return mark(body);
}

/** A top-level `const c = 1` is substituted into its uses and removed; undefined when there is none. */
function inlineConstants(body: readonly Stmt[]): Stmt[] | undefined {
  const constants = new Map<string, Expr>();
  for (const s of body) {
    if (s.kind === "let" && !s.mutable && s.init?.kind === "num") constants.set(s.name, s.init);
  }
  if (constants.size === 0) return undefined;
  const sub = (e: Expr): Expr => fold(mapExpr(e, (y) => (y.kind === "var" ? constants.get(y.name) : undefined)));
  return rewriteStmts(body, sub, (s) => (s.kind === "let" && constants.has(s.name) ? [] : [s]));
}

const isAccumulation = (s: Stmt): s is Extract<Stmt, { kind: "assign" }> & { value: Extract<Expr, { kind: "binary" }> } =>
  s.kind === "assign" &&
  s.value.kind === "binary" &&
  (s.value.op === "+" || s.value.op === "-") &&
  s.value.left.kind === "var" &&
  s.value.left.name === s.name &&
  !readsOf(s.value.right).has(s.name);

/**
 * `v += e` where v is known to be 0 becomes `v = e` (and `v -= e`, `v = -e`):
 * an adjoint reset at the end of one reversed iteration is then dead, because
 * the next iteration starts by assigning it. Forward data flow over the set of
 * variables known to hold 0.
 */
function knownZeros(stmts: readonly Stmt[], zeroIn: ReadonlySet<string>): { stmts: Stmt[]; zeroOut: Set<string> } {
  let zero = new Set(zeroIn);
  const out: Stmt[] = [];
  for (const s of stmts) {
    switch (s.kind) {
      case "let":
      case "assign": {
        const value = s.kind === "let" ? s.init : s.value;
        if (s.kind === "assign" && s.adjoint && zero.has(s.name) && isAccumulation(s)) {
          const e = s.value.op === "+" ? s.value.right : fold({ kind: "neg", arg: s.value.right });
          out.push({ ...s, value: e });
          zero.delete(s.name);
          break;
        }
        if (value && isValue(value, 0)) zero.add(s.name);
        else zero.delete(s.name);
        out.push(s);
        break;
      }
      case "if": {
        const a = knownZeros(s.then, zero);
        const b = knownZeros(s.else, zero);
        zero = new Set([...a.zeroOut].filter((x) => b.zeroOut.has(x)));
        out.push({ ...s, then: a.stmts, else: b.stmts });
        break;
      }
      case "loop": {
        // At the top of an iteration: zero on entry and zero at the end of every iteration.
        let top = new Set(zero);
        if (s.init?.kind === "let" || s.init?.kind === "assign") top.delete(s.init.name);
        for (let round = 0; round < 20; round++) {
          const end = knownZeros([...s.body, ...s.update], top).zeroOut;
          const next = new Set([...top].filter((x) => end.has(x)));
          if (next.size === top.size) break;
          top = next;
        }
        const body = knownZeros(s.body, top);
        const update = knownZeros(s.update, body.zeroOut);
        out.push({ ...s, body: body.stmts, update: update.stmts });
        zero = top;
        break;
      }
      default:
        // Stores, effects and returns do not change scalar locals.
        out.push(s);
    }
  }
  return { stmts: out, zeroOut: zero };
}

/**
 * Contributions merged into one statement at most: a variable read by
 * thousands of terms of one expression (`x * a[0] + x * a[1] + ...`) gets its
 * adjoint in statements of this many terms, not in one chain as long as the
 * expression (which would take each merge longer than the last).
 */
const MERGED_TERMS = 32;

/** `v = e1; v += e2` becomes `v = e1 + e2`: one statement per adjoint where the contributions are consecutive. */
function mergeUpdates(stmts: readonly Stmt[]): Stmt[] {
  const out: Stmt[] = [];
  const terms = new Map<Stmt, number>();
  const merge = (into: Stmt): void => {
    terms.set(into, (terms.get(out[out.length - 1]!) ?? 1) + 1);
    out[out.length - 1] = into;
  };
  for (const s of stmts) {
    const merged = mapChildren(s, mergeUpdates);
    const prev = out[out.length - 1];
    if (prev && (terms.get(prev) ?? 1) >= MERGED_TERMS) {
      out.push(merged);
      continue;
    }
    // Only within one statement's adjoint: a `// adjoint of:` comment starts a new one.
    if (prev?.kind === "assign" && prev.adjoint && merged.adjoint && isAccumulation(merged) && !merged.note && merged.name === prev.name && !hasEffect(merged.value.right)) {
      const next = merged.value;
      const value: Expr = isAccumulation(prev)
        ? // v = v + a; v = v ± b  becomes  v = v + (a ± b), which prints as v += a ± b.
          { kind: "binary", op: prev.value.op, left: prev.value.left, right: fold({ kind: "binary", op: prev.value.op === next.op ? "+" : "-", left: prev.value.right, right: next.right }) }
        : fold({ kind: "binary", op: next.op, left: prev.value, right: next.right });
      merge({ ...prev, value });
      continue;
    }
    // a[i] = a[i] + u; a[i] = a[i] ± w  becomes  a[i] = a[i] + (u ± w): one load and store of the element.
    if (prev?.kind === "store" && prev.adjoint && merged.kind === "store" && merged.adjoint && !merged.note && prev.array === merged.array &&
        sameExpr(prev.index, merged.index) && isElementAccumulation(prev) && isElementAccumulation(merged) && !hasEffect(merged.value.right) && !hasEffect(merged.index)) {
      const [p, next] = [prev.value, merged.value];
      const right = fold({ kind: "binary", op: p.op === next.op ? "+" : "-", left: p.right, right: next.right });
      merge({ ...prev, value: { ...p, right } });
      continue;
    }
    out.push(merged);
  }
  return out;
}

/** A record, tuple or array of records a generated local may name inside an adjoint (a view, never a copy). */
function isTreePart(t: Type): boolean {
  // (One record of such an array is declared by the type the user wrote, an opaque type.)
  return isStructType(t) || isTreesType(t) || isOpaqueType(t);
}
