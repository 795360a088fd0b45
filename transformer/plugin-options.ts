// The bundler plugins' options, in a file of their own so that each entry
// point's declarations name only its own bundler's types, never unplugin's
// (whose declarations import every bundler it supports).

export interface TsgradPluginOptions {
  /**
   * The tsconfig.json whose program is type-checked to find transform calls,
   * relative to the bundler's root (Vite's root, webpack's context, else the
   * working directory). Default: the nearest tsconfig.json at or above the
   * root. When it only references other projects (`"files": []` plus
   * `"references"`), each referenced project is used for its own files.
   */
  tsconfig?: string;
}
