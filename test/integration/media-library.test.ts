import { afterEach, describe, expect, it } from 'vitest';
import { ALICE_INTRANET_SECRET } from '../../src/sandbox/seed.js';
import { encodeGlobalId } from '../../src/schema/ids.js';
import { ALICE, BOB, useHarness } from '../support/harness.js';
import { WEBSITE_API_KEY } from '../support/secrets.js';

const ids = (answer: any, field = 'mediaFiles') => answer.data[field].edges.map((e: any) => e.node.viewneoId);
const CREATE_TEMPLATE = 'mutation($input: CreateTemplateInput!) { createTemplate(input: $input) { elements { drawable } } }';
const UPDATE_TEMPLATE = 'mutation($input: CreateTemplateInput!) { updateTemplate(id: 3002, input: $input) { elements { drawable } } }';

describe('media library reads', () => {
  const h = useHarness({ CACHE_TTL_MS: '60000' });

  it('exposes thumbnails, attachable ids, templates and websites by kind', async () => {
    const answer = await h.gql(`{
      website: mediaFile(id: 2003) { kind attachableId thumbnail { hash extension mimeType } website { url headerNames } template { id } }
      template: mediaFile(id: 2004) { kind template { viewneoId name } website { url } }
      folder: mediaFile(id: 2001) { kind thumbnail { hash } }
    }`);
    expect(answer.errors).toBeUndefined();
    expect(answer.data.website).toMatchObject({
      kind: 'WEBSITE',
      attachableId: 5003,
      thumbnail: { extension: 'jpg', mimeType: 'image/jpeg' },
      website: { url: 'https://intranet.alice.example.com/dashboard', headerNames: ['Authorization'] },
      template: null,
    });
    expect(answer.data.template).toEqual({ kind: 'TEMPLATE', template: { viewneoId: 3001, name: expect.any(String) }, website: null });
    expect(answer.data.folder).toEqual({ kind: 'DIRECTORY', thumbnail: null });
  });

  it('hides website header values unless headersWithValues is asked for, and never logs them', async () => {
    const names = await h.gql('{ mediaFile(id: 2003) { website { headerNames } } }');
    expect(JSON.stringify(names)).not.toContain(ALICE_INTRANET_SECRET);
    const values = await h.gql('{ mediaFile(id: 2003) { website { headersWithValues } } }');
    expect(values.data.mediaFile.website.headersWithValues).toEqual({ Authorization: `Bearer ${ALICE_INTRANET_SECRET}` });
    expect(h.logs.join('')).not.toContain(ALICE_INTRANET_SECRET);
  });

  it("lists a folder's children and a file's folder path from the top down", async () => {
    const answer = await h.gql(`{
      mediaFile(id: 2003) { path { viewneoId } }
      folder: mediaFile(id: 2001) { children(first: 100) { totalCount edges { node { viewneoId parentDirectory { viewneoId } } } } }
      file: mediaFile(id: 2006) { children { totalCount } path { viewneoId } }
    }`);
    expect(answer.data.mediaFile.path.map((f: any) => f.viewneoId)).toEqual([2001, 2002]);
    const children = answer.data.folder.children;
    expect(children.totalCount).toBe(13);
    for (const edge of children.edges) expect(edge.node.parentDirectory.viewneoId).toBe(2001);
    expect(answer.data.file).toEqual({ children: { totalCount: 0 }, path: [] });
  });

  it('stops a folder path at a cycle in viewneo data', async () => {
    const folder = (id: number, parent: number) =>
      JSON.stringify({ id, name: `Loop ${id}`, status: 3, attachable_type: null, media_file_id_as_parent_directory: parent });
    h.sandbox.injectFault({ path: '/api/v1.0/mediafile/9001', kind: 'status', status: 200, body: folder(9001, 9002) });
    h.sandbox.injectFault({ path: '/api/v1.0/mediafile/9002', kind: 'status', status: 200, body: folder(9002, 9001) });
    try {
      const answer = await h.gql('{ mediaFile(id: 9001) { path { viewneoId } } }');
      expect(answer.data.mediaFile.path.map((f: any) => f.viewneoId)).toEqual([9002]);
    } finally {
      h.sandbox.clearFaults();
    }
  });

  it('filters and orders the cached list without further upstream calls', async () => {
    await h.gql('{ mediaFiles { totalCount } }');
    h.sandbox.resetRequests();
    const answer = await h.gql(`{
      top: mediaFiles(parentDirectoryId: "0", first: 100) { totalCount }
      inFolder: mediaFiles(parentDirectoryId: 2002, first: 100) { totalCount }
      folders: mediaFiles(kind: [DIRECTORY]) { edges { node { viewneoId } } }
      failed: mediaFiles(status: [ERROR, WAITING]) { edges { node { viewneoId } } }
      search: mediaFiles(search: "ALICE VIDEO", orderBy: { field: NAME, direction: DESC }, first: 3) { totalCount edges { node { viewneoId name } } }
      newest: mediaFiles(orderBy: { field: CREATED_AT, direction: DESC }, first: 1) { edges { node { viewneoId } } }
    }`);
    expect(answer.errors).toBeUndefined();
    expect(answer.data.top.totalCount).toBe(25);
    expect(answer.data.inFolder.totalCount).toBe(12);
    expect(ids(answer, 'folders')).toEqual([2001, 2002]);
    expect(ids(answer, 'failed')).toEqual([2010, 2030]);
    expect(answer.data.search.totalCount).toBe(9);
    const names = answer.data.search.edges.map((e: any) => e.node.name);
    expect(names).toEqual(['Alice video 50', 'Alice video 45', 'Alice video 40']);
    expect(h.sandbox.requests).toHaveLength(0);
  });

  it('searches and orders playlists', async () => {
    const answer = await h.gql(`{
      playlists(search: "playlist 1", orderBy: { field: NAME, direction: DESC }, first: 3) { totalCount edges { node { viewneoId } } }
    }`);
    expect(answer.data.playlists.totalCount).toBe(10);
    expect(ids(answer, 'playlists')).toEqual([1019, 1018, 1017]);
  });
});

