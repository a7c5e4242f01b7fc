/** Whether an error means the database cannot answer now (down, frozen, overloaded), not that the request is wrong. */
const CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  '57014', // query_canceled: statement_timeout
  '57P01',
  '57P02',
  '57P03', // admin shutdown, crash shutdown, cannot connect now
  '53300', // too many connections
  '08000',
  '08001',
  '08003',
  '08004',
  '08006', // connection exceptions
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
]);
const MESSAGES = [
  /Query read timeout/i,
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /Knex: Timeout acquiring a connection/i,
];

export function isDatabaseUnavailable(error: unknown): boolean {
  const err = error as { name?: unknown; code?: unknown; message?: unknown } | null;
  if (!err || typeof err !== 'object') return false;
  if (err.name === 'KnexTimeoutError') return true;
  if (typeof err.code === 'string' && CODES.has(err.code)) return true;
  return typeof err.message === 'string' && MESSAGES.some((m) => m.test(err.message as string));
}
