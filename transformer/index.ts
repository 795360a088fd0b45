// `tsgrad/transformer`: the compiler transformer, as ts-patch loads it from
// tsconfig: "plugins": [{ "transform": "tsgrad/transformer" }].

import type * as ts from "typescript";
import { createTransformer, planFor } from "./pipeline.js";

/** What ts-patch passes as the third argument to a program transformer. */
export interface TransformerExtras {
  addDiagnostic?(diagnostic: ts.Diagnostic): number | void;
}

/** ts-patch's program-transformer signature: (program, config, extras) => factory. */
export default function tsgradTransformer(
  program: ts.Program,
  _config?: unknown,
  extras?: TransformerExtras,
): ts.TransformerFactory<ts.SourceFile> {
  const factory = createTransformer(program);
  for (const d of planFor(program).diagnostics) extras?.addDiagnostic?.(d);
  return factory;
}

/** The diagnostics tsgrad reports for a program, without emitting anything. */
export function tsgradDiagnostics(program: ts.Program): readonly ts.Diagnostic[] {
  return planFor(program).diagnostics;
}

export { createTransformer };
