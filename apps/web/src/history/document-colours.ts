import { createContext, useContext } from 'react';

/** Someone whose colour is shown in a document: their id and the colour of their account. */
export interface ColouredPerson {
  readonly userId: string;
  readonly color: string;
}

/** The colour to show for `userId` in this document, given their account's colour. */
export type ColourOf = (userId: string, accountColour: string) => string;

/** Two colours closer than this (RGB distance) read as the same one beside each other. */
const TOO_CLOSE = 60;
/** Hue step between candidates: the golden angle spreads any number of them around the wheel. */
const GOLDEN_ANGLE = 137.508;
const MAX_CANDIDATES = 240;
/** Lightness of the candidates, in turn: dark enough to read as text underlines on white. */
const LIGHTNESS = [0.4, 0.3, 0.5, 0.35] as const;

/**
 * Colours that tell a document's members apart. Account colours come from a
 * hash of the email over twelve colours, so two members often share one.
 * The members are taken in user id order; each keeps their account colour
 * unless an earlier one already shows it (or one too close to it), and
 * then gets the first of a fixed sequence of hues, starting from their own,
 * that is free. The result depends only on the members, never on who is
 * online or in which order they arrived, so every client of the document
 * shows the same colours, and a new member never changes anyone else's.
 */
export function distinctColours(members: readonly ColouredPerson[]): ReadonlyMap<string, string> {
  const byId = new Map<string, string>();
  for (const m of members) if (!byId.has(m.userId)) byId.set(m.userId, m.color);
  const taken: Rgb[] = [];
  const colours = new Map<string, string>();
  for (const userId of [...byId.keys()].sort()) {
    const colour = freeColour(byId.get(userId) ?? '', taken);
    taken.push(rgbOf(colour) ?? [0, 0, 0]);
    colours.set(userId, colour);
  }
  return colours;
}

/** Members get their distinct colour; anyone else (a former member in the history) keeps theirs. */
export function colourLookup(colours: ReadonlyMap<string, string>): ColourOf {
  return (userId, accountColour) => colours.get(userId) ?? accountColour;
}

/** The document's colours, for the history's highlights, lists and legends below the editor page. */
export const DocumentColoursContext = createContext<ColourOf>((_, accountColour) => accountColour);

export function useDocumentColour(): ColourOf {
  return useContext(DocumentColoursContext);
}

type Rgb = readonly [number, number, number];

function freeColour(own: string, taken: readonly Rgb[]): string {
  const rgb = rgbOf(own);
  if (!rgb) return own;
  const nearest = (c: Rgb) => Math.min(Number.POSITIVE_INFINITY, ...taken.map((t) => distance(c, t)));
  if (nearest(rgb) >= TOO_CLOSE) return own.toLowerCase();
  // With very many members no candidate may be far enough: the one farthest from the others then.
  let best: { colour: Rgb; gap: number } = { colour: rgb, gap: nearest(rgb) };
  const start = hueOf(rgb);
  for (let k = 1; k <= MAX_CANDIDATES; k++) {
    // Saturated and dark, like the account palette.
    const candidate = hslToRgb((start + k * GOLDEN_ANGLE) % 360, 0.75, LIGHTNESS[k % LIGHTNESS.length]);
    const gap = nearest(candidate);
    if (gap >= TOO_CLOSE) return hexOf(candidate);
    if (gap > best.gap) best = { colour: candidate, gap };
  }
  return hexOf(best.colour);
}

function rgbOf(colour: string): Rgb | null {
  const hex = /^#([0-9a-f]{6})$/i.exec(colour)?.[1];
  if (!hex) return null;
  const n = parseInt(hex, 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function hexOf([r, g, b]: Rgb): string {
  return `#${[r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}

function distance(a: Rgb, b: Rgb): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}

function hueOf([r, g, b]: Rgb): number {
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  if (max === min) return 0;
  const d = max - min;
  const h = max === r ? ((g - b) / d) % 6 : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
  return (h * 60 + 360) % 360;
}

function hslToRgb(h: number, s: number, l: number): Rgb {
  const c = (1 - Math.abs(2 * l - 1)) * s;
  const x = c * (1 - Math.abs(((h / 60) % 2) - 1));
  const m = l - c / 2;
  const [r, g, b] =
    h < 60
      ? [c, x, 0]
      : h < 120
        ? [x, c, 0]
        : h < 180
          ? [0, c, x]
          : h < 240
            ? [0, x, c]
            : h < 300
              ? [x, 0, c]
              : [c, 0, x];
  return [r, g, b].map((v) => Math.round((v + m) * 255)) as unknown as Rgb;
}
