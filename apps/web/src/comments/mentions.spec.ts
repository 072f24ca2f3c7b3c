import {
  insertMention,
  mentionedUserIds,
  mentionQueryAt,
  mentionSuggestions,
  splitMentions,
} from './mentions';

const ADA = { userId: 'u-ada', name: 'Ada' };
const ADA_L = { userId: 'u-adal', name: 'Ada Lovelace' };
const BO = { userId: 'u-bo', name: 'Bo Chen' };
const MEMBERS = [ADA, ADA_L, BO];

describe('mentionQueryAt', () => {
  it('finds the "@..." being typed at the caret', () => {
    expect(mentionQueryAt('hi @Ad', 6)).toEqual({ start: 3, query: 'Ad' });
    expect(mentionQueryAt('@', 1)).toEqual({ start: 0, query: '' });
    expect(mentionQueryAt('hi @Ada Lo', 10)).toEqual({ start: 3, query: 'Ada Lo' });
  });

  it('ignores an e-mail address, a finished line and text after the caret', () => {
    expect(mentionQueryAt('mail a@b.c', 10)).toBeNull();
    expect(mentionQueryAt('@Ada\nnext', 9)).toBeNull();
    expect(mentionQueryAt('@ x', 3)).toBeNull();
    expect(mentionQueryAt('no mention @Ad', 3)).toBeNull();
  });
});

describe('mentionSuggestions', () => {
  it('matches the start of the name or of any word, case-insensitively', () => {
    expect(mentionSuggestions(MEMBERS, 'ad')).toEqual([ADA, ADA_L]);
    expect(mentionSuggestions(MEMBERS, 'chen')).toEqual([BO]);
    expect(mentionSuggestions(MEMBERS, '')).toEqual(MEMBERS);
    expect(mentionSuggestions(MEMBERS, '', 1)).toEqual([ADA]);
  });
});

describe('insertMention', () => {
  it('replaces the query with the name and puts the caret after it', () => {
    expect(insertMention('hi @Ad and', 3, 6, 'Ada Lovelace')).toEqual({
      text: 'hi @Ada Lovelace  and',
      caret: 17,
    });
  });
});

describe('splitMentions and mentionedUserIds', () => {
  it('takes the longest member name at each "@", ending at a word end', () => {
    expect(splitMentions('@Ada Lovelace, see @Ada. @Adam?', MEMBERS)).toEqual([
      { text: '@Ada Lovelace', userId: 'u-adal' },
      { text: ', see ' },
      { text: '@Ada', userId: 'u-ada' },
      { text: '. @Adam?' },
    ]);
  });

  it('lists each mentioned member once, never the author, and no one for an e-mail address', () => {
    expect(mentionedUserIds('@bo chen and @Bo Chen, @Ada', MEMBERS, 'u-ada')).toEqual(['u-bo']);
    expect(mentionedUserIds('write to x@Ada', MEMBERS)).toEqual([]);
  });

  it('keeps HTML as plain text parts', () => {
    expect(splitMentions('<b>@Ada</b>', MEMBERS)).toEqual([{ text: '<b>@Ada</b>' }]);
    expect(splitMentions('<b> @Ada</b>', MEMBERS)).toEqual([
      { text: '<b> ' },
      { text: '@Ada', userId: 'u-ada' },
      { text: '</b>' },
    ]);
  });
});
