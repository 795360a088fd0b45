// The GradBench protocol (https://github.com/gradbench/gradbench, CONTRIBUTING /
// protocol types): one JSON object per line on stdin, one response per line on
// stdout.

export interface Timing {
  name: string;
  nanoseconds: number;
}

export interface Message {
  id: number;
  kind: string;
  module?: string;
  function?: string;
  input?: unknown;
}

/** The `Runs` fields most eval inputs carry. */
export interface Runs {
  min_runs?: number;
  min_seconds?: number;
}

/**
 * One function of a module, prepared for an input: `run` is what is timed (it
 * must do the whole computation every time), `output` turns the last result into
 * the JSON the eval expects (not timed, like the input conversion).
 */
export interface Prepared<R = unknown> {
  run: () => R;
  output: (result: R) => unknown;
}

export type GradBenchFunction = (input: any) => Prepared<any>;

export type GradBenchModule = Record<string, GradBenchFunction>;
