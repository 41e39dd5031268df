export type { AuditEntry, AuditRecord } from './audit-entry.js';
export { AuditReader } from './audit-stream.js';
export { AuditTrail } from './audit-trail.js';
export { auditBus } from './bus-audit.js';
export { scrubText } from './scrub.js';
