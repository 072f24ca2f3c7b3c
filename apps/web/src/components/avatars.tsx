/** Someone shown as a coloured circle with their initials (name on hover). */
export interface Person {
  readonly id: string;
  readonly name: string;
  readonly color: string;
}

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0], parts[parts.length - 1]] : parts;
  return letters.map((p) => Array.from(p)[0]?.toUpperCase() ?? '').join('') || '?';
}

export function Avatars({ people, max = 5 }: { people: readonly Person[]; max?: number }) {
  const shown = people.slice(0, max);
  const more = people.length - shown.length;
  return (
    <span className="avatars">
      {shown.map((p) => (
        <span
          key={p.id}
          className="avatar"
          style={{ background: p.color }}
          title={p.name}
          aria-label={p.name}
        >
          {initials(p.name)}
        </span>
      ))}
      {more > 0 && <span className="avatar more">+{more}</span>}
    </span>
  );
}
