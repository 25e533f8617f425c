/** The two HTML pages: a shell each, drawn by its script from the JSON API (assets/). */
import { DASHBOARD_NAME } from '../../guide';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const shell = (title: string, body: string, scripts: string[]) => `<!doctype html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="/dashboard/assets/uPlot.min.css">
<link rel="stylesheet" href="/dashboard/assets/dashboard.css">
</head>
<body>
${body}
${scripts.map((s) => `<script src="/dashboard/assets/${s}"></script>`).join('\n')}
</body>
</html>
`;

export const dashboardPage = (stack: string): string =>
  shell(
    `${DASHBOARD_NAME} (local, ${stack})`,
    `<header class="bar">
  <h1>${escapeHtml(DASHBOARD_NAME)} <small>local · the ${escapeHtml(stack)} stack's body and alarms</small></h1>
  <form id="trace-form" class="trace-form"><label>processId <input id="process-id" name="processId" size="38" placeholder="660e8400-e29b-41d4-a716-446655440000" pattern="[0-9a-fA-F-]{36}" required></label><button>Trace</button></form>
  <label>range <select id="range"><option value="15">15 min</option><option value="60" selected>1 h</option><option value="180">3 h</option><option value="1440">24 h</option></select></label>
  <span id="updated" class="updated">loading…</span>
</header>
<main>
  <p id="notice" class="notice" hidden></p>
  <div id="grid" class="grid"></div>
  <section class="processes"><h2>Recent processes</h2><table id="processes"><thead><tr><th>processId</th><th>type</th><th>status</th><th>progress</th><th>error</th><th>created</th><th>trace</th></tr></thead><tbody></tbody></table></section>
</main>`,
    ['uPlot.iife.min.js', 'dashboard.js'],
  );

export const processPage = (processId: string): string =>
  shell(
    `Process ${processId}`,
    `<header class="bar">
  <h1><a href="/dashboard">${escapeHtml(DASHBOARD_NAME)}</a> › process <code id="process-id">${escapeHtml(processId)}</code></h1>
</header>
<main>
  <section id="process" class="process"></section>
  <section class="trace"><h2>Trace</h2><p class="hint">Every trace of this process: the request that started it with its workflow, each worker step, each model call and each SQL statement; status polls and retries after it. Red rows failed.</p><div id="waterfall" class="waterfall"></div></section>
</main>`,
    ['process.js'],
  );
