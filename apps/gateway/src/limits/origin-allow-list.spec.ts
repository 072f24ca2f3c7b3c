import { isAllowedOrigin } from './origin-allow-list';

const allowed = ['https://app.example.com', 'http://localhost:5173'];

describe('isAllowedOrigin', () => {
  it.each([
    ['https://app.example.com', true],
    ['https://APP.example.com:443', true],
    ['http://localhost:5173', true],
    [undefined, true],
    ['https://evil.example.com', false],
    ['https://app.example.com.evil.test', false],
    ['http://app.example.com', false],
    ['http://localhost:5174', false],
    ['null', false],
    ['', false],
    ['javascript:alert(1)', false],
  ])('%s -> %s', (origin, expected) => {
    expect(isAllowedOrigin(origin, allowed)).toBe(expected);
  });

  it('refuses every browser origin when the list is empty', () => {
    expect(isAllowedOrigin('https://app.example.com', [])).toBe(false);
    expect(isAllowedOrigin(undefined, [])).toBe(true);
  });
});
