import * as mediaFiles from '../resolvers/media-files.js';
import { builder } from './builder.js';
import { hasTypename, numericLocalId, parseViewneoId } from './ids.js';

builder.node('Website', {
  description: 'The web page a WEBSITE media file shows.',
  id: { resolve: (w) => w.id, parse: numericLocalId },
  loadOne: (id, ctx) => ctx.viewneo.website(id),
  isTypeOf: hasTypename('Website'),
  fields: (t) => ({
    viewneoId: t.exposeInt('id', { description: 'Its own integer id in viewneo.' }),
    url: t.exposeString('url', { description: 'The absolute http(s) URL of the page.' }),
    headerNames: t.stringList({
      description: 'Names of the request headers viewneo sends when it fetches the page. Values are hidden: they may be secrets.',
      resolve: (site) => Object.keys(site.headers),
    }),
    headersWithValues: t.field({
      type: 'JSON',
      description:
        'The headers with their values (which may be credentials), as an object of names to strings; {} when there are none. Ask for this only where you must.',
      resolve: (site) => site.headers,
    }),
    createdAt: t.expose('createdAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When it was created; null when viewneo does not say.',
    }),
    updatedAt: t.expose('updatedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When it last changed; null when viewneo does not say.',
    }),
  }),
});

const UpdateWebsiteInput = builder.inputType('UpdateWebsiteInput', {
  description: "A website's new URL and, optionally, new request headers.",
  fields: (t) => ({
    url: t.string({ required: true, description: 'An absolute http(s) URL, at most 2048 characters.' }),
    headers: t.field({
      type: 'JSON',
      description: 'New request headers viewneo sends (names to string values), replacing the old ones; absent: kept. Write-only.',
    }),
  }),
});

builder.mutationField('updateWebsite', (t) =>
  t.field({
    type: 'Website',
    description:
      "Changes a website's URL and, when given, its request headers, and answers it; NOT_FOUND when viewneo has no such website.",
    args: {
      id: t.arg.id({ required: true, description: "The Website's global id, or its viewneo id (a WEBSITE media file's attachableId)." }),
      input: t.arg({ type: UpdateWebsiteInput, required: true, description: 'The new URL and headers.' }),
    },
    resolve: (_root, { id, input }, ctx) => mediaFiles.updateWebsite(ctx.viewneo, parseViewneoId(String(id), 'Website'), input),
  }),
);
