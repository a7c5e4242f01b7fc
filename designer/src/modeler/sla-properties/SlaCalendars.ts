/** The business calendar ids the SLA group offers: read once from GET /api/calendars, with built-in fallbacks. */

const FALLBACK = ['default', '24x7'];

export default class SlaCalendars {
  static $inject = ['config.svcflow'];

  private known: string[] = FALLBACK;

  constructor(config: { calendars?: () => Promise<string[]> } | undefined) {
    config
      ?.calendars?.()
      .then((ids) => {
        if (ids.length > 0) this.known = ids;
      })
      .catch(() => undefined);
  }

  ids(): string[] {
    return this.known;
  }
}
