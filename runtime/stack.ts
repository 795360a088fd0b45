// The stacks generated backward sweeps read. The forward sweep saves the
// values it overwrites and the branches and trip counts it took; the backward
// sweep reads them in reverse. Both are global, LIFO, preallocated and doubled
// when full.
//
// Most generated functions write the value stack (`tape`) directly through
// two locals, `tape[top++] = v` and `tape[--top]`, and publish `top` back
// here only when they call other functions that save values (see
// transformer/tape.ts). The push and pop functions below are for the rest, and
// keep the same `tape` object up to date, so both kinds nest.

const INITIAL_CAPACITY = 4096;

/**
 * The value stack's first length, 2^20 values (8 MB of address space; the system
 * commits a page only when a forward sweep first writes it). A forward sweep that
 * finds the stack too short has written past its end, and V8 then compiles that
 * function's every `tape[top++] = v` for out-of-bounds stores for good: the
 * stores of an MLP's gradient ran 15% slower, a log-sum-exp's 20%. Starting long
 * keeps that to the functions that save more than a million values.
 */
const INITIAL_TAPE = 1 << 20;

/**
 * The value stack: `values[0 .. top)` are saved values. Generated code reads
 * `values` and `top` into locals; `values` is replaced (never shrunk) when it grows.
 */
export const tape: { values: Float64Array; top: number } = { values: new Float64Array(INITIAL_TAPE), top: 0 };

let controls = new Int32Array(INITIAL_CAPACITY);
let controlTop = 0;

/**
 * Makes the value stack at least `needed` long (at least twice as long as it
 * was), keeping the values below `tape.top`. Generated code calls it when a
 * forward sweep found the stack too short, then runs again.
 */
export function growTape(needed: number): void {
  if (needed > highWater) highWater = needed;
  const old = tape.values;
  if (needed <= old.length) return;
  const bigger = new Float64Array(Math.max(needed, old.length * 2));
  bigger.set(old.subarray(0, tape.top));
  tape.values = bigger;
}

/** The most slots a forward sweep asked of the value stack while measureTape ran. */
let highWater = 0;

/**
 * The tape memory `run` needs: runs it once on an empty value stack, so every
 * forward sweep that saves values reports how many slots it needed (the
 * generated code lengthens the tape and runs again, as on a first call), and
 * returns its result and that high-water mark in slots (8 bytes each): exact
 * for generated code, which writes the tape directly; values saved through
 * pushValue count up to the tape's last doubling. The caller's tape is put
 * back afterwards. For benchmarks and tests: it costs the
 * forward sweeps run twice.
 */
export function measureTape<T>(run: () => T): { result: T; slots: number } {
  const saved = tape.values;
  const savedTop = tape.top;
  const savedHighWater = highWater;
  if (savedTop !== 0) throw new Error("tsgrad: measureTape runs between gradient calls, with nothing on the tape.");
  tape.values = new Float64Array(0);
  highWater = 0;
  try {
    const result = run();
    return { result, slots: highWater };
  } finally {
    tape.values = saved;
    tape.top = savedTop;
    highWater = savedHighWater;
  }
}

/** Doubles the control stack; kept out of `pushControl` so that stays small. */
function growControls(): void {
  const bigger = new Int32Array(controls.length * 2);
  bigger.set(controls);
  controls = bigger;
}

/** Thrown when a backward sweep pops more than its forward sweep pushed. */
function underflow(which: string): never {
  throw new Error(
    `tsgrad: the backward sweep read more values than the forward sweep saved (the ${which} stack is empty). ` +
      `This is a bug in tsgrad; please report it with the function being differentiated.`,
  );
}

/** Saves `v` for the backward sweep. */
export function pushValue(v: number): void {
  if (tape.top === tape.values.length) growTape(tape.top + 1);
  tape.values[tape.top++] = v;
}

/**
 * The value most recently saved and not yet read.
 * @throws Error when the value stack is empty (a tsgrad bug).
 */
export function popValue(): number {
  if (tape.top === 0) underflow("value");
  return tape.values[--tape.top]!;
}

