// A local module that re-exports tsgrad: files importing grad from here never
// mention "tsgrad", and the plugin must still find their grad calls.
export { grad, valueAndGrad } from "tsgrad";
