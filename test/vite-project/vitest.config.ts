// Vitest with tsgrad: the plugin compiles grad(...) calls in src/ before Vite
// strips the types. "tsgrad" is this repository's runtime, for the bundler
// (the alias here) and for the checker (tsconfig.json "paths").
// A project that installed tsgrad writes `import tsgrad from "tsgrad/vite"`;
// this one uses the plugin's source.
import * as path from "node:path";
import { defineConfig } from "vitest/config";
import tsgrad from "../../transformer/vite.js";

export default defineConfig({
  plugins: [tsgrad()],
  resolve: {
    alias: [{ find: /^tsgrad$/, replacement: path.resolve(__dirname, "../../runtime/index.ts") }],
  },
  test: {
    include: ["src/**/*.spec.ts"],
  },
});
