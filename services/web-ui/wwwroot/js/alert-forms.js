// The admin's forms on /alerts and /budgets: each saves through the JSON API (a same-origin fetch, so the API's
// Origin check passes) and shows the API's 400 errors next to the fields they name; delete and "send test" buttons.
(() => {
  'use strict';

  const headers = { 'Content-Type': 'application/json', 'X-Requested-With': 'fetch' };

  // A number when the text is one; otherwise the text itself, so that the API names the field ("must be a number").
  const number = text => (text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text.trim() === '' ? null : text);
  const optional = text => (text.trim() === '' ? null : text.trim());

  function fieldValue(el) {
    if (el.type === 'checkbox') return el.checked;
    if ('number' in el.dataset) return number(el.value);
    if ('numberList' in el.dataset) return el.value.split(',').map(s => s.trim()).filter(s => s !== '').map(number);
    return optional(el.value);
  }

  function setPath(body, path, value) {
    const [head, rest] = path.split('.', 2);
    if (rest === undefined) body[head] = value;
    else setPath((body[head] ??= {}), rest, value);
  }

  // The body from the form's fields; a channel row without URL is left out, an empty secret keeps the stored one.
  function bodyOf(form) {
    const body = {};
    form.querySelectorAll('[data-json]').forEach(el => setPath(body, el.dataset.json, fieldValue(el)));
    const rows = [...form.querySelectorAll('.channel-row')].filter(row => row.querySelector('[data-channel=url]').value.trim() !== '');
    body.channels = rows.map((row, i) => {
      row.querySelector('[data-channel-error]').dataset.errorFor = `channels[${i}]`;
      const channel = { type: row.querySelector('[data-channel=type]').value, url: row.querySelector('[data-channel=url]').value.trim() };
      const secret = row.querySelector('[data-channel=secret]').value;
      if (secret !== '') channel.secret = secret;
      return channel;
    });
    return body;
  }

  function clearErrors(form) {
    form.querySelectorAll('[data-error-for]').forEach(el => { el.textContent = ''; });
    form.querySelectorAll('[data-channel-error]').forEach(el => { delete el.dataset.errorFor; });
    form.querySelectorAll('[aria-invalid]').forEach(el => el.removeAttribute('aria-invalid'));
  }

  // Each error goes next to its field (channels[0].url next to channel row 0); what has no place goes to the list.
  function showErrors(form, errors) {
    const general = form.querySelector('.form-errors');
    for (const [field, messages] of Object.entries(errors)) {
      const text = messages.join('; ');
      const place = form.querySelector(`[data-error-for="${CSS.escape(field)}"]`)
        ?? form.querySelector(`[data-error-for="${CSS.escape(field.replace(/\.[a-z_]+$/, ''))}"]`);
      if (place && place !== general) {
        place.textContent = place.textContent ? `${place.textContent}; ${field}: ${text}` : (place.dataset.errorFor === field ? text : `${field}: ${text}`);
        place.previousElementSibling?.querySelector('[data-json]')?.setAttribute('aria-invalid', 'true');
      } else {
        const item = document.createElement('li');
        item.textContent = `${field}: ${text}`;
        general.append(item);
      }
    }
  }

  async function problemText(response) {
    try {
      const problem = await response.json();
      return problem.detail ?? problem.title ?? `HTTP ${response.status}`;
    } catch {
      return `HTTP ${response.status}`;
    }
  }

  async function save(form) {
    clearErrors(form);
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    try {
      const response = await fetch(form.dataset.api, { method: form.dataset.method, headers, body: JSON.stringify(bodyOf(form)) });
      if (response.ok) {
        location.assign(form.dataset.done);
        return;
      }
      const problem = response.status === 400 ? await response.json() : null;
      showErrors(form, problem?.errors ?? { '': [await problemText(response)] });
    } catch (e) {
      showErrors(form, { '': [`not saved: ${e.message}`] });
    } finally {
      button.disabled = false;
    }
  }

  async function remove(button) {
    if (!confirm(`Delete ${button.dataset.what}?`)) return;
    const response = await fetch(button.dataset.delete, { method: 'DELETE', headers });
    if (response.ok) location.reload();
    else alert(`Not deleted: ${await problemText(response)}`);
  }

  async function sendTest(button) {
    const output = button.parentElement.querySelector('[data-test-result]');
    output.textContent = 'sending…';
    const response = await fetch(button.dataset.sendTest, { method: 'POST', headers });
    if (!response.ok) {
      output.textContent = `not sent: ${await problemText(response)}`;
      return;
    }
    const { results } = await response.json();
    output.textContent = results
      .map(r => `${r.type} ${r.url}: ${r.delivered ? 'delivered' : 'not delivered'} (${r.status ?? r.error ?? 'no answer'})`)
      .join('; ');
  }

  document.querySelectorAll('form.edit-form').forEach(form => form.addEventListener('submit', e => {
    e.preventDefault();
    save(form);
  }));
  document.querySelectorAll('[data-delete]').forEach(b => b.addEventListener('click', () => remove(b)));
  document.querySelectorAll('[data-send-test]').forEach(b => b.addEventListener('click', () => sendTest(b)));
})();
