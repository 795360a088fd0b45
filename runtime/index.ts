// `tsgrad`: what application code imports. Zero dependencies.
//
// Every function is exported as a plain property (`export const f = m.f`), not
// re-exported with `export { f } from`: compiled to CommonJS a re-export is a
// getter, and V8 does not inline calls through a getter, which made the
// generated backward sweeps (which call pushValue/popValue in their hottest
// loops) several times slower.

import * as adjoints from "./adjoints.js";
import * as jacobians from "./jacobian.js";
import * as arrays from "./arrays.js";
import * as keyed from "./keyed.js";
import * as nested from "./nested.js";
import * as reductions from "./reductions.js";
import * as sorting from "./sorting.js";
import * as stack from "./stack.js";
import * as stop from "./stop.js";
import * as tangents from "./tangents.js";
import * as tensors from "./tensor.js";
import * as transforms from "./transforms.js";
import * as trees from "./trees.js";

export type { GradBuffer } from "./adjoints.js";
export type { TensorLike } from "./tensor.js";
export type {
  CustomGradFunction,
  CotangentOf,
  CustomRule,
  GradOptions,
  JacobianInto,
  JacobianOf,
  JacobianOptions,
  ResultValue,
  GradFunction,
  GradOf,
  GradsFunction,
  GradsOf,
  GradTuple,
  RuleResult,
  ScalarFunction,
} from "./transforms.js";

// The transforms, rewritten at compile time.
export const grad = transforms.grad;
export const valueAndGrad = transforms.valueAndGrad;
export const jvp = transforms.jvp;
export const hessian = transforms.hessian;
export const vjp = transforms.vjp;
export const jacobian = transforms.jacobian;
export const jacfwd = transforms.jacfwd;
export const customGrad = transforms.customGrad;
export const stopGradient = stop.stopGradient;
export const checkpoint = transforms.checkpoint;
/** What the transformer puts in place of a call it refused: a function that throws the diagnostic. */
export const refused = transforms.refused;

// Tensors.
export const linspace = tensors.linspace;
export const zeros = tensors.zeros;
export const ones = tensors.ones;
export const full = tensors.full;
export const arange = tensors.arange;
export const tensor = tensors.tensor;
export const map = tensors.map;
export const map2 = tensors.map2;
export const checkMap2 = tensors.checkMap2;
export const zerosLike = tensors.zerosLike;

// Reductions.
export const sum = reductions.sum;
export const mean = reductions.mean;
export const dot = reductions.dot;
export const prod = reductions.prod;
export const max = reductions.max;
export const min = reductions.min;
export const norm = reductions.norm;
export const hypot = reductions.hypot;
export const logSumExp = reductions.logSumExp;

// What generated backward sweeps call: adjoints of the reductions and constructors.
export const sumAdjoint = adjoints.sumAdjoint;
export const meanAdjoint = adjoints.meanAdjoint;
export const dotAdjoint = adjoints.dotAdjoint;
export const prodAdjoint = adjoints.prodAdjoint;
export const maxAdjoint = adjoints.maxAdjoint;
export const minAdjoint = adjoints.minAdjoint;
export const normAdjoint = adjoints.normAdjoint;
export const logSumExpAdjoint = adjoints.logSumExpAdjoint;
export const addScaled = adjoints.addScaled;
export const linspaceAdjoint = adjoints.linspaceAdjoint;

// ... their stacks ...
export const keepArray = arrays.keepArray;
export const restoreArray = arrays.restoreArray;
export const zeroedLike = arrays.zeroedLike;
export const popElement = arrays.popElement;
export const sliceOf = arrays.sliceOf;
export const asArray = arrays.asArray;
export const sliceToArray = arrays.sliceToArray;
export const filled = arrays.filled;
export const sliceAdjoint = arrays.sliceAdjoint;
export const sortedOf = sorting.sortedOf;
export const sortedAdjoint = sorting.sortedAdjoint;
export const sortedTangent = sorting.sortedTangent;
export const reversedOf = sorting.reversedOf;
export const reversedAdjoint = sorting.reversedAdjoint;
export const pushValue = stack.pushValue;
export const popValue = stack.popValue;
export const pushBlock = stack.pushBlock;
export const saveBlock = stack.saveBlock;
export const pushBlockTangents = stack.pushBlockTangents;
export const saveBlockTangents = stack.saveBlockTangents;
export const pushControl = stack.pushControl;
export const popControl = stack.popControl;
export const stackDepth = stack.stackDepth;
export const tape = stack.tape;
export const measureTape = stack.measureTape;
export const growTape = stack.growTape;
export const tapeMark = stack.tapeMark;
export const rewindTape = stack.rewindTape;

// ... and what generated forward-mode code calls.
export const prodTangent = tangents.prodTangent;
export const maxTangent = tangents.maxTangent;
export const minTangent = tangents.minTangent;
export const normTangent = tangents.normTangent;
export const logSumExpTangent = tangents.logSumExpTangent;
export const hessianRows = tangents.hessianRows;

// ... and what generated vjp, Jacobian and `{ into: true }` code calls.
export const copyOf = jacobians.copyOf;
export const zeroed = jacobians.zeroed;
export const checkedInto = jacobians.checkedInto;
export const apartInto = jacobians.apartInto;
export const jacobianRows = jacobians.jacobianRows;
export const setColumn = jacobians.setColumn;
export const toRow = jacobians.toRow;
export const zeroRow = jacobians.zeroRow;
export const emptyRows = jacobians.emptyRows;
export const setField = jacobians.setField;
export const outputs = jacobians.outputs;
export const leafCount = jacobians.leafCount;
export const unitLike = jacobians.unitLike;
export const unflattenLike = jacobians.unflattenLike;
export const rowsLike = jacobians.rowsLike;
export const jacobiansOf = jacobians.jacobiansOf;
export const intoRows = jacobians.intoRows;
export const intoColumn = jacobians.intoColumn;
export const copyColumn = jacobians.copyColumn;
export const lendSeed = jacobians.lendSeed;
export const giveSeed = jacobians.giveSeed;
export const prodAdjointTangent = tangents.prodAdjointTangent;
export const normAdjointTangent = tangents.normAdjointTangent;
export const logSumExpAdjointTangent = tangents.logSumExpAdjointTangent;
export const zerosOf = tangents.zerosOf;
export const hessianRowsAt = tangents.hessianRowsAt;
// Gradient buffers of nested data (arrays of arrays, arrays of records).
export const zerosRows = nested.zerosRows;
export const addRows = nested.addRows;
export const addRecords = nested.addRecords;
export const addTuples = nested.addTuples;
// Gradient buffers of arrays of records with more than numbers (trees.ts).
export const zerosTree = trees.zerosTree;
export const addTree = trees.addTree;
// Records keyed by strings, as generated code reads them (keyed.ts).
export const keyedValues = keyed.keyedValues;
export const keyIndex = keyed.keyIndex;
export const keyAt = keyed.keyAt;
export const keySlot = keyed.keySlot;
export const keyedTangent = keyed.keyedTangent;
export const keyedRecord = keyed.keyedRecord;
export const keyedRows = keyed.keyedRows;
export const keyedRowsRecord = keyed.keyedRowsRecord;
