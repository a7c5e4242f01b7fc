/** Fills form-js forms the way a person does: by the labels they read, with clicks and keys only. */
import type { Locator, Page } from 'playwright-core';

export class FormDriver {
  constructor(
    private readonly page: Page,
    private readonly root: Locator,
  ) {}

  async text(label: string, value: string): Promise<void> {
    await this.root.getByLabel(label).fill(value);
  }

  /** Picks an option of a select by the field's label and the option's label. */
  async choose(label: string, option: string): Promise<void> {
    const field = this.field(label);
    // a searchable select opens its list when it gets the focus (e.g. by Tab from the field before)
    if (!(await field.locator('.fjs-dropdownlist').isVisible())) await field.locator('.fjs-input-group').click();
    await field.locator('.fjs-dropdownlist-item', { hasText: option }).first().click();
  }

  /** Picks a radio option by the group's label and the option's label. */
  async radio(label: string, option: string): Promise<void> {
    await this.field(label).getByLabel(option).check();
  }

  async check(label: string): Promise<void> {
    await this.root.getByLabel(label).check();
  }

  /**
   * Types the browser's current date and minute into a date-time field's two pickers ("now"), the date in the
   * order the field asks for (its placeholder: mm/dd/yyyy in en-US, yyyy-mm-dd in Chinese).
   */
  async now(dateLabel: string, timeLabel: string): Promise<void> {
    const dateInput = this.root.getByLabel(dateLabel);
    const format = (await dateInput.getAttribute('placeholder')) ?? 'mm/dd/yyyy';
    const { date, time } = await this.page.evaluate((format) => {
      const now = new Date();
      const two = (n: number) => String(n).padStart(2, '0');
      return {
        date: format
          .replace('yyyy', String(now.getFullYear()))
          .replace('mm', two(now.getMonth() + 1))
          .replace('dd', two(now.getDate())),
        time: `${two(now.getHours())}:${two(now.getMinutes())}`,
      };
    }, format);
    await dateInput.click();
    await dateInput.fill(date);
    await dateInput.press('Enter');
    const timeInput = this.root.getByLabel(timeLabel);
    await timeInput.click();
    await timeInput.fill(time);
    await timeInput.press('Tab');
  }

  // helpers

  private field(label: string): Locator {
    return this.root
      .locator('.fjs-form-field', { has: this.page.locator('label, legend', { hasText: label }) })
      .first();
  }
}
