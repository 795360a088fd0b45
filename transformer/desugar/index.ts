// The desugaring passes, in the order they run: each rewrites one family of
// constructs into the core that lowering knows, keeping the user's names and
// positions (synth.ts). Lowering then sees only that core.

import { ts } from "../ts.js";
import type { DesugarContext, FunctionLike } from "../lower.js";
import { desugarArrayMethods } from "./array-methods/index.js";
import { resolveAliases } from "./aliases.js";
import { desugarArraySpread } from "./array-spread.js";
import { liftBranches } from "./branches.js";
import { desugarAssignmentPatterns } from "./assignment-patterns.js";
import { stripCasts } from "./casts.js";
import { desugarClasses } from "./classes.js";
import { splitDeclarations } from "./declarations.js";
import { destructure } from "./destructuring.js";
import { copyElementArguments } from "./element-arguments.js";
import { sequenceEffects } from "./effects.js";
import { unrollRecordWalks } from "./entries.js";
import { desugarFound } from "./found.js";
import { hoistInvariantCalls } from "./invariant-calls.js";
import { desugarKeyedRecords } from "./keyed.js";
import { indexInstanceLoops } from "./instance-loops.js";
import { desugarLabels } from "./labels.js";
import { desugarLogicalAssignments } from "./logical-assignments.js";
import { hoistLiteralArguments } from "./literal-arguments.js";
import { unrollLiteralLoops } from "./literal-loops.js";
import { flattenMatrices, readMatrices } from "./matrices.js";
import { desugarMaybeLocals } from "./maybe-locals.js";
import { inlineMaybeResults } from "./maybe-results.js";
import { desugarNullish } from "./nullish.js";
import { desugarObjectSpread } from "./object-spread.js";
import { markPassive } from "./passive.js";
import { desugarParameters } from "./parameters.js";
import { desugarQueues } from "./queues.js";
import { desugarRecordMaps } from "./record-maps.js";
import { desugarRecordValues } from "./record-values.js";
import { desugarRest } from "./rest.js";
import { desugarRestElements } from "./rest-elements.js";
import { desugarSorts } from "./sort.js";
import { desugarSpread } from "./spread.js";
import { hoistSpreadOperands } from "./spread-operands.js";
import { pushStopGradient } from "./stop.js";
import { desugarSwitch } from "./switch.js";
import { desugarUnionKeys } from "./union-keys.js";
import { desugarUnionResults } from "./union-results.js";
import { desugarViews } from "./views.js";

export type Pass = (fn: FunctionLike, ctx: DesugarContext) => FunctionLike;

/** The passes in order; a pass may rely on the guarantees of those before it. */
export const DESUGAR: readonly (readonly [string, Pass])[] = [
  ["passive", markPassive],
  ["record walks", unrollRecordWalks],
  ["record values", desugarRecordValues],
  ["queues", desugarQueues],
  ["declarations", splitDeclarations],
  ["casts", stripCasts],
  ["maybe locals", desugarMaybeLocals],
  ["sorts", desugarSorts],
  ["keyed records", desugarKeyedRecords],
  ["record maps", desugarRecordMaps],
  ["union keys", desugarUnionKeys],
  ["union results", desugarUnionResults],
  ["object spread", desugarObjectSpread],
  ["maybe results", inlineMaybeResults],
  ["logical assignments", desugarLogicalAssignments],
  ["nullish", desugarNullish],
  ["branches", liftBranches],
  ["spread operands", hoistSpreadOperands],
  ["element arguments", copyElementArguments],
  ["literal arguments", hoistLiteralArguments],
  ["rest", desugarRest],
  ["parameters", desugarParameters],
  ["invariant calls", hoistInvariantCalls],
  ["matrices", flattenMatrices],
  ["rest elements", desugarRestElements],
  ["views", desugarViews],
  ["array methods", desugarArrayMethods],
  ["matrix reads", readMatrices],
  ["found", desugarFound],
  ["literal loops", unrollLiteralLoops],
  ["destructuring", destructure],
  ["assignment patterns", desugarAssignmentPatterns],
  ["switch", desugarSwitch],
  ["labels", desugarLabels],
  ["effects", sequenceEffects],
  ["spread", desugarSpread],
  ["array spread", desugarArraySpread],
  ["instance loops", indexInstanceLoops],
  ["aliases", resolveAliases],
  ["classes", desugarClasses],
  ["stopGradient", pushStopGradient],
];

/** `fn` through the passes before the one named `pass` (a helper a pass inlines is desugared as far as the function it goes into). */
export function desugarBefore(pass: string, fn: FunctionLike, ctx: DesugarContext): FunctionLike {
  const end = DESUGAR.findIndex(([name]) => name === pass);
  return DESUGAR.slice(0, end).reduce((f, [, p]) => p(f, ctx), fn);
}

export function desugar(fn: FunctionLike, ctx: DesugarContext): FunctionLike {
  return DESUGAR.reduce((f, [name, pass]) => {
    const out = pass(f, ctx);
    // DEBUG_DESUGAR=1 prints the function after each pass that changed it.
    if (process.env.DEBUG_DESUGAR && out !== f) console.log(`// after ${name}\n` + ts.createPrinter().printNode(ts.EmitHint.Unspecified, out, ts.getParseTreeNode(fn)?.getSourceFile() ?? ts.createSourceFile("desugared.ts", "", ts.ScriptTarget.Latest)));
    return out;
  }, fn);
}
