// Intrinsic elements for the JSX inputs (no React types in this project).
declare namespace JSX {
  interface IntrinsicElements {
    [name: string]: Record<string, unknown>;
  }
}