describe('media library writes', () => {
  const h = useHarness({ CACHE_TTL_MS: '60000', MAX_UPLOAD_BYTES: '4096' });
  afterEach(() => h.sandbox.reset());

  const CREATE_WEBSITE = `mutation($input: CreateWebsiteInput!) { createWebsite(input: $input) { viewneoId name kind parentDirectory { viewneoId } website { url headerNames } } }`;

  it('creates a website with the documented JSON body and shows it in the next list read', async () => {
    await h.gql('{ folder: mediaFile(id: 2001) { children { totalCount } } }');
    const answer = await h.gql(CREATE_WEBSITE, {
      input: {
        name: 'Menu board',
        url: 'https://menu.example.com/today',
        parentDirectoryId: '2001',
        headers: { 'X-Api-Key': WEBSITE_API_KEY },
      },
    });
    expect(answer.errors).toBeUndefined();
    expect(answer.data.createWebsite).toMatchObject({
      name: 'Menu board',
      kind: 'WEBSITE',
      parentDirectory: { viewneoId: 2001 },
      website: { url: 'https://menu.example.com/today', headerNames: ['X-Api-Key'] },
    });
    const post = h.sandbox.requests.find((r) => r.method === 'POST');
    expect(post?.body).toEqual({
      name: 'Menu board',
      media_file_id_as_parent_directory: 2001,
      url: 'https://menu.example.com/today',
      header: `{"X-Api-Key":"${WEBSITE_API_KEY}"}`,
    });
    const after = await h.gql('{ folder: mediaFile(id: 2001) { children { totalCount } } }');
    expect(after.data.folder.children.totalCount).toBe(14);
    expect(h.logs.join('')).not.toContain(WEBSITE_API_KEY);
  });

  it.each([
    ['a non-http URL', { name: 'x', url: 'ftp://example.com/file' }],
    ['a relative URL', { name: 'x', url: '/menu' }],
    ['headers that are not strings', { name: 'x', url: 'https://a.example', headers: { 'X-A': 1 } }],
    ['a header name with spaces', { name: 'x', url: 'https://a.example', headers: { 'X A': 'v' } }],
    ['a parent that is not a folder', { name: 'x', url: 'https://a.example', parentDirectoryId: '2006' }],
  ])('refuses a website with %s before writing', async (_what, input) => {
    const answer = await h.gql(CREATE_WEBSITE, { input });
    expect(answer.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(h.sandbox.countRequests({ method: 'POST' })).toBe(0);
  });

  it("leaves another token's cached media list alone", async () => {
    const before = await h.gql('{ mediaFiles { totalCount } }', {}, BOB);
    await h.gql(CREATE_WEBSITE, { input: { name: 'A', url: 'https://a.example' } }, ALICE);
    h.sandbox.resetRequests();
    expect(await h.gql('{ mediaFiles { totalCount } }', {}, BOB)).toEqual(before);
    expect(h.sandbox.requests).toHaveLength(0);
  });

  async function upload(bytes: number, variables: Record<string, unknown> = {}) {
    const form = new FormData();
    form.set(
      'operations',
      JSON.stringify({
        query:
          'mutation($file: File!, $parent: ID, $name: String) { uploadMediaFile(file: $file, parentDirectoryId: $parent, name: $name) { viewneoId name kind status } }',
        variables: { file: null, ...variables },
      }),
    );
    form.set('map', JSON.stringify({ 0: ['variables.file'] }));
    form.set('0', new Blob([new Uint8Array(bytes).fill(7)], { type: 'image/png' }), 'poster.png');
    const response = await fetch(h.url, {
      method: 'POST',
      body: form,
      headers: { authorization: `Bearer ${ALICE}`, 'graphql-require-preflight': '1' },
    });
    return { status: response.status, body: (await response.json()) as any };
  }

  it('uploads a file as multipart/form-data with the documented fields', async () => {
    await h.gql('{ mediaFiles { totalCount } }');
    const { body } = await upload(3000, { parent: '2002', name: 'lobby.png' });
    expect(body.errors).toBeUndefined();
    expect(body.data.uploadMediaFile).toMatchObject({ name: 'lobby.png', kind: 'PHYSICAL_FILE', status: 'WAITING' });
    const post = h.sandbox.requests.find((r) => r.method === 'POST');
    expect(post?.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(post?.body).toEqual({
      fields: { media_file_id_as_parent_directory: '2002' },
      file: { name: 'lobby.png', type: 'image/png', size: 3000 },
    });
    const after = await h.gql('{ mediaFiles { totalCount } }');
    expect(after.data.mediaFiles.totalCount).toBe(51);
  });

  it('refuses a file over MAX_UPLOAD_BYTES without sending anything upstream', async () => {
    const { status, body } = await upload(5000);
    expect(status).toBe(413);
    expect(body.errors[0]).toMatchObject({
      message: 'File size limit exceeded: 4096 bytes',
      extensions: { code: 'REQUEST_ENTITY_TOO_LARGE' },
    });
    expect(h.sandbox.countRequests({ method: 'POST' })).toBe(0);
  });

  it('creates a template with its elements', async () => {
    await h.gql('{ templates { totalCount } }');
    const answer = await h.gql(
      `mutation($input: CreateTemplateInput!) { createTemplate(input: $input) { viewneoId name backgroundColor elements { name drawableType drawable } } }`,
      {
        input: {
          name: 'Promo',
          backgroundColor: '#112233',
          elements: [
            { name: 'Headline', text: 'Sale!', x: 10, y: 20 },
            { name: 'Picture', mediaFileId: 2007 },
          ],
        },
      },
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data.createTemplate.elements).toEqual([
      { name: 'Headline', drawableType: 'TextElement', drawable: { text: 'Sale!' } },
      { name: 'Picture', drawableType: 'MediaFile', drawable: { id: 2007 } },
    ]);
    const body = h.sandbox.requests.find((r) => r.method === 'POST')?.body as any;
    expect(body.template).toMatchObject({ name: 'Promo', background_color: '#112233', text_direction: 0 });
    expect(body.template.template_elements[0]).toMatchObject({
      name: 'Headline',
      drawable_type: 'TextElement',
      x: 10,
      y: 20,
      is_inactive: 0,
    });
    expect((await h.gql('{ templates { totalCount } }')).data.templates.totalCount).toBe(4);
  });

  it('refuses a template element with both or neither of text and mediaFileId', async () => {
    const answer = await h.gql('mutation { createTemplate(input: { name: "x", elements: [{ name: "a" }] }) { name } }');
    expect(answer.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(h.sandbox.countRequests({ method: 'POST' })).toBe(0);
  });

  it.each([
    ['a MediaFile global id', encodeGlobalId('MediaFile', 2007)],
    ['a plain viewneo id', '2007'],
  ])('creates and updates a template whose media element names its file by %s', async (_how, mediaFileId) => {
    const input = { name: 'Promo', elements: [{ name: 'Picture', mediaFileId }] };
    const created = await h.gql(CREATE_TEMPLATE, { input });
    expect(created.errors).toBeUndefined();
    expect(created.data.createTemplate.elements).toEqual([{ drawable: { id: 2007 } }]);
    const updated = await h.gql(UPDATE_TEMPLATE, { input });
    expect(updated.errors).toBeUndefined();
    expect(updated.data.updateTemplate.elements).toEqual([{ drawable: { id: 2007 } }]);
    const sent = h.sandbox.requests.map((r) => [r.method, (r.body as any)?.template?.template_elements?.[0]?.drawable]);
    expect(sent).toEqual([
      ['POST', { id: 2007 }],
      ['PUT', { id: 2007 }],
    ]);
  });

  it.each([
    ['a word', 'picture'],
    ['zero', '0'],
    ['a negative number', '-7'],
    ['a Playlist global id', encodeGlobalId('Playlist', 1001)],
    ['a global id of a type the gateway does not have', Buffer.from('Screen:2007').toString('base64')],
  ])("refuses %s as a media element's mediaFileId, naming its path, before any upstream call", async (_how, mediaFileId) => {
    const input = {
      name: 'Promo',
      elements: [
        { name: 'Headline', text: 'Sale!' },
        { name: 'Picture', mediaFileId },
      ],
    };
    for (const mutation of [CREATE_TEMPLATE, UPDATE_TEMPLATE]) {
      const answer = await h.gql(mutation, { input });
      expect(answer.errors?.map((e) => [e.extensions?.code, e.extensions?.argument])).toEqual([
        ['BAD_USER_INPUT', 'input.elements.1.mediaFileId'],
      ]);
    }
    expect(h.sandbox.requests).toEqual([]);
  });

  it('creates content from a template with texts for its text elements', async () => {
    const answer = await h.gql(`mutation {
      createContentFromTemplate(templateId: 3001, parentDirectoryId: 2001, name: "Today", texts: [{ element: "Headline", text: "Hello" }]) { name kind }
    }`);
    expect(answer.data.createContentFromTemplate).toEqual({ name: 'Today', kind: 'CONTENT' });
    expect(h.sandbox.requests.find((r) => r.method === 'POST')?.body).toEqual({
      media_file_id_as_parent_directory: 2001,
      name: 'Today',
      template: { id: 3001, template_elements: [{ name: 'Headline', drawable: { text: 'Hello' } }] },
    });
  });

  it('refuses texts for elements the template does not have, and unknown templates', async () => {
    const unknownElement = await h.gql(
      'mutation { createContentFromTemplate(templateId: 3001, texts: [{ element: "Nope", text: "x" }]) { name } }',
    );
    expect(unknownElement.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const unknownTemplate = await h.gql('mutation { createContentFromTemplate(templateId: 3999) { name } }');
    expect(unknownTemplate.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(h.sandbox.countRequests({ method: 'POST' })).toBe(0);
  });
});
