// LLM Monitor dashboard: the server renders every section; this script swaps in fresh fragments
// (auto-refresh, filters, paging), draws the charts and expands calls. No framework, no CDN.
(() => {
  'use strict';
  const $ = (sel, root = document) => root.querySelector(sel);
  const $$ = (sel, root = document) => [...root.querySelectorAll(sel)];
  const controls = $('#controls');
  const sections = $('#sections');
  const REFRESH_MS = 30_000;
  const palette = ['#4f46e5', '#0ea5e9', '#10b981', '#f59e0b', '#ef4444', '#8b5cf6', '#ec4899', '#14b8a6', '#94a3b8'];
  const charts = {};
  let refreshTimer = null;

  const css = name => getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  const field = name => controls.elements.namedItem(name);

  // ---- state: the controls form (plus the inputs that point at it with form="controls") is the query string
  function query(extra = {}) {
    const params = new URLSearchParams();
    for (const [k, v] of new FormData(controls)) if (v !== '') params.set(k, v);
    for (const [k, v] of Object.entries(extra)) v === null || v === '' ? params.delete(k) : params.set(k, v);
    if (params.get('range') !== 'custom') { params.delete('from'); params.delete('to'); }
    if (params.get('page') === '1') params.delete('page');
    return params;
  }

  const setField = (name, value) => { const f = field(name); if (f) f.value = value; };

  async function fetchText(url) {
    const response = await fetch(url, { headers: { 'X-Requested-With': 'fetch' }, credentials: 'same-origin' });
    if (response.status === 401) { location.href = '/login?ReturnUrl=' + encodeURIComponent(location.pathname + location.search); throw new Error('signed out'); }
    if (!response.ok) throw new Error('HTTP ' + response.status);
    return response.text();
  }

  function status(text, cls) {
    const box = $('.refresh');
    box.classList.toggle('loading', cls === 'loading');
    if (text) $('#updated').textContent = text;
  }

  // ---- whole sections (auto-refresh, range, model, tag key)
  async function refresh() {
    const params = query();
    history.replaceState(null, '', '/?' + params);
    const open = $$('tr.call[aria-expanded=true]').map(r => r.dataset.id);
    status(null, 'loading');
    try {
      sections.innerHTML = await fetchText('/dashboard/sections?' + params);
      const meta = $('#sections-meta');
      status('Updated ' + meta.dataset.updated + ' UTC');
      init();
      document.dispatchEvent(new Event('dashboard:sections'));
      for (const id of open) { const row = $(`tr.call[data-id="${id}"]`); if (row) toggleCall(row); }
    } catch (e) {
      status('Dashboard unreachable — retrying (' + e.message + ')');
    } finally {
      $('.refresh').classList.remove('loading');
    }
  }

  // ---- the calls table alone (paging, status/tag/search filters)
  async function loadCalls(page = 1) {
    setField('page', page);
    const params = query();
    history.replaceState(null, '', '/?' + params);
    const box = $('#calls-table');
    box.style.opacity = .5;
    try {
      box.innerHTML = await fetchText('/dashboard/calls?' + params);
      document.dispatchEvent(new Event('dashboard:calls'));
    } catch (e) {
      status('Calls unavailable (' + e.message + ')');
    } finally {
      box.style.opacity = '';
    }
  }

  async function toggleCall(row) {
    const next = row.nextElementSibling;
    if (next && next.classList.contains('detail')) {
      next.remove();
      row.setAttribute('aria-expanded', 'false');
      return;
    }
    const detail = document.createElement('tr');
    detail.className = 'detail';
    detail.innerHTML = `<td colspan="${row.children.length}"><span class="muted">Loading…</span></td>`;
    row.after(detail);
    row.setAttribute('aria-expanded', 'true');
    try {
      detail.firstElementChild.innerHTML = await fetchText('/dashboard/calls/' + row.dataset.id);
    } catch (e) {
      detail.firstElementChild.textContent = 'Could not load this call (' + e.message + ').';
    }
  }

  // ---- charts
  const formats = {
    requests: v => Math.round(v).toLocaleString('en-US'),
    errors: v => Math.round(v).toLocaleString('en-US'),
    tokens: v => Math.round(v).toLocaleString('en-US'),
    cost: v => '$' + (v !== 0 && Math.abs(v) < 1 ? v.toFixed(4) : v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })),
    latency: v => v >= 1000 ? (v / 1000).toFixed(2) + ' s' : Math.round(v) + ' ms',
  };
  const formatFor = metric => formats[metric.startsWith('latency') ? 'latency' : metric] || formats.requests;
  const titles = { requests: 'Requests', cost: 'Cost (USD)', latency_p50: 'Latency p50', latency_p95: 'Latency p95', errors: 'Errors', tokens: 'Tokens', latency: 'Average latency' };
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  function label(iso, interval) {
    const d = new Date(iso);
    const day = `${months[d.getUTCMonth()]} ${d.getUTCDate()}`;
    return interval === '1d' ? day : `${day} ${String(d.getUTCHours()).padStart(2, '0')}:00`;
  }

  function drawTimeseries(data) {
    const canvas = $('#timeseries');
    if (!canvas || !window.Chart) return;
    charts.timeseries?.destroy();
    const points = data.points || [];
    const metric = data.metric || 'requests';
    const fmt = formatFor(metric);
    const accent = metric === 'errors' ? css('--bad') : css('--accent');
    const bars = metric === 'errors' || metric === 'requests' || metric === 'cost';
    charts.timeseries = new Chart(canvas, {
      type: bars ? 'bar' : 'line',
      data: {
        labels: points.map(p => label(p.t, data.interval)),
        datasets: [{
          label: titles[metric] || metric, data: points.map(p => p.v), borderColor: accent,
          backgroundColor: bars ? accent + 'cc' : accent + '22', fill: !bars, tension: .3,
          pointRadius: points.length > 60 ? 0 : 2.5, pointHoverRadius: 4, borderWidth: bars ? 0 : 2, borderRadius: 3, maxBarThickness: 28,
        }],
      },
      options: {
        responsive: true, maintainAspectRatio: false, animation: { duration: 250 },
        interaction: { mode: 'index', intersect: false },
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: { label: c => ` ${c.dataset.label}: ${fmt(c.parsed.y)}` } },
        },
        scales: {
          x: { grid: { display: false }, ticks: { color: css('--muted'), maxTicksLimit: 10, maxRotation: 0, autoSkip: true } },
          y: { beginAtZero: true, grid: { color: css('--border') }, border: { display: false }, ticks: { color: css('--muted'), callback: fmt, maxTicksLimit: 6 } },
        },
      },
    });
    Object.assign(canvas.dataset, { metric, interval: data.interval, points: points.length, total: points.reduce((a, p) => a + p.v, 0) });
  }

  function drawModelPie() {
    const canvas = $('#model-pie');
    const source = $('#model-data');
    if (!canvas || !source || !window.Chart) return;
    charts.pie?.destroy();
    const models = JSON.parse(source.textContent);
    const top = models.slice(0, palette.length - 1);
    const rest = models.slice(palette.length - 1);
    if (rest.length) top.push({ model: `${rest.length} other`, cost: rest.reduce((a, m) => a + m.cost, 0) });
    $$('#cost-by-model tbody tr').forEach((row, i) => row.querySelector('.swatch').style.setProperty('--sw', palette[Math.min(i, palette.length - 1)]));
    charts.pie = new Chart(canvas, {
      type: 'doughnut',
      data: { labels: top.map(m => m.model), datasets: [{ data: top.map(m => m.cost), backgroundColor: palette, borderColor: css('--surface'), borderWidth: 2 }] },
      options: {
        responsive: true, maintainAspectRatio: false, cutout: '62%', animation: { duration: 250 },
        plugins: { legend: { display: false }, tooltip: { callbacks: { label: c => ` ${c.label}: ${formats.cost(c.parsed)}` } } },
      },
    });
  }

  async function switchChart(changes) {
    for (const [k, v] of Object.entries(changes)) setField(k, v);
    history.replaceState(null, '', '/?' + query());
    $$('#chart-card [data-metric]').forEach(b => { b.classList.toggle('on', b.dataset.metric === field('metric').value); b.setAttribute('aria-selected', b.dataset.metric === field('metric').value); });
    $$('#chart-card [data-interval]').forEach(b => b.classList.toggle('on', b.dataset.interval === field('interval').value));
    const meta = $('#sections-meta');
    const params = new URLSearchParams({ start_time: meta.dataset.start, end_time: meta.dataset.end, interval: field('interval').value, metric: field('metric').value });
    if (field('model').value) params.set('model', field('model').value);
    try {
      const data = JSON.parse(await fetchText('/api/metrics/timeseries?' + params));
      drawTimeseries({ metric: data.metric, interval: data.interval, points: data.points.map(p => ({ t: p.timestamp, v: p.value })) });
    } catch (e) {
      status('Chart unavailable (' + e.message + ')');
    }
  }

  // The page's CSP allows no style attributes in markup; widths set through the DOM are fine.
  function sizeBars() {
    $$('.bar[data-width]').forEach(bar => bar.style.setProperty('--w', bar.dataset.width + '%'));
  }

  function init() {
    const data = $('#chart-data');
    if (data) drawTimeseries(JSON.parse(data.textContent));
    drawModelPie();
    sizeBars();
  }

  // ---- events (delegated: sections are replaced on refresh)
  controls.addEventListener('change', e => {
    const t = e.target;
    if (t.name === 'range') {
      $$('.segmented label', controls).forEach(l => l.classList.toggle('on', l.querySelector('input').checked));
      $('.custom-range').classList.toggle('hidden', t.value !== 'custom');
      if (t.value === 'custom' && !(field('from').value && field('to').value)) return;
      setField('interval', '');
    }
    if (t.name === 'from' || t.name === 'to') { if (!(field('from').value && field('to').value)) return; setField('interval', ''); }
    if (t.id === 'auto-refresh') { schedule(); return; }
    if (t.id === 'live') return; // dashboard-live.js
    setField('page', 1);
    refresh();
  });
  controls.addEventListener('submit', e => { e.preventDefault(); refresh(); });

  let typing = null;
  sections.addEventListener('input', e => {
    if (e.target.name !== 'tag' && e.target.name !== 'search') return;
    clearTimeout(typing);
    typing = setTimeout(() => loadCalls(1), 400);
  });
  sections.addEventListener('change', e => {
    if (e.target.name === 'status') loadCalls(1);
    if (e.target.id === 'tag-key') { setField('tag_key', e.target.value); refresh(); }
  });
  sections.addEventListener('keydown', e => {
    if (e.key === 'Enter' && (e.target.name === 'tag' || e.target.name === 'search')) { e.preventDefault(); clearTimeout(typing); loadCalls(1); }
    if ((e.key === 'Enter' || e.key === ' ') && e.target.matches('tr.call')) { e.preventDefault(); toggleCall(e.target); }
  });
  sections.addEventListener('click', e => {
    const t = e.target;
    const metric = t.closest('[data-metric]');
    const interval = t.closest('[data-interval]');
    const page = t.closest('[data-page]');
    const tag = t.closest('.tag-link');
    const row = t.closest('tr.call');
    if (metric) switchChart({ metric: metric.dataset.metric });
    else if (interval) switchChart({ interval: interval.dataset.interval });
    else if (page && !page.disabled) loadCalls(Number(page.dataset.page));
    else if (tag) { e.preventDefault(); $('input[name=tag]').value = tag.dataset.tag; loadCalls(1); $('#calls').scrollIntoView({ behavior: 'smooth' }); }
    else if (row && !t.closest('a[href]')) toggleCall(row); // a row's links (session, trace) navigate
  });

  // ---- auto-refresh every 30 s while the tab is visible and no live stream updates the page
  const streaming = () => $('.refresh').dataset.live === 'on';
  function schedule() {
    clearInterval(refreshTimer);
    const on = $('#auto-refresh').checked && !streaming();
    $('.refresh').classList.toggle('paused', !on);
    if (on) refreshTimer = setInterval(() => { if (!document.hidden) refresh(); }, REFRESH_MS);
  }
  document.addEventListener('visibilitychange', () => { if (!document.hidden && $('#auto-refresh').checked && !streaming()) refresh(); });

  init();
  schedule();
  window.llmMonitor = { refresh, loadCalls, schedule };
})();
