// Renders the domain example's function and derivative as an SVG with
// vega-lite compiled to vega and rendered headless (no browser, no canvas).
import { writeFileSync } from "node:fs";
import * as vega from "vega";
import { compile } from "vega-lite";

export async function plotDomain({ x, y, dydx }, file) {
  const values = [];
  for (let i = 0; i < x.length; i++) {
    values.push({ x: x[i], value: y[i], series: "y = 10x³" });
    values.push({ x: x[i], value: dydx[i], series: "dy/dx = 30x² (tsgrad)" });
  }
  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: "y = 10x³ and its derivative from grad(sum(map(x, ...)))",
    width: 560,
    height: 340,
    data: { values },
    mark: { type: "line", strokeWidth: 2 },
    encoding: {
      x: { field: "x", type: "quantitative", title: "x" },
      y: { field: "value", type: "quantitative", title: null },
      color: { field: "series", type: "nominal", title: null, legend: { orient: "top-left", labelLimit: 0 } },
    },
  };
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: "none" });
  writeFileSync(file, await view.toSVG());
  view.finalize();
}
