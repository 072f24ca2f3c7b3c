import { DOC_ID, USER_ID, expectAccepted, expectRejected } from '../../test/expect-parse';
import { CreateDocumentRequest, DocumentList, DocumentSummary, RenameDocumentRequest } from './documents.dto';

describe('document DTOs', () => {
  it('trims titles and bounds them to 1..200 characters', () => {
    expect(expectAccepted(CreateDocumentRequest, { title: '  Plan  ' })).toEqual({ title: 'Plan' });
    expectAccepted(RenameDocumentRequest, { title: 'x'.repeat(200) });
    expectAccepted(RenameDocumentRequest, { title: ` ${'x'.repeat(200)} ` });
    expectRejected(RenameDocumentRequest, { title: 'x'.repeat(201) }, { path: 'title' });
    expectRejected(CreateDocumentRequest, { title: '   ' }, { path: 'title' });
    expectRejected(CreateDocumentRequest, { title: 'a\nb' }, { path: 'title' });
    expectRejected(CreateDocumentRequest, {}, { path: 'title' });
    expectRejected(CreateDocumentRequest, { title: 7 }, { path: 'title' });
    expectRejected(CreateDocumentRequest, { title: 'x', ownerId: USER_ID }, { path: '(root)' });
  });

  it('describes a document in a list', () => {
    const summary = {
      id: DOC_ID,
      title: 'Plan',
      role: 'owner',
      ownerId: USER_ID,
      headVersion: 120,
      updatedAt: '2025-03-01T10:00:00.000Z',
      collaborators: [{ userId: USER_ID, name: 'Ada', color: '#102030' }],
    };
    expectAccepted(DocumentList, { documents: [summary] });
    expectAccepted(DocumentSummary, { ...summary, updatedAt: '2025-03-01T10:00:00+02:00' });
    expectRejected(DocumentSummary, { ...summary, updatedAt: 'yesterday' }, { path: 'updatedAt' });
    expectRejected(DocumentSummary, { ...summary, headVersion: -1 }, { path: 'headVersion' });
    expectRejected(DocumentSummary, { ...summary, role: 'admin' }, { path: 'role' });
  });
});
