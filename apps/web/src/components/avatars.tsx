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

/**
 * Black or white, whichever reads better on `color` (a #rrggbb from the
 * server's palette), so initials keep WCAG AA contrast on every colour.
 */
export function textColorOn(color: string): string {
  const hex = /^#([0-9a-f]{6})$/i.exec(color)?.[1];
  if (!hex) return '#fff';
  const channel = (i: number) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4);
  // Contrast with white is 1.05 / (L + 0.05); with black (L + 0.05) / 0.05.
  return 1.05 / (luminance + 0.05) >= (luminance + 0.05) / 0.05 ? '#fff' : '#000';
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
          style={{ background: p.color, color: textColorOn(p.color) }}
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
