import { builder } from './builder.js';
import { hasTypename, numericLocalId } from './ids.js';

builder.node('Website', {
  description: 'The web page a WEBSITE media file shows.',
  id: { resolve: (w) => w.id, parse: numericLocalId },
  loadOne: (id, ctx) => ctx.viewneo.website(id),
  isTypeOf: hasTypename('Website'),
  fields: (t) => ({
    viewneoId: t.exposeInt('id', { description: "viewneo's own integer id." }),
    url: t.exposeString('url'),
    headerNames: t.stringList({
      description: 'Names of the request headers viewneo sends when it fetches the page. Values are hidden: they may be secrets.',
      resolve: (site) => Object.keys(site.headers),
    }),
    headersWithValues: t.field({
      type: 'JSON',
      description: 'The headers with their values (which may be credentials). Ask for this only where you must.',
      resolve: (site) => site.headers,
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', nullable: true }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', nullable: true }),
  }),
});
