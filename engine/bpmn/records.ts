/** Safe lookups in id-keyed records, whose keys come from user XML ('constructor', 'toString', …). */

/** The record's own entry for a key, never one inherited from Object.prototype. */
export function own<T>(record: Record<string, T>, key: string | null | undefined): T | undefined {
  return key != null && Object.hasOwn(record, key) ? record[key] : undefined;
}

/** True for ids that cannot be record keys: '__proto__' would replace the record's prototype. */
export function isUnsafeKey(id: string): boolean {
  return id === '__proto__';
}