/**
 * Saves `a[lo]`, `a[lo + 1]`, ... (each index of `for (i = lo; i < hi; i++)`)
 * at `values[top]` on, the elements a loop is about to overwrite one each
 * (transformer/blocks.ts); returns the new top. As for `tape[top++] = v`, what
 * lies past the tape's end is dropped (the caller grows the tape and runs again).
 *
 * A block that is nearly all of `a` is copied with `set` (a memory copy) of the
 * whole of `a`, placed so that the block lands at `top`: `set` of a `subarray`
 * would allocate a view per call (per time step). The few elements before the
 * block land below `top` and are put back; those after it land above the new
 * top, which is free. Anything else is copied element by element.
 */
export function saveBlock(values: Float64Array, top: number, a: Float64Array, lo: number, hi: number): number {
  const count = hi > lo ? Math.ceil(hi - lo) : 0;
  const at = top - lo;
  if (count >= 16 && lo >= 0 && lo <= 2 && a.length - count <= 4 && lo + count <= a.length && at >= 0 && at + a.length <= values.length) {
    const below0 = values[at]!;
    const below1 = values[at + 1]!;
    values.set(a, at);
    if (lo > 0) values[at] = below0;
    if (lo > 1) values[at + 1] = below1;
  } else {
    for (let k = 0; k < count; k++) values[top + k] = a[lo + k]!;
  }
  return top + count;
}

/** saveBlock on the runtime's tape (for generated code that does not keep the tape in locals). */
export function pushBlock(a: Float64Array, lo: number, hi: number): void {
  const count = hi > lo ? Math.ceil(hi - lo) : 0;
  if (tape.top + count > tape.values.length) growTape(tape.top + count);
  tape.top = saveBlock(tape.values, tape.top, a, lo, hi);
}

/**
 * saveBlock in forward mode (a Hessian through such a loop): each element
 * followed by its tangent, `aDot[i]` (0 for an array that does not depend on
 * the input), as `pushValue(a[i]); pushValue(aDot[i])` would save them.
 */
export function saveBlockTangents(values: Float64Array, top: number, a: Float64Array, aDot: Float64Array | 0, lo: number, hi: number): number {
  const count = hi > lo ? Math.ceil(hi - lo) : 0;
  for (let k = 0; k < count; k++) {
    values[top + 2 * k] = a[lo + k]!;
    values[top + 2 * k + 1] = aDot === 0 ? 0 : aDot[lo + k]!;
  }
  return top + 2 * count;
}

/** saveBlockTangents on the runtime's tape. */
export function pushBlockTangents(a: Float64Array, aDot: Float64Array | 0, lo: number, hi: number): void {
  const count = hi > lo ? Math.ceil(hi - lo) : 0;
  if (tape.top + 2 * count > tape.values.length) growTape(tape.top + 2 * count);
  tape.top = saveBlockTangents(tape.values, tape.top, a, aDot, lo, hi);
}

/**
 * Saves a control decision for the backward sweep: a branch taken (0/1) or a
 * loop trip count. Stored as a 32-bit integer.
 */
export function pushControl(n: number): void {
  if (controlTop === controls.length) growControls();
  controls[controlTop++] = n;
}

/**
 * The control decision most recently saved and not yet read.
 * @throws Error when the control stack is empty (a tsgrad bug).
 */
export function popControl(): number {
  if (controlTop === 0) underflow("control");
  return controls[--controlTop]!;
}

/** How many entries each stack holds now; 0 and 0 between gradient calls. */
export function stackDepth(): { values: number; control: number } {
  return { values: tape.top, control: controlTop };
}

/**
 * Where the value stack stands: a Jacobian that shares its forward sweep
 * (transformer/jacobian.ts) takes it after that sweep, and rewinds to it before
 * each row's backward sweep, which pops the same saved values again. Generated
 * code keeps its tape in locals and writes `top` for both; these serve code run
 * without (the pops leave the values in place, so rewinding finds them).
 */
export function tapeMark(): number {
  return tape.top;
}

/** Puts the value stack back where tapeMark found it. */
export function rewindTape(mark: number): void {
  tape.top = mark;
}
