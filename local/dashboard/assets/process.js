// One process: its record from the database and its trace as a waterfall (/dashboard/api/processes/<id>).
(() => {
  const id = document.getElementById('process-id').textContent;
  const el = (tag, attrs = {}, ...children) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (k === 'class') e.className = v;
      else e.setAttribute(k, String(v));
    }
    for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return e;
  };
  const ms = (v) => (v < 1 ? `${v.toFixed(2)} ms` : v < 1000 ? `${Math.round(v)} ms` : `${(v / 1000).toFixed(2)} s`);

  function record(p) {
    const box = document.getElementById('process');
    if (!p) return box.replaceChildren(el('p', {}, 'Not in the database (cleaned up, or another database): the trace is below.'));
    const fields = [
      ['status', p.status],
      ['type', p.type],
      ['progress', `${p.progress}%`],
      ['error', p.errorCode ?? '–'],
      ['retries', p.retryCount],
      ['user', p.userId],
      ['created', new Date(p.createdAt).toLocaleString()],
      ['completed', p.completedAt ? new Date(p.completedAt).toLocaleString() : '–'],
    ];
    box.replaceChildren(el('dl', { 'data-status': p.status }, ...fields.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])));
  }

  function draw(w) {
    const box = document.getElementById('waterfall');
    if (w.rows.length === 0)
      return box.replaceChildren(el('p', {}, 'No spans recorded for this process (it ran before tracing, or in another runtime).'));
    const scale = w.totalMs || 1;
    const rows = w.rows.map((r) => {
      const bar = el('span', { class: 'bar' });
      bar.style.left = `${(100 * r.offsetMs) / scale}%`;
      bar.style.width = `${Math.max(0.3, (100 * r.durationMs) / scale)}%`;
      const name = el('span', { class: 'name' }, r.name);
      name.style.paddingLeft = `${r.depth * 14}px`;
      return el(
        'div',
        {
          class: `row kind-${r.kind}${r.error ? ' error' : ''}`,
          'data-span': r.name,
          'data-depth': r.depth,
          'data-error': r.error,
          title: r.detail,
        },
        name,
        el('span', { class: 'lane' }, bar),
        el('span', { class: 'dur' }, ms(r.durationMs)),
        el('span', { class: 'detail' }, r.error ? (r.errorMessage ?? 'failed') : r.detail),
      );
    });
    box.replaceChildren(el('div', { class: 'axis' }, el('span', {}, '0'), el('span', {}, ms(w.totalMs))), ...rows);
  }

  fetch(`/dashboard/api/processes/${id}`, { cache: 'no-store' })
    .then(async (res) => {
      const answer = await res.json();
      if (!res.ok) throw new Error(answer.error?.message ?? res.statusText);
      record(answer.process);
      draw(answer.waterfall);
      document.body.setAttribute('data-ready', 'true');
    })
    .catch((err) => {
      document.getElementById('waterfall').replaceChildren(el('p', { class: 'notice' }, err.message));
      document.body.setAttribute('data-ready', 'true');
    });
})();
