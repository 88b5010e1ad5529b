// The dashboard's Live switch: /api/live (Server-Sent Events) puts the last hour's numbers on the cards every 5 s and
// prepends the calls as they are stored; the 30 s refresh pauses meanwhile. The stream asks for what the table shows
// (latest=25 and its filters: of each frame's calls, the 25 last stored that match), so a busy system sends a dashboard
// a few rows a frame, not every call; a filter change opens it again with the new filters. Once open, the table is
// reloaded, so that calls stored before the stream began are not missed. When the stream stops (the web-ui may have
// missed calls then) the page reloads its sections, the 30 s refresh takes over, and the stream is tried again in 5 s.
(() => {
  'use strict';
  const $ = (sel, root = document) => root.querySelector(sel);
  const box = $('.refresh');
  const toggle = $('#live');
  const controls = $('#controls');
  const RETRY_MS = 5_000;
  const ROWS = 25; // DashboardState.CallsPageSize
  let source = null;
  let retry = null;
  let stats = null;

  // The server's Format (Models/Format.cs), for the same text on the cards and in the rows.
  const count = n => Math.round(n).toLocaleString('en-US');
  const trim = (v, digits) => String(+v.toFixed(digits));
  const compact = n => n >= 1e9 ? trim(n / 1e9, 2) + 'B' : n >= 1e6 ? trim(n / 1e6, 2) + 'M' : n >= 1e4 ? trim(n / 1e3, 1) + 'k' : count(n);
  const money = v => v === 0 ? '$0.00' : v < 0.01 ? '$' + v.toFixed(4)
    : '$' + v.toLocaleString('en-US', v < 1000 ? { minimumFractionDigits: 2, maximumFractionDigits: 2 } : { maximumFractionDigits: 0 });
  const latency = ms => ms === 0 ? '—' : ms < 10 ? ms.toFixed(1) + ' ms' : ms < 1000 ? ms.toFixed(0) + ' ms' : (ms / 1000).toFixed(2) + ' s';
  const percent = p => p.toFixed(p < 10 ? 2 : 1) + '%';
  const time = iso => new Date(iso).toISOString().replace('T', ' ').slice(0, 19);

  function showStats() {
    if (!stats) return;
    const cards = {
      requests: [count(stats.total_requests)],
      cost: [money(stats.total_cost)],
      'avg-latency': [latency(stats.avg_latency_ms)],
      'p95-latency': [latency(stats.p95_latency_ms)],
      'error-rate': [percent(stats.error_rate), count(stats.error_count) + ' errors'],
      tokens: [compact(stats.total_tokens)],
    };
    for (const [id, [value, note]] of Object.entries(cards)) {
      const card = $(`[data-card="${id}"]`);
      if (!card) continue;
      $('[data-value]', card).textContent = value;
      const change = $('.change', card);
      change.textContent = 'last hour · live';
      change.className = 'change flat';
      if (note && $('.note', card)) $('.note', card).textContent = note;
    }
  }

  // The table's filters (model, status, tag, search; page 1, a range that runs to now) decide whether a call belongs in it.
  function shows(call) {
    const f = new FormData(controls);
    const get = name => (f.get(name) || '').trim();
    if (!tableIsLive()) return false;
    if (get('model') && call.model !== get('model')) return false;
    if (get('status') && call.status !== get('status')) return false;
    const tag = get('tag');
    const colon = tag.indexOf(':');
    if (colon > 0 && call.tags[tag.slice(0, colon).trim()] !== tag.slice(colon + 1).trim()) return false;
    const search = get('search').toLowerCase();
    return !search || call.model.toLowerCase().includes(search) || (call.error_message || '').toLowerCase().includes(search);
  }

  // The stream's query: the table's filters as /api/live takes them (a tag only when it is key:value, as the table's).
  function streamQuery() {
    const f = new FormData(controls);
    const q = new URLSearchParams({ latest: ROWS });
    for (const name of ['model', 'status', 'tag', 'search']) {
      const value = (f.get(name) || '').trim();
      if (value && (name !== 'tag' || value.indexOf(':') > 0)) q.set(name, value);
    }
    return q.toString();
  }

  function tableIsLive() {
    const f = new FormData(controls);
    return (f.get('page') || '1') === '1' && f.get('range') !== 'custom';
  }

  function cell(row, text, className) {
    const td = document.createElement('td');
    if (className) td.className = className;
    td.textContent = text;
    row.append(td);
    return td;
  }

  function link(className, href, title, text) {
    const a = document.createElement('a');
    Object.assign(a, { className, href, title, textContent: text });
    return a;
  }

  // The same cells as Views/Dashboard/_CallsTable.cshtml.
  function row(call) {
    const tr = document.createElement('tr');
    tr.className = 'call fresh';
    tr.dataset.id = call.event_id;
    tr.tabIndex = 0;
    tr.setAttribute('aria-expanded', 'false');
    cell(tr, time(call.timestamp), 'mono');
    cell(tr, call.model);
    const pill = document.createElement('span');
    pill.className = 'pill ' + (call.status === 'error' ? 'bad' : 'ok');
    pill.textContent = call.status;
    cell(tr, '').append(pill);
    cell(tr, count(call.total_tokens), 'num');
    cell(tr, call.latency_ms == null ? '—' : latency(call.latency_ms), 'num');
    cell(tr, call.cost_usd == null ? 'unpriced' : money(call.cost_usd), 'num');
    const tags = cell(tr, '', 'hide-sm tags');
    for (const [k, v] of Object.entries(call.tags).slice(0, 3)) {
      const chip = document.createElement('span');
      chip.className = 'chip';
      chip.textContent = `${k}: ${v}`;
      tags.append(chip, ' ');
    }
    const links = cell(tr, '', 'links');
    if (call.session_id) links.append(link('session-link', '/sessions/' + call.session_id.split('/').map(encodeURIComponent).join('/'), 'Session ' + call.session_id, 'session'), ' ');
    if (call.trace_id) links.append(link('trace-link', '/traces/' + encodeURIComponent(call.trace_id), 'Trace ' + call.trace_id, 'trace'));
    return tr;
  }

  function prepend(call) {
    if (!shows(call)) return;
    const body = $('#calls-table tbody');
    if (!body) { window.llmMonitor.loadCalls(1); return; } // no table yet (no call matched): the server renders it
    if ($(`tr.call[data-id="${call.event_id}"]`, body)) return; // already there from the page's own load
    body.prepend(row(call));
    const rows = [...body.querySelectorAll('tr.call')];
    for (const old of rows.slice(ROWS)) {
      if (old.nextElementSibling?.classList.contains('detail')) old.nextElementSibling.remove();
      old.remove();
    }
  }

  function setState(on, text) {
    box.dataset.live = on ? 'on' : 'off';
    if (text) $('#updated').textContent = text;
    window.llmMonitor.schedule();
  }

  function start() {
    stop();
    const query = streamQuery();
    source = new EventSource('/api/live?' + query);
    source.query = query;
    source.addEventListener('open', () => {
      setState(true, 'Live · cards show the last hour');
      if (tableIsLive()) window.llmMonitor.loadCalls(1);
    });
    source.addEventListener('stats', e => { stats = JSON.parse(e.data); showStats(); });
    source.addEventListener('call', e => prepend(JSON.parse(e.data)));
    source.addEventListener('error', () => {
      // Ended or refused: calls may have been missed, so reload everything, refresh every 30 s, and try again.
      stop();
      setState(false, 'Live stopped — refreshing every 30 s, retrying');
      window.llmMonitor.refresh();
      retry = setTimeout(() => { if (toggle.checked) start(); }, RETRY_MS);
    });
  }

  function stop() {
    clearTimeout(retry);
    source?.close();
    source = null;
    stats = null;
  }

  toggle.addEventListener('change', () => {
    if (toggle.checked) { start(); return; }
    stop();
    setState(false);
    window.llmMonitor.refresh(); // back to the range's numbers
  });
  // A refresh while live (a filter changed) renders the range's cards: put the last hour's back. A new filter needs a
  // stream that carries its calls.
  function filtersChanged() {
    if (source && source.query !== streamQuery()) start();
  }
  document.addEventListener('dashboard:sections', () => { showStats(); filtersChanged(); });
  document.addEventListener('dashboard:calls', filtersChanged);
})();
