// AsyncProcessing-Dashboard, local: draws the deployed body's widgets from /dashboard/api/state
// on CloudWatch's 24-column grid, metric widgets with uPlot (bundled, no CDN), and refreshes itself.
(() => {
  const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
  const ROW_PX = 40;
  const REFRESH_MS = 10_000;
  const grid = document.getElementById('grid');
  const charts = new Map();
  let built = false;

  const el = (tag, attrs = {}, ...children) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (k === 'class') e.className = v;
      else if (k.startsWith('data-')) e.setAttribute(k, String(v));
      else e[k] = v;
    }
    for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return e;
  };
  const number = (v) => (v === null || v === undefined ? '–' : Number.isInteger(v) ? String(v) : v.toFixed(Math.abs(v) < 10 ? 2 : 1));
  const time = (ms) => new Date(ms).toLocaleTimeString();

  // The text widget's markdown: headings, links, paragraphs (what the body's header uses).
  function markdown(text) {
    const safe = (s) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
    const inline = (s) => safe(s).replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (_, t, u) => `<a href="${u}">${t}</a>`);
    return text
      .split(/\n{2,}/)
      .map((block) => {
        const h = /^(#{1,6})\s+(.*)$/.exec(block);
        return h ? `<h${h[1].length + 1}>${inline(h[2])}</h${h[1].length + 1}>` : `<p>${inline(block)}</p>`;
      })
      .join('');
  }

  function frame(w) {
    const section = el('section', { class: `widget ${w.type}`, 'data-index': w.index, 'data-type': w.type, 'data-title': w.title });
    section.style.gridColumn = `${w.x + 1} / span ${w.width}`;
    section.style.gridRow = `${w.y + 1} / span ${w.height}`;
    if (w.title) section.append(el('h3', {}, w.title));
    section.append(el('div', { class: 'body' }));
    return section;
  }

  function metricChart(section, w) {
    const body = section.querySelector('.body');
    const width = Math.max(200, body.clientWidth - 8);
    const height = Math.max(80, body.clientHeight - 8 - 22 * Math.ceil(w.series.length / 2));
    const series = [
      {},
      ...w.series.map((s, i) => ({
        label: s.label,
        stroke: PALETTE[i % PALETTE.length],
        width: 1.5,
        spanGaps: false,
        points: { size: 4 },
      })),
    ];
    for (const a of w.annotations)
      series.push({ label: a.label, stroke: a.color || '#d62728', dash: [6, 4], width: 1, points: { show: false } });
    const opts = {
      width,
      height,
      series,
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      scales: {
        x: { time: true },
        y: { range: (_u, min, max) => [Math.min(0, min ?? 0), Math.max(max ?? 1, ...w.annotations.map((a) => a.value)) * 1.1 || 1] },
      },
      axes: [{}, { label: w.yLabel || '', size: 60 }],
    };
    return new uPlot(opts, chartData(w), body);
  }

  function chartData(w) {
    const xs = [...new Set(w.series.flatMap((s) => s.timestamps))].sort((a, b) => a - b);
    const data = [xs.map((t) => t / 1000)];
    for (const s of w.series) {
      const at = new Map(s.timestamps.map((t, i) => [t, s.values[i]]));
      data.push(xs.map((t) => (at.has(t) ? at.get(t) : null)));
    }
    for (const a of w.annotations) data.push(xs.map(() => a.value));
    return data;
  }

  function legend(section, w) {
    section.querySelector('ul.legend')?.remove();
    const list = el('ul', { class: 'legend' });
    w.series.forEach((s, i) => {
      const item = el(
        'li',
        { 'data-label': s.label, 'data-sum': s.summary.sum, 'data-last': s.summary.last ?? '', 'data-points': s.summary.points },
        el('i', { class: 'swatch' }),
        `${s.label}: Σ ${number(s.summary.sum)} · last ${number(s.summary.last)} · max ${number(s.summary.max)}`,
      );
      item.firstChild.style.background = PALETTE[i % PALETTE.length];
      list.append(item);
    });
    for (const a of w.annotations)
      list.append(el('li', { class: 'threshold', 'data-threshold': a.value }, `┄ ${a.label} ${number(a.value)}`));
    section.append(list);
  }

  function alarms(section, w) {
    const body = section.querySelector('.body');
    body.replaceChildren(
      el(
        'ul',
        { class: 'alarms' },
        ...w.alarms.map((a) =>
          el(
            'li',
            { class: `state-${a.state}`, 'data-alarm': a.name, 'data-state': a.state, title: a.reason },
            el('b', {}, a.state === 'INSUFFICIENT_DATA' ? 'INSUFFICIENT' : a.state),
            ` ${a.name}`,
            a.since ? el('small', {}, ` since ${time(a.since)}`) : '',
          ),
        ),
      ),
    );
  }

  function logs(section, w) {
    const body = section.querySelector('.body');
    const cols = w.result.columns;
    const table = el(
      'table',
      { class: 'log' },
      el('thead', {}, el('tr', {}, ...cols.map((c) => el('th', {}, c)))),
      el('tbody', {}, ...w.result.rows.map((r) => el('tr', {}, ...cols.map((c) => el('td', {}, r[c] ?? ''))))),
    );
    const note = w.result.note ?? (w.result.rows.length === 0 ? 'No matching log lines in the range' : `${w.result.rows.length} rows`);
    body.replaceChildren(
      el('p', { class: 'note', 'data-rows': w.result.rows.length }, note),
      table,
      el('details', {}, el('summary', {}, 'query'), el('pre', {}, w.query)),
    );
  }

  function draw(w) {
    let section = grid.querySelector(`section[data-index="${w.index}"]`);
    if (!section) {
      section = frame(w);
      grid.append(section);
    }
    if (w.type === 'metric') {
      const chart = charts.get(w.index);
      if (chart) chart.setData(chartData(w));
      else charts.set(w.index, metricChart(section, w));
      legend(section, w);
    } else if (w.type === 'alarm') alarms(section, w);
    else if (w.type === 'log') logs(section, w);
    else section.querySelector('.body').innerHTML = markdown(w.markdown);
    section.setAttribute('data-state', 'rendered');
  }

  function processes(list) {
    const rows = list.map((p) =>
      el(
        'tr',
        { 'data-process': p.processId, class: `status-${p.status}` },
        el('td', {}, el('a', { href: `/dashboard/processes/${p.processId}` }, p.processId)),
        el('td', {}, p.type),
        el('td', {}, p.status),
        el('td', {}, `${p.progress}%`),
        el('td', {}, p.errorCode ?? ''),
        el('td', {}, time(Date.parse(p.createdAt))),
        el('td', {}, p.traced ? el('a', { href: `/dashboard/processes/${p.processId}`, class: 'trace-link' }, 'waterfall') : '–'),
      ),
    );
    document.querySelector('#processes tbody').replaceChildren(...rows);
  }

  async function refresh() {
    const minutes = document.getElementById('range').value;
    const notice = document.getElementById('notice');
    try {
      const answer = await (await fetch(`/dashboard/api/state?minutes=${minutes}`, { cache: 'no-store' })).json();
      processes(answer.processes);
      if (!answer.ready) {
        notice.hidden = false;
        notice.textContent =
          answer.error ?? `Building the ${answer.stack} stack's dashboard and alarms from the Pulumi program (offline run)…`;
        return;
      }
      notice.hidden = true;
      if (!built) grid.style.gridTemplateRows = `repeat(${Math.max(...answer.state.widgets.map((w) => w.y + w.height))}, ${ROW_PX}px)`;
      answer.state.widgets.forEach(draw);
      built = true;
      document.body.setAttribute('data-ready', 'true');
      document.getElementById('updated').textContent = `updated ${time(answer.state.generatedAt)} · every ${REFRESH_MS / 1000} s`;
    } catch (err) {
      notice.hidden = false;
      notice.textContent = `The local runtime does not answer (${err.message}): is npm start still running?`;
    }
  }

  document.getElementById('range').addEventListener('change', () => {
    for (const c of charts.values()) c.destroy();
    charts.clear();
    grid.replaceChildren();
    built = false;
    refresh();
  });
  document.getElementById('trace-form').addEventListener('submit', (e) => {
    e.preventDefault();
    location.href = `/dashboard/processes/${document.getElementById('process-id').value.trim().toLowerCase()}`;
  });
  refresh();
  setInterval(refresh, REFRESH_MS);
})();
