/** Drives the designer like a user: palette, context pad, popup menu, properties panel, form editor. */
import { expect } from 'vitest';
import type { Locator, Page } from 'playwright-core';

export class DesignerDriver {
  constructor(readonly page: Page) {}

  shape(id: string): Locator {
    return this.page.locator(`.djs-shape[data-element-id="${id}"]`);
  }

  /** Creates an element from the palette at a point next to `nearId`; resolves with the new element's id. */
  async createFromPalette(action: string, nearId: string, dx: number, dy = 0): Promise<string> {
    const before = await this.shapeIds();
    const near = await this.box(nearId);
    const x = near.x + near.width / 2 + dx;
    const y = near.y + near.height / 2 + dy;
    await this.page.click(`.djs-palette .entry[data-action="${action}"]`);
    await this.page.mouse.move(x, y, { steps: 8 });
    await this.page.mouse.click(x, y);
    await this.spendClickTrap();
    const created = (await this.shapeIds()).filter((id) => !before.includes(id));
    if (created.length !== 1)
      throw new Error(`expected one new shape from ${action}, got ${created.join(', ') || 'none'}`);
    return created[0];
  }

  /** Connects two elements with the context pad's connect tool. */
  async connect(fromId: string, toId: string): Promise<void> {
    await this.select(fromId);
    await this.pad('connect');
    const to = await this.box(toId);
    await this.page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 8 });
    await this.page.mouse.click(to.x + to.width / 2, to.y + to.height / 2);
    await this.spendClickTrap();
  }

  /** Changes an element's type through the context pad's popup menu (e.g. `replace-with-user-task`). */
  async replace(id: string, entry: string): Promise<void> {
    await this.select(id);
    await this.pad('replace');
    await this.page.click(`.djs-popup [data-id="${entry}"]`);
    await this.spendClickTrap();
  }

  /** Selects an element by clicking it, until the properties panel shows it. */
  async select(id: string): Promise<void> {
    for (const at of [0.5, 0.4, 0.6]) {
      const box = await this.box(id);
      await this.page.mouse.click(box.x + box.width * at, box.y + box.height * at);
      await this.page.waitForTimeout(100);
      if (
        (await this.page
          .locator('#bio-properties-panel-id')
          .inputValue()
          .catch(() => '')) === id
      )
        return;
    }
    throw new Error(`could not select ${id}`);
  }

  /** Finds an element with the modeler's search (Ctrl+F on the canvas) by its name and selects it; for large diagrams. */
  async find(name: string, id: string): Promise<void> {
    await this.spendClickTrap();
    await this.page.keyboard.press('ControlOrMeta+F');
    const input = this.page.locator('.djs-search-container input');
    await input.pressSequentially(name);
    await this.page.locator('.djs-search-result', { hasText: name }).first().waitFor();
    await input.press('Enter');
    await expect
      .poll(() =>
        this.page
          .locator('#bio-properties-panel-id')
          .inputValue()
          .catch(() => ''),
      )
      .toBe(id);
  }

  async pad(action: string): Promise<void> {
    await this.page.click(`.djs-context-pad .entry[data-action="${action}"]`);
    await this.page.waitForTimeout(100);
  }

  /** Opens a properties panel group (within `scope`, default the designer's panel). */
  async openGroup(
    groupId: string,
    scope: Locator = this.page.locator('[data-testid=properties-panel]'),
  ): Promise<void> {
    const group = scope.locator(`[data-group-id="group-${groupId}"]`);
    if ((await group.locator('.bio-properties-panel-group-entries.open').count()) === 0)
      await group.locator('.bio-properties-panel-group-header').click();
  }

  /** Fills a properties panel field and leaves it (Tab), which commits the debounced change. */
  async fill(entryId: string, value: string): Promise<void> {
    const field = this.page.locator(`[data-testid=properties-panel] #bio-properties-panel-${entryId}`);
    await field.fill(value);
    await field.press('Tab');
    await this.page.waitForTimeout(350);
  }

  // helpers

  private async box(id: string) {
    const box = await this.shape(id).boundingBox();
    if (!box) throw new Error(`shape ${id} is not on the canvas`);
    return box;
  }

  private shapeIds(): Promise<string[]> {
    return this.page.$$eval('.djs-shape[data-element-id]', (shapes) =>
      shapes.map((s) => s.getAttribute('data-element-id')!).filter((id) => !id.endsWith('_label')),
    );
  }

  // diagram-js swallows the click that follows a drag (create, connect, popup); spend it on empty canvas.
  private async spendClickTrap(): Promise<void> {
    const canvas = (await this.page.locator('[data-testid=canvas]').boundingBox())!;
    await this.page.mouse.click(canvas.x + canvas.width * 0.45, canvas.y + 25);
    await this.page.waitForTimeout(100);
  }
}
