// JSX with a transform call in the same file.
import { grad } from "tsgrad";


const square = (x: number): number => x * x;
export const slope = grad(square)(3);

export function Label(props: { value: number }) {
  const local = grad((v: number) => v * props.value)(1);
  return <span title="slope">{props.value + local}</span>;
}

export const element = <Label value={slope} />;
