/**
 * @generated SignedSource<<3febed86f58ff9d927729f08ab9a687f>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ConcreteRequest } from 'relay-runtime';
import { FragmentRefs } from "relay-runtime";
export type CreatePlaylistInput = {
  comment?: string | null | undefined;
  name: string;
};
export type documentsCreatePlaylistMutation$variables = {
  connections: ReadonlyArray<string>;
  input: CreatePlaylistInput;
};
export type documentsCreatePlaylistMutation$data = {
  readonly createPlaylist: {
    readonly id: string;
    readonly " $fragmentSpreads": FragmentRefs<"documents_playlist">;
  };
};
export type documentsCreatePlaylistMutation = {
  response: documentsCreatePlaylistMutation$data;
  variables: documentsCreatePlaylistMutation$variables;
};

const node: ConcreteRequest = (function(){
var v0 = {
  "defaultValue": null,
  "kind": "LocalArgument",
  "name": "connections"
},
v1 = {
  "defaultValue": null,
  "kind": "LocalArgument",
  "name": "input"
},
v2 = [
  {
    "kind": "Variable",
    "name": "input",
    "variableName": "input"
  }
],
v3 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "id",
  "storageKey": null
};
return {
  "fragment": {
    "argumentDefinitions": [
      (v0/*:: as any*/),
      (v1/*:: as any*/)
    ],
    "kind": "Fragment",
    "metadata": null,
    "name": "documentsCreatePlaylistMutation",
    "selections": [
      {
        "alias": null,
        "args": (v2/*:: as any*/),
        "concreteType": "Playlist",
        "kind": "LinkedField",
        "name": "createPlaylist",
        "plural": false,
        "selections": [
          (v3/*:: as any*/),
          {
            "args": null,
            "kind": "FragmentSpread",
            "name": "documents_playlist"
          }
        ],
        "storageKey": null
      }
    ],
    "type": "Mutation",
    "abstractKey": null
  },
  "kind": "Request",
  "operation": {
    "argumentDefinitions": [
      (v1/*:: as any*/),
      (v0/*:: as any*/)
    ],
    "kind": "Operation",
    "name": "documentsCreatePlaylistMutation",
    "selections": [
      {
        "alias": null,
        "args": (v2/*:: as any*/),
        "concreteType": "Playlist",
        "kind": "LinkedField",
        "name": "createPlaylist",
        "plural": false,
        "selections": [
          (v3/*:: as any*/),
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
        "storageKey": null
      },
      {
        "alias": null,
        "args": (v2/*:: as any*/),
        "filters": null,
        "handle": "appendNode",
        "key": "",
        "kind": "LinkedHandle",
        "name": "createPlaylist",
        "handleArgs": [
          {
            "kind": "Variable",
            "name": "connections",
            "variableName": "connections"
          },
          {
            "kind": "Literal",
            "name": "edgeTypeName",
            "value": "PlaylistEdge"
          }
        ]
      }
    ]
  },
  "params": {
    "cacheID": "970c32cebec3a59d64177360447c2f19",
    "id": null,
    "metadata": {},
    "name": "documentsCreatePlaylistMutation",
    "operationKind": "mutation",
    "text": "mutation documentsCreatePlaylistMutation(\n  $input: CreatePlaylistInput!\n) {\n  createPlaylist(input: $input) {\n    id\n    ...documents_playlist\n  }\n}\n\nfragment documents_playlist on Playlist {\n  id\n  viewneoId\n  name\n  comment\n}\n"
  }
};
})();

(node as any).hash = "f930de23dbfe5e24b7c4ea7b458dbd83";

export default node;
