/** Accessible tabs (WAI-ARIA tabs pattern): arrow keys move between tabs, panels render when first shown. */
import { h } from './dom';

export interface TabSpec {
  id: string;
  label: string;
  /** Fills the panel the first time the tab is shown. */
  render(panel: HTMLElement): void | Promise<void>;
  /** Renders again each time the tab is shown (data another tab may have changed). */
  fresh?: boolean;
}

/** Builds a tablist with its panels; the first tab is selected. */
export function createTabs(specs: TabSpec[], idPrefix: string): HTMLElement {
  const rendered = new Set<string>();
  const panels = specs.map((spec) =>
    h('div', {
      role: 'tabpanel',
      id: `${idPrefix}-panel-${spec.id}`,
      'aria-labelledby': `${idPrefix}-tab-${spec.id}`,
      class: 'tab-panel',
      hidden: true,
      tabindex: '0',
    }),
  );
  const tabs = specs.map((spec, index) =>
    h(
      'button',
      {
        type: 'button',
        role: 'tab',
        id: `${idPrefix}-tab-${spec.id}`,
        'aria-controls': `${idPrefix}-panel-${spec.id}`,
        'data-tab': spec.id,
        onclick: () => select(index),
        onkeydown: (event: KeyboardEvent) => {
          const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
          if (!step) return;
          event.preventDefault();
          const next = (index + step + specs.length) % specs.length;
          select(next);
          tabs[next].focus();
        },
      },
      spec.label,
    ),
  );
  let selected = -1;
  function select(index: number): void {
    const changed = index !== selected;
    selected = index;
    tabs.forEach((tab, i) => {
      tab.setAttribute('aria-selected', String(i === index));
      tab.tabIndex = i === index ? 0 : -1;
      panels[i].hidden = i !== index;
    });
    const spec = specs[index];
    if (!rendered.has(spec.id) || (spec.fresh && changed)) {
      rendered.add(spec.id);
      void spec.render(panels[index]);
    }
  }
  select(0);
  return h('div', { class: 'tabs' }, h('div', { role: 'tablist', class: 'tab-list' }, tabs), panels);
}
