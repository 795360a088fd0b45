// Ambient declarations: functions without bodies.
declare function blackBox(x: number): number;

declare namespace Ambient {
  function scale(x: number): number;
  const factor: number;
}
