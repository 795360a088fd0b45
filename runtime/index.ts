// `tsgrad`: what application code imports. Zero dependencies.

export { grad, valueAndGrad } from "./transforms.js";
export type { GradFunction, GradOf, GradsFunction, GradsOf, ScalarFunction } from "./transforms.js";
export * from "./tensor.js";
export * from "./reductions.js";
export * from "./adjoints.js";
export * from "./stack.js";
