export type { AuditEntry, AuditKind, AuditRecord, StrangerRefusal } from './audit-entry.js';
export { AuditReader } from './audit-stream.js';
export { type AuditLog, AuditTrail, type AuditTrailOptions } from './audit-trail.js';
export { auditBus } from './bus-audit.js';
export { SECRET_MARK, scrubText } from './scrub.js';
