// Class hierarchies: `class Circle extends Shape`, built with `super(...)`.
// Takes: from class-members.ts, `new C(args)` of a class of the program (with
// or without `extends`), the instance's fields to fill, and a call's receiver.
// Guarantees: the constructor chain runs as JavaScript runs it — a class
// without a constructor passes its arguments to its base's; in a derived
// constructor the statements before `super(...)` run first, then the base's
// whole construction (its field initializers, parameter properties and body,
// recursively), then this class's field initializers and parameter
// properties, then the rest of its body — so the instance has the fields of
// the whole chain. A method called on an instance whose class is known (made
// with `new`, an element of an array literal of `new` expressions) is the one
// that class has, its own or inherited (virtual dispatch at compile time).
// Refused, located: a base class tsgrad cannot see (declared in a .d.ts, or a
// built-in), and `super(...)` inside a branch or loop of the constructor.

import { ts } from "../ts.js";
import { Code, fail } from "../diagnostics.js";
import { skipParens, userText } from "./synth.js";
import { classOf } from "./class-predicates.js";
import type { Inliner } from "./classes.js";
import { bindParameters, countUses, desugaredBody, enter, leave } from "./inline-bodies.js";
import type { Frame, Key, Sink, Value } from "./inlined-values.js";

/** What class-members.ts gives each class of the chain: its field initializers, and one statement of its constructor. */
export interface ChainSteps {
  initializers(cls: ts.ClassLikeDeclaration, frame: Frame): void;
  statement(s: ts.Statement, frame: Frame): void;
}

/** The class `cls` extends, when it extends one; refused, located, when tsgrad cannot see that class's members. */
export function baseClass(inliner: Inliner, cls: ts.ClassLikeDeclaration, site: ts.Node): ts.ClassLikeDeclaration | undefined {
  const clause = cls.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
  if (!clause) return undefined;
  const instance = inliner.checker.getTypeAtLocation(clause);
  const base = classOf(inliner.checker, instance);
  // Located at the `new` in the differentiated function: that is what the user asked tsgrad to follow.
  if (!base) fail(Code.Unsupported, site, `'${userText(site)}' makes a '${cls.name?.text ?? "(class)"}', which extends '${userText(clause.expression)}', whose fields and constructor tsgrad cannot see (not a class of your program); extend a class declared in your program, or keep the fields in a class of your own.`);
  return base;
}

/**
 * Runs the construction of `cls` for `self`: its parameters bound to `args`,
 * its base's construction where `super(...)` is, its initializers and
 * parameter properties where JavaScript runs them.
 */
export function runConstructor(inliner: Inliner, cls: ts.ClassLikeDeclaration, args: readonly Value[], self: Value & { kind: "struct" }, site: ts.Node, what: string, out: Sink, steps: ChainSteps): void {
  const base = baseClass(inliner, cls, site);
  const ctor = cls.members.find((m): m is ts.ConstructorDeclaration => ts.isConstructorDeclaration(m) && !!m.body);
  const frame: Frame = { self, rename: true };
  if (!ctor) {
    // No constructor: a derived class passes its arguments on (`constructor(...args) { super(...args); }`).
    if (base) runConstructor(inliner, base, args, self, site, what, out, steps);
    enter(inliner, cls, site);
    try {
      steps.initializers(cls, frame);
    } finally {
      leave(inliner, new Map());
    }
    return;
  }
  enter(inliner, cls, site);
  const saved = new Map<Key, Value | undefined>();
  try {
    // Field initializers of a class without a base run first (`x = 0`), then the parameter properties and body.
    if (!base) steps.initializers(cls, frame);
    bindParameters(inliner, ctor.parameters, args, site, what, out, saved, (key, p) => countUses(ctor.body!, key, inliner.checker) + (ts.isParameterPropertyDeclaration(p, ctor) ? 1 : 0));
    if (!base) parameterProperties(inliner, ctor, self);
    // Its body after the passes before this one (`xs.map(...)`, `[0, ...inner, 0]`), when they kept its parameters.
    const body = desugaredBody(inliner, ctor);
    const statements = body.parameters.every((p, i) => p === ctor.parameters[i]) && body.body && ts.isBlock(body.body) ? body.body.statements : ctor.body!.statements;
    let called = !base;
    for (const s of statements) {
      const call = superCall(s);
      if (call && base) {
        // `super(density)`: the base's construction, then this class's initializers and parameter properties.
        const superArgs = call.arguments.map((a) => inliner.value(a, frame, out));
        runConstructor(inliner, base, superArgs, self, call, what, out, steps);
        steps.initializers(cls, frame);
        parameterProperties(inliner, ctor, self);
        called = true;
        continue;
      }
      if (base && !called && containsSuperCall(s)) {
        fail(Code.Unsupported, s, `${what} calls super(...) inside a branch or loop of the constructor of '${cls.name?.text ?? "(class)"}'; call super(...) once, as a statement at the top level of the constructor.`);
      }
      steps.statement(s, frame);
    }
    if (!called) fail(Code.Unsupported, ctor, `the constructor of '${cls.name?.text ?? "(class)"}' never calls super(...) at its top level; call super(...) as a statement of its own.`);
  } finally {
    leave(inliner, saved);
  }
}

