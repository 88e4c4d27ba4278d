/**
 * @generated SignedSource<<c64beedb9bce88827f45164df57f778c>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ConcreteRequest } from 'relay-runtime';
import { FragmentRefs } from "relay-runtime";
export type documentsPlaylistRefetchQuery$variables = {
  id: string;
};
export type documentsPlaylistRefetchQuery$data = {
  readonly node: {
    readonly " $fragmentSpreads": FragmentRefs<"documents_playlist">;
  } | null | undefined;
};
export type documentsPlaylistRefetchQuery = {
  response: documentsPlaylistRefetchQuery$data;
  variables: documentsPlaylistRefetchQuery$variables;
};

const node: ConcreteRequest = (function(){
var v0 = [
  {
    "defaultValue": null,
    "kind": "LocalArgument",
    "name": "id"
  }
],
v1 = [
  {
    "kind": "Variable",
    "name": "id",
    "variableName": "id"
  }
];
return {
  "fragment": {
    "argumentDefinitions": (v0/*:: as any*/),
    "kind": "Fragment",
    "metadata": null,
    "name": "documentsPlaylistRefetchQuery",
    "selections": [
      {
        "alias": null,
        "args": (v1/*:: as any*/),
        "concreteType": null,
        "kind": "LinkedField",
        "name": "node",
        "plural": false,
        "selections": [
          {
            "args": null,
            "kind": "FragmentSpread",
            "name": "documents_playlist"
          }
        ],
        "storageKey": null
      }
    ],
    "type": "Query",
    "abstractKey": null
  },
  "kind": "Request",
  "operation": {
    "argumentDefinitions": (v0/*:: as any*/),
    "kind": "Operation",
    "name": "documentsPlaylistRefetchQuery",
    "selections": [
      {
        "alias": null,
        "args": (v1/*:: as any*/),
        "concreteType": null,
        "kind": "LinkedField",
        "name": "node",
        "plural": false,
        "selections": [
          {
            "alias": null,
            "args": null,
            "kind": "ScalarField",
            "name": "__typename",
            "storageKey": null
          },
          {
            "alias": null,
            "args": null,
            "kind": "ScalarField",
            "name": "id",
            "storageKey": null
          },
          {
            "kind": "InlineFragment",
            "selections": [
              {
                "alias": null,
                "args": null,
                "kind": "ScalarField",
                "name": "viewneoId",
                "storageKey": null
              },
              {
                "alias": null,
                "args": null,
                "kind": "ScalarField",
                "name": "name",
                "storageKey": null
              },
              {
                "alias": null,
                "args": null,
                "kind": "ScalarField",
                "name": "comment",
                "storageKey": null
              }
            ],
            "type": "Playlist",
            "abstractKey": null
          }
        ],
        "storageKey": null
      }
    ]
  },
  "params": {
    "cacheID": "d89c732d7ecbea52eb9bec4cde10f163",
    "id": null,
    "metadata": {},
    "name": "documentsPlaylistRefetchQuery",
    "operationKind": "query",
    "text": "query documentsPlaylistRefetchQuery(\n  $id: ID!\n) {\n  node(id: $id) {\n    __typename\n    ...documents_playlist\n    id\n  }\n}\n\nfragment documents_playlist on Playlist {\n  id\n  viewneoId\n  name\n  comment\n}\n"
  }
};
})();

(node as any).hash = "7f38edce80e0b2af43a9a130fa438258";

export default node;
