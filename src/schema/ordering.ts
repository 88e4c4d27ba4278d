import { builder } from './builder.js';

const OrderField = builder.enumType('OrderField', {
  description: 'What a list is ordered by.',
  values: {
    NAME: { description: 'The name, ignoring case and accents, with numbers by value ("item 2" before "item 10").' },
    CREATED_AT: { description: 'When the item was created; items without the date come first in ASC.' },
    UPDATED_AT: { description: 'When the item last changed; items without the date come first in ASC.' },
  } as const,
});

const OrderDirection = builder.enumType('OrderDirection', {
  description: 'Which way a list is ordered.',
  values: {
    ASC: { description: 'Ascending: A to Z, oldest first.' },
    DESC: { description: 'Descending: Z to A, newest first.' },
  } as const,
});

// The `orderBy` argument of lists (ties are broken by viewneo id); referred to by name.
builder.inputType('ListOrder', {
  description: 'Order of a list; names compare case-insensitively with numbers by value ("item 2" before "item 10").',
  fields: (t) => ({
    field: t.field({ type: OrderField, required: true, description: 'What to order by.' }),
    direction: t.field({ type: OrderDirection, defaultValue: 'ASC', description: 'Which way; ascending by default.' }),
  }),
});
