/**
 * @generated SignedSource<<ffce428eabe58be712952b6854818526>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ReaderFragment } from 'relay-runtime';
import { FragmentRefs } from "relay-runtime";
export type documents_playlist$data = {
  readonly comment: string | null | undefined;
  readonly id: string;
  readonly name: string;
  readonly viewneoId: number;
  readonly " $fragmentType": "documents_playlist";
};
export type documents_playlist$key = {
  readonly " $data"?: documents_playlist$data;
  readonly " $fragmentSpreads": FragmentRefs<"documents_playlist">;
};

import documentsPlaylistRefetchQuery_graphql from './documentsPlaylistRefetchQuery.graphql';

const node: ReaderFragment = {
  "argumentDefinitions": [],
  "kind": "Fragment",
  "metadata": {
    "refetch": {
      "connection": null,
      "fragmentPathInResult": [
        "node"
      ],
      "operation": documentsPlaylistRefetchQuery_graphql,
      "identifierInfo": {
        "identifierField": "id",
        "identifierQueryVariableName": "id"
      }
    }
  },
  "name": "documents_playlist",
  "selections": [
    {
      "alias": null,
      "args": null,
      "kind": "ScalarField",
      "name": "id",
      "storageKey": null
    },
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
};

(node as any).hash = "7f38edce80e0b2af43a9a130fa438258";

export default node;
