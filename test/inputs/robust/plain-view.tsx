// JSX without transform calls.

export function List(props: { items: string[] }) {
  return (
    <ul className="list">
      {props.items.map((item, i) => (
        <li key={i}>{item}</li>
      ))}
      <>fragment</>
    </ul>
  );
}
