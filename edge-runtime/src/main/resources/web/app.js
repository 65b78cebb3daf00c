// Ferry status page: reads /#runtime/{devices,lines,routes} once and follows /#runtime/metrics
// over Server-Sent Events. Renders whatever JSON shape it gets as tables; no external assets.
'use strict';

function cell(value) {
  const td = document.createElement('td');
  if (value !== null && typeof value === 'object') {
    td.textContent = JSON.stringify(value);
  } else {
    td.textContent = value === undefined || value === null ? '' : String(value);
    if (typeof value === 'number') td.className = 'num';
  }
  return td;
}

function table(rows) {
  const t = document.createElement('table');
  if (rows.length === 0) {
    t.textContent = '(none)';
    return t;
  }
  const keys = [];
  rows.forEach(r => Object.keys(r).forEach(k => { if (!keys.includes(k)) keys.push(k); }));
  const head = t.insertRow();
  keys.forEach(k => { const th = document.createElement('th'); th.textContent = k; head.appendChild(th); });
  rows.forEach(r => { const tr = t.insertRow(); keys.forEach(k => tr.appendChild(cell(r[k]))); });
  return t;
}

function render(id, data) {
  const el = document.getElementById(id);
  el.replaceChildren();
  let rows;
  if (Array.isArray(data)) {
    rows = data.map(x => (x !== null && typeof x === 'object') ? x : { value: x });
  } else if (data !== null && typeof data === 'object') {
    const values = Object.values(data);
    const nested = values.length > 0 && values.every(v => v !== null && typeof v === 'object' && !Array.isArray(v));
    rows = nested ? Object.entries(data).map(([k, v]) => Object.assign({ name: k }, v))
                  : Object.entries(data).map(([k, v]) => ({ name: k, value: v }));
  } else {
    rows = [{ value: data }];
  }
  el.appendChild(table(rows));
}

function fail(id, text) {
  const el = document.getElementById(id);
  el.replaceChildren();
  const p = document.createElement('p');
  p.className = 'error';
  p.textContent = text;
  el.appendChild(p);
}

async function load(id) {
  try {
    const r = await fetch('/%23runtime/' + id, { headers: { Accept: 'application/json' } });
    if (!r.ok) {
      fail(id, r.status + ' ' + (await r.text()));
      return;
    }
    render(id, await r.json());
  } catch (e) {
    fail(id, String(e));
  }
}

// With ?once in the URL the page takes one metrics sample and stops following: for snapshots
// (headless browsers wait for open connections to finish before they consider a page loaded).
const once = new URLSearchParams(location.search).has('once');

function follow() {
  const live = document.getElementById('live');
  const es = new EventSource('/%23runtime/metrics');
  es.onopen = () => { live.textContent = 'live'; live.className = 'badge on'; };
  es.onmessage = ev => {
    try {
      render('counters', JSON.parse(ev.data));
    } catch (e) {
      fail('counters', 'bad metrics event: ' + e);
    }
    if (once) {
      es.close();
      live.textContent = 'snapshot'; live.className = 'badge on';
    }
  };
  es.addEventListener('error', ev => {
    live.textContent = 'disconnected'; live.className = 'badge off';
    if (ev.data) fail('counters', ev.data);
  });
}

['devices', 'lines', 'routes'].forEach(load);
follow();
