import { ACCOUNT_COLORS } from '@collab/contracts';
import { colourLookup, distinctColours } from './document-colours';

/** The `i`th member's account colour: each colour of the palette in turn, so members share them. */
const accountColour = (i: number) => ACCOUNT_COLORS[i % ACCOUNT_COLORS.length];
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function rgb(colour: string): number[] {
  const n = parseInt(colour.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}
const apart = (a: string, b: string) => Math.hypot(...rgb(a).map((v, i) => v - rgb(b)[i])) >= 60;

describe('distinctColours', () => {
  it('keeps everyone’s colour when no two share one', () => {
    const colours = distinctColours([
      { userId: id(2), color: '#3CB44B' },
      { userId: id(1), color: '#e6194b' },
    ]);
    expect([...colours]).toEqual([
      [id(1), '#e6194b'],
      [id(2), '#3cb44b'],
    ]);
  });

  it('gives the later member by user id another colour, whatever order the members come in', () => {
    const ana = { userId: id(1), color: '#4363d8' };
    const bruno = { userId: id(2), color: '#4363d8' };
    const one = distinctColours([ana, bruno]);
    const other = distinctColours([bruno, ana]);
    expect(one).toEqual(other);
    expect(one.get(id(1))).toBe('#4363d8');
    expect(one.get(id(2))).toMatch(/^#[0-9a-f]{6}$/);
    expect(apart(one.get(id(1)) ?? '', one.get(id(2)) ?? '')).toBe(true);
  });

  it('keeps twenty-four members apart, every colour a valid hex, and each stable as members join', () => {
    const members = Array.from({ length: 24 }, (_, i) => ({ userId: id(i + 1), color: accountColour(i) }));
    const colours = distinctColours(members);
    const values = [...colours.values()];
    expect(values.every((c) => /^#[0-9a-f]{6}$/.test(c))).toBe(true);
    for (let i = 0; i < values.length; i++)
      for (let j = i + 1; j < values.length; j++) expect(apart(values[i], values[j])).toBe(true);
    // A member with a higher id joining changes nobody else's colour.
    const more = distinctColours([...members, { userId: id(99), color: ACCOUNT_COLORS[0] }]);
    for (const [userId, colour] of colours) expect(more.get(userId)).toBe(colour);
  });

  it('gives sixty members sixty different colours', () => {
    const members = Array.from({ length: 60 }, (_, i) => ({ userId: id(i + 1), color: accountColour(i) }));
    expect(new Set(distinctColours(members).values()).size).toBe(60);
  });

  it('leaves someone who is not a member with their account colour', () => {
    const of = colourLookup(distinctColours([{ userId: id(1), color: '#4363d8' }]));
    expect(of(id(1), '#000000')).toBe('#4363d8');
    expect(of(id(7), '#c71585')).toBe('#c71585');
  });

  it('keeps a colour it cannot read as it is', () => {
    expect(distinctColours([{ userId: id(1), color: 'teal' }]).get(id(1))).toBe('teal');
  });
});
