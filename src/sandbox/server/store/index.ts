export { accountKey } from './account-store.js';
export { type PersistentHub, openPersistentHub } from './persistent-hub.js';
