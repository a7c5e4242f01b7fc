/**
 * The server serves the web app's index at exactly the client router's pages: a page the router knows but the
 * server does not would answer 404 on a reload or a shared link; one the server serves but the router does not
 * would show the home page instead of the page asked for.
 */
import { describe, expect, it } from 'vitest';
import { WEB_PAGES } from '../../engine/api/routes/web.js';

// the client's module is loaded by path, so this project's type check does not compile the web app's sources
// (the web app has its own tsconfig); vitest resolves its imports as the web build does
const ROUTER = '../../designer/src/app/router.ts';
const { ROUTES } = (await import(ROUTER)) as { ROUTES: { path: string; prefix?: boolean }[] };

describe('designer/pages', () => {
  it('every client route is a page the server serves, and the reverse', () => {
    // a server page with a parameter (`/cases/:businessKey`) serves whatever follows its base
    const served = new Set(WEB_PAGES.map((page) => page.replace(/\/:[^/]+$/, '/*')));
    const routed = new Set<string>();
    for (const route of ROUTES) {
      routed.add(route.path);
      // a prefix route reads the rest of the path itself (`/cases/CMP-1`)
      if (route.prefix) routed.add(`${route.path}/*`);
    }
    expect([...routed].filter((p) => !served.has(p)).sort()).toEqual([]);
    expect([...served].filter((p) => !routed.has(p)).sort()).toEqual([]);
  });
});
