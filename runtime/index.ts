// `tsgrad`: what application code imports. Zero dependencies.

export { customGrad, grad, hessian, jvp, valueAndGrad } from "./transforms.js";
export type { CustomGradFunction, CustomRule, GradFunction, GradOf, GradsFunction, GradsOf, RuleResult, ScalarFunction } from "./transforms.js";
export * from "./tensor.js";
export * from "./reductions.js";
export * from "./adjoints.js";
export * from "./stack.js";
export * from "./tangents.js";
