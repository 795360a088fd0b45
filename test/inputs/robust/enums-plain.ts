// A file without transform calls: enums, a namespace merged with an enum.
export enum Mode {
  Linear,
  Quadratic,
}

export enum Label {
  A = "a",
  B = "b",
}

export namespace Mode {
  export function describe(m: Mode): string {
    return m === Mode.Linear ? "linear" : "quadratic";
  }
}

export const enum Flags {
  None = 0,
  Fast = 1 << 0,
  Exact = 1 << 1,
}

export const both = Flags.Fast | Flags.Exact;
