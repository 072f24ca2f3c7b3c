import { databaseUrlProblems, redactDatabaseUrl } from './database-url';

describe('databaseUrlProblems', () => {
  it('accepts postgres and postgresql URLs that name a database', () => {
    expect(databaseUrlProblems('postgres://u:p@localhost:5432/collab')).toEqual([]);
    expect(databaseUrlProblems('postgresql://localhost/collab?sslmode=require')).toEqual([]);
  });

  it('lists every problem', () => {
    expect(databaseUrlProblems(undefined)).toEqual([expect.stringMatching(/not set/)]);
    expect(databaseUrlProblems('  ')).toEqual([expect.stringMatching(/not set/)]);
    expect(databaseUrlProblems('localhost:5432')).toEqual([expect.stringMatching(/protocol "localhost:"/)]);
    expect(databaseUrlProblems('nope')).toEqual([expect.stringMatching(/not a URL/)]);
    expect(databaseUrlProblems('mysql://localhost')).toEqual([
      expect.stringMatching(/protocol "mysql:"/),
      expect.stringMatching(/names no database/),
    ]);
  });

  it('never repeats a password', () => {
    expect(redactDatabaseUrl('postgres://u:secret@h/db')).toBe('postgres://u:***@h/db');
    expect(redactDatabaseUrl('postgres://u@h/db')).toBe('postgres://u@h/db');
  });
});
