export { ACCOUNT_DOCUMENT_VERSION, type AccountDocument, decodeAccountDocument, encodeAccountDocument } from './account-document.js';
export { AccountStore, type AccountStoreOptions, accountKey } from './account-store.js';
export {
  type HubPersistence,
  type PersistenceOptions,
  type PersistentHub,
  type PersistentHubOptions,
  openPersistentHub,
  persistHub,
} from './persistent-hub.js';
