/** The activation a work row names, as an event field (absent for rows from before activations). */
export function activationOf(row: { activationId?: string | null }): { activationId?: string } {
  return row.activationId ? { activationId: row.activationId } : {};
}
