/** Small line icons for the toolbar, drawn with SVG so they look the same on every system font. */
const ALIGN_LINES: Record<'left' | 'center' | 'right' | 'justify', [number, number][]> = {
  left: [
    [2, 14],
    [2, 10],
    [2, 14],
    [2, 8],
  ],
  center: [
    [2, 14],
    [4, 12],
    [2, 14],
    [5, 11],
  ],
  right: [
    [2, 14],
    [6, 14],
    [2, 14],
    [8, 14],
  ],
  justify: [
    [2, 14],
    [2, 14],
    [2, 14],
    [2, 14],
  ],
};

export function AlignIcon({ align }: { align: keyof typeof ALIGN_LINES }) {
  return (
    <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true">
      {ALIGN_LINES[align].map(([x1, x2], i) => (
        <line
          key={i}
          x1={x1}
          x2={x2}
          y1={3 + i * 3.5}
          y2={3 + i * 3.5}
          stroke="currentColor"
          strokeWidth="1.6"
        />
      ))}
    </svg>
  );
}

export function LinkIcon() {
  return (
    <svg
      width="16"
      height="16"
      viewBox="0 0 16 16"
      aria-hidden="true"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.6"
    >
      <path d="M6.5 9.5l3-3" />
      <path d="M7 4.5l1.2-1.2a2.5 2.5 0 013.5 3.5L10.5 8" />
      <path d="M9 11.5l-1.2 1.2a2.5 2.5 0 01-3.5-3.5L5.5 8" />
    </svg>
  );
}

/** A speech bubble: comment on the selection. */
export function CommentIcon() {
  return (
    <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor">
      <path d="M2.5 3.5h11v7h-6l-3 2.5v-2.5h-2z" strokeWidth="1.4" strokeLinejoin="round" />
    </svg>
  );
}

/** A bell: the notifications inbox. */
export function BellIcon() {
  return (
    <svg width="18" height="18" viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor">
      <path
        d="M4 11.5V7a4 4 0 0 1 8 0v4.5l1.2 1.2H2.8zM6.5 14a1.6 1.6 0 0 0 3 0"
        strokeWidth="1.3"
        strokeLinejoin="round"
      />
    </svg>
  );
}