/** The constructor's parameter properties (`private readonly r: number`) as fields of `self`, valued as their parameters are bound. */
function parameterProperties(inliner: Inliner, ctor: ts.ConstructorDeclaration, self: Value & { kind: "struct" }): void {
  const fields = self.fields as Map<string, Value>;
  for (const p of ctor.parameters) {
    if (ts.isIdentifier(p.name) && ts.isParameterPropertyDeclaration(p, ctor)) {
      const key = inliner.checker.getSymbolsOfParameterPropertyDeclaration(p, p.name.text)[0];
      fields.set(p.name.text, (key && inliner.env.get(key)) ?? fail(Code.Internal, p, "a parameter property has no value; please report this with the class."));
    }
  }
}

/** `super(...)` as a statement of its own. */
function superCall(s: ts.Statement): ts.CallExpression | undefined {
  if (!ts.isExpressionStatement(s)) return undefined;
  const e = skipParens(s.expression);
  return ts.isCallExpression(e) && e.expression.kind === ts.SyntaxKind.SuperKeyword ? e : undefined;
}

function containsSuperCall(n: ts.Node): boolean {
  if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.SuperKeyword) return true;
  if (ts.isFunctionLike(n) && !ts.isArrowFunction(n)) return false;
  return !!ts.forEachChild(n, containsSuperCall);
}

/**
 * The type whose members a call on `receiver` runs: the instance's own class
 * when it is known exactly (virtual dispatch decided at compile time), else
 * undefined (the checker's declaration, refused where a subclass overrides it).
 */
export function dispatchType(inliner: Inliner, receiver: Value | undefined): ts.Type | undefined {
  if (receiver?.kind !== "struct" || !receiver.exact || receiver.param) return undefined;
  return classOf(inliner.checker, receiver.type) ? receiver.type : undefined;
}

/**
 * Refuses a method called on a value typed by an abstract class whose exact
 * class tsgrad cannot know (a `Shape[]` parameter's element): each subclass
 * may run other code, and no one body is the call's.
 */
export function refuseAbstractReceiver(inliner: Inliner, callee: ts.PropertyAccessExpression): void {
  const cls = classOf(inliner.checker, inliner.typeOf(callee.expression));
  if (!cls?.modifiers?.some((m) => m.kind === ts.SyntaxKind.AbstractKeyword)) return;
  const name = cls.name?.text ?? "(class)";
  fail(Code.Unsupported, callee, `'${userText(callee)}(...)' is called on a ${name}, an abstract class, whose subclass tsgrad cannot know here, so it cannot choose the methods that run; make the instances with new in the differentiated function (an array literal, const items: ${name}[] = [new ...(...), ...]), or type the value as the subclass whose methods run.`);
}
