// LLM Monitor sessions, traces and users pages: the server renders everything and every link works without
// this script; it submits the range picker on change and expands a call's details in place. No framework, no CDN.
(() => {
  'use strict';
  const $$ = (sel, root = document) => [...root.querySelectorAll(sel)];

  // ---- the time range and filters: a plain GET form
  const controls = document.getElementById('list-controls');
  if (controls) {
    controls.addEventListener('change', e => {
      const t = e.target;
      if (t.name === 'range') {
        $$('.segmented label', controls).forEach(l => l.classList.toggle('on', l.querySelector('input').checked));
        controls.querySelector('.custom-range').classList.toggle('hidden', t.value !== 'custom');
        if (t.value === 'custom') return;
      }
      if (t.name === 'range' || t.name === 'model') {
        const page = controls.elements.namedItem('page');
        if (page) page.value = 1;
        controls.requestSubmit();
      }
    });
    controls.addEventListener('submit', () => {
      // The ends of a custom range only mean something with range=custom.
      if (controls.elements.namedItem('range').value !== 'custom') $$('.custom-range input', controls).forEach(i => { i.disabled = true; });
      $$('input[type=text]', controls).forEach(i => { if (!i.value.trim()) i.disabled = true; });
      $$('select', controls).forEach(s => { if (!s.value) s.disabled = true; });
    });
  }

  // ---- a call's details, expanded under its row (a table) or its node line (the trace tree)
  async function fetchText(url) {
    const response = await fetch(url, { headers: { 'X-Requested-With': 'fetch' }, credentials: 'same-origin' });
    if (response.status === 401) { location.href = '/login?ReturnUrl=' + encodeURIComponent(location.pathname + location.search); throw new Error('signed out'); }
    if (!response.ok) throw new Error('HTTP ' + response.status);
    return response.text();
  }

  async function toggleDetail(link) {
    const row = link.closest('tr');
    const host = row || link.closest('.node-line');
    const next = host.nextElementSibling;
    if (next && next.classList.contains('call-detail')) {
      next.remove();
      link.setAttribute('aria-expanded', 'false');
      return;
    }
    let box;
    if (row) {
      const tr = document.createElement('tr');
      tr.className = 'detail call-detail';
      box = document.createElement('td');
      box.colSpan = row.children.length;
      tr.append(box);
      row.after(tr);
    } else {
      box = document.createElement('div');
      box.className = 'detail-panel call-detail';
      host.after(box);
    }
    link.setAttribute('aria-expanded', 'true');
    box.textContent = 'Loading…';
    try {
      box.innerHTML = await fetchText(link.dataset.detail);
    } catch (e) {
      box.textContent = 'Could not load this call (' + e.message + ').';
    }
  }

  document.addEventListener('click', e => {
    const link = e.target.closest('a[data-detail]');
    if (!link || e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    toggleDetail(link);
  });
})();
