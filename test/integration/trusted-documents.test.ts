import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ALICE, useHarness } from '../support/harness.js';

const MAP = 'examples/client/gql/persisted-documents.json';
const documents = JSON.parse(readFileSync(MAP, 'utf8')) as Record<string, string>;
const [playlistsId, playlistsText] = Object.entries(documents).find(([, text]) => text.startsWith('query Playlists')) as [string, string];
const auth = { authorization: `Bearer ${ALICE}` };

describe('trusted documents only', () => {
  const h = useHarness({ PERSISTED_DOCUMENTS: MAP, PERSISTED_DOCUMENTS_ONLY: 'true' });

  it('runs a document named by documentId', async () => {
    const response = await h.post({ documentId: playlistsId, variables: { first: 2 } }, auth);
    expect(response.status).toBe(200);
    expect((await response.json()).data.playlists.edges).toHaveLength(2);
  });

  it("runs a document named by Apollo's persistedQuery hash", async () => {
    const sha256Hash = playlistsId.replace(/^sha256:/, '');
    const response = await h.post({ variables: { first: 1 }, extensions: { persistedQuery: { version: 1, sha256Hash } } }, auth);
    expect((await response.json()).data.playlists.edges).toHaveLength(1);
  });

  it('runs a document named by documentId over GET, with HTTP caching', async () => {
    const response = await fetch(`${h.url}?documentId=${encodeURIComponent(playlistsId)}&variables=${encodeURIComponent('{"first":1}')}`, {
      headers: auth,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('private, no-cache');
    expect((await response.json()).data.playlists.edges).toHaveLength(1);
  });

  it.each([
    ['a document text, even a trusted one', { query: playlistsText }, 'PERSISTED_DOCUMENTS_ONLY'],
    ['an unknown id', { documentId: 'sha256:0000' }, 'PERSISTED_DOCUMENT_NOT_FOUND'],
    ['neither a text nor an id', { variables: {} }, 'PERSISTED_DOCUMENT_ID_REQUIRED'],
  ])('refuses %s with a clear error', async (_name, body, code) => {
    const response = await h.post(body, auth);
    expect(response.status).toBe(400);
    expect((await response.json()).errors[0].extensions.code).toBe(code);
  });
});

describe('trusted documents beside others', () => {
  const h = useHarness({ PERSISTED_DOCUMENTS: MAP });

  it('runs both trusted documents by id and other documents outside production', async () => {
    const byId = await h.post({ documentId: playlistsId, variables: { first: 1 } }, auth);
    expect((await byId.json()).data.playlists.edges).toHaveLength(1);
    expect((await h.gql('{ playlist(id: 1001) { name } }')).data.playlist.name).toBe('Alice playlist 01');
  });
});
