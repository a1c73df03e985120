import { common } from './common';
import { curves } from './curves';
import { comparePage, listPage, runPage } from './run_pages';
import { livePage } from './live_page';
import { drawPage } from './draw_page';
import { APP_CSS } from './style';

// app.js: the helpers, then the page that <body data-page> names. Each function's own source
// text is sent, as tsc compiled it (ES2022), so it runs as written.
let js: string | null = null;

export function appJs(): string {
  js ??= [
    '"use strict";',
    `(${common.toString()})();`,
    `(${curves.toString()})();`,
    `const pages = { list: ${listPage.toString()}, run: ${runPage.toString()}, compare: ${comparePage.toString()}, live: ${livePage.toString()}, draw: ${drawPage.toString()} };`,
    'const page = pages[document.body.dataset.page];',
    'if (page) page(); else window.tt.fail("unknown page");',
  ].join('\n');
  return js;
}

export function appCss(): string {
  return APP_CSS;
}
