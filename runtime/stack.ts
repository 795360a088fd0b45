// The stacks generated backward sweeps read. The forward sweep pushes the values
// it overwrites and the branches and trip counts it took; the backward sweep
// pops them in reverse. Both are global, LIFO, preallocated and doubled when
// full; push and pop are kept tiny so V8 inlines them.

const INITIAL_CAPACITY = 4096;

let values = new Float64Array(INITIAL_CAPACITY);
let valueTop = 0;

let controls = new Int32Array(INITIAL_CAPACITY);
let controlTop = 0;

/** Doubles the value stack; kept out of `pushValue` so that stays small. */
function growValues(): void {
  const bigger = new Float64Array(values.length * 2);
  bigger.set(values);
  values = bigger;
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
  if (valueTop === values.length) growValues();
  values[valueTop++] = v;
}

/**
 * The value most recently saved and not yet read.
 * @throws Error when the value stack is empty (a tsgrad bug).
 */
export function popValue(): number {
  if (valueTop === 0) underflow("value");
  return values[--valueTop]!;
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
  return { values: valueTop, control: controlTop };
}
