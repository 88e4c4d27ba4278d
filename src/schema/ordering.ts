import { builder } from './builder.js';

const OrderField = builder.enumType('OrderField', {
  description: 'What a list is ordered by.',
  values: ['NAME', 'CREATED_AT', 'UPDATED_AT'] as const,
});

const OrderDirection = builder.enumType('OrderDirection', { values: ['ASC', 'DESC'] as const });

// The `orderBy` argument of lists (ties are broken by viewneo id); referred to by name.
builder.inputType('ListOrder', {
  description: 'Order of a list; names compare case-insensitively with numbers by value ("item 2" before "item 10").',
  fields: (t) => ({
    field: t.field({ type: OrderField, required: true }),
    direction: t.field({ type: OrderDirection, defaultValue: 'ASC' }),
  }),
});
