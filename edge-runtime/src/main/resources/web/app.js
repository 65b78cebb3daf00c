// Ferry status page. One WebSocket (/#ws, RP messages as JSON frames) carries every view: it
// lists /#runtime, then observes devices, lines, metrics, each peer and rendezvous (the gateway
// pushes a new reading on every change or every second) and reads routes and node once. Renders
// into the panels of index.html; no external assets. With ?once in the URL it stops after every
// panel has data (for snapshots).
'use strict';

const once = new URLSearchParams(location.search).has('once');
const peers = new Map();           // peer id -> latest /#runtime/peers/<id>
let lastCounters = null;           // {at, values} of the latest metrics reading
let prevCounters = null;           // and of the one before it
let socket = null;
let retryMs = 1000;

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function stateClass(s) {
  const v = String(s).toUpperCase();
  if (['ATTACHED', 'OPEN', 'UP', 'TRUE', 'LIVE'].includes(v)) return 'state good';
  if (['LINKING', 'IDENTIFYING', 'CONNECTING', 'OPENING'].includes(v)) return 'state warn';
  return 'state bad';
}

// columns: [heading, value(row), kind] with kind 'num' | 'state' | 'label' | undefined
function table(rows, columns) {
  if (rows.length === 0) return el('p', 'muted', '(none)');
  const t = el('table');
  const head = t.createTHead().insertRow();
  columns.forEach(([h]) => head.appendChild(el('th', null, h)));
  const body = t.createTBody();
  rows.forEach(r => {
    const tr = body.insertRow();
    columns.forEach(([, f, kind]) => {
      const v = f(r);
      const td = el('td', kind === 'num' ? 'num' : kind === 'label' ? 'label' : null,
                    v === undefined || v === null ? '' : String(v));
      if (kind === 'state') td.className = stateClass(v);
      tr.appendChild(td);
    });
  });
  return t;
}

function show(id, content) {
  const box = document.getElementById(id);
  box.replaceChildren(content);
  box.closest('.panel').dataset.loaded = 'true';
  if (once && [...document.querySelectorAll('.panel')].every(p => p.dataset.loaded)) {
    socket.close();
    setLive('snapshot', true);
  }
}

function note(id, text, cls) {
  show(id, el('p', cls || 'muted', text));
}

const sum = o => Object.values(o || {}).reduce((a, b) => a + b, 0);

const renderers = {
  devices: d => table(d, [
    ['name', r => r.name], ['state', r => r.state, 'state'], ['line', r => r.line_name || r.line],
    ['addr', r => r.address, 'num'],
    ['board', r => r.board ? r.board + ' ' + (r.fw || '') : ''], ['N/k', r => r.frame + '/' + r.window, 'num'],
    ['in', r => r.messages_in, 'num'], ['out', r => r.messages_out, 'num'],
    ['queued', r => r.queued_out + '/' + r.queued_in, 'num'],
    ['resent', r => r.retransmissions + '/' + (r.discarded_from_device ?? 0), 'num'],
    ['RNR', r => (r.rnr_sent ?? 0) + '/' + (r.rnr_received ?? 0), 'num'],
    ['timeouts', r => r.timeouts, 'num'], ['drops', r => sum(r.drops), 'num']]),
  lines: d => table(d, [
    ['line', r => r.name], ['port', r => r.port], ['state', r => r.state, 'state'], ['baud', r => r.baud, 'num'],
    ['bytes in', r => r.bytes_in, 'num'], ['bytes out', r => r.bytes_out, 'num'],
    ['frames', r => r.frames_good, 'num'], ['errors', r => r.frame_errors, 'num'],
    ['turns', r => r.turns, 'num'], ['timeouts', r => r.timeouts, 'num'],
    ['resent', r => r.retransmissions, 'num']]),
  routes: d => table(d, [
    ['prefix', r => r.prefix], ['to', r => r.to || r.target],
    ['rewrite', r => (r.strip && r.strip !== '/' ? '-' + r.strip : '') + (r.add && r.add !== '/' ? ' +' + r.add : '')]]),
  rendezvous: d => {
    const rows = [];
    Object.entries(d || {}).forEach(([ns, regs]) => regs.forEach(g => rows.push({ ns, id: g.id, addrs: g.addrs.join(' ') })));
    return table(rows, [['namespace', r => r.ns], ['id', r => r.id], ['addresses', r => r.addrs, 'label']]);
  },
  northbound: d => generic(d),
  counters: d => counters(d, true),
};

function peerView() {
  const rows = [];
  [...peers.values()].forEach(p => (p.transports || []).forEach((t, i) => rows.push({ p, t, i })));
  const box = el('div');
  box.appendChild(table(rows, [
    ['peer', r => r.i === 0 ? r.p.peer + ' (' + r.p.mode + ')' : ''],
    ['link', r => r.i === 0 ? (r.p.live ? 'LIVE' : 'DOWN') : '', 'state'],
    ['transport', r => r.t.name], ['state', r => r.t.state, 'state'], ['live', r => r.t.live, 'state'],
    ['RTT ms', r => r.t.rttMicros < 0 ? '-' : (r.t.rttMicros / 1000).toFixed(2), 'num'],
    ['loss', r => (r.t.loss * 100).toFixed(1) + '%', 'num'],
    ['pings', r => r.t.pingsSent + '/' + r.t.pongsReceived, 'num']]));
  box.appendChild(table([...peers.values()], [
    ['peer', p => p.peer], ['sent', p => p.sent, 'num'], ['delivered', p => p.delivered, 'num'],
    ['resends', p => p.resends, 'num'], ['mismatches', p => p.mismatches, 'num'],
    ['unacked', p => p.unacked, 'num'], ['held', p => p.held, 'num']]));
  return box;
}

function generic(d) {
  if (Array.isArray(d)) {
    const keys = [...new Set(d.flatMap(r => (r && typeof r === 'object') ? Object.keys(r) : ['value']))];
    return table(d.map(r => (r && typeof r === 'object') ? r : { value: r }),
                 keys.map(k => [k, r => typeof r[k] === 'object' ? JSON.stringify(r[k]) : r[k]]));
  }
  if (d && typeof d === 'object') {
    return table(Object.entries(d), [['name', e => e[0]],
      ['value', e => typeof e[1] === 'object' ? JSON.stringify(e[1]) : e[1], 'label']]);
  }
  return el('p', null, String(d));
}

// fresh: a new reading (rates are against the one before); else a re-render of the last one
function counters(values, fresh) {
  const now = Date.now();
  if (fresh) {
    prevCounters = lastCounters;
    lastCounters = { at: now, values };
  }
  const prev = prevCounters;
  const filter = document.getElementById('filter').value.trim().toLowerCase();
  const rows = Object.entries(values).filter(([k]) => !filter || k.toLowerCase().includes(filter)).map(([k, v]) => {
    const b = k.indexOf('{');
    const rate = prev && prev.values[k] !== undefined && lastCounters.at > prev.at && k.includes('_total')
      ? ((v - prev.values[k]) * 1000 / (lastCounters.at - prev.at)).toFixed(1) : '';
    return { series: b < 0 ? k : k.slice(0, b) + ' {' + k.slice(b + 1, -1).replace(/",/g, '", ') + '}', v, rate };
  });
  return table(rows, [['series', r => r.series, 'label'], ['value', r => r.v, 'num'],
    ['per s', r => r.rate, 'num']]);
}

function setLive(text, on) {
  const live = document.getElementById('live');
  live.textContent = text;
  live.className = 'badge ' + (on ? 'on' : 'off');
}

function send(verb, name, observe) {
  socket.send(JSON.stringify({ verb, to: '/#runtime' + (name ? '/' + name : ''),
                               from: '/' + (observe ? 'obs' : 'get') + '/' + (name || 'list'), eof: !observe }));
}

function onList(names) {
  ['devices', 'lines', 'metrics'].forEach(n => names.includes(n) ? send('GET', n, true)
    : note(n === 'metrics' ? 'counters' : n, n === 'metrics' ? 'no metrics' : 'no serial lines configured'));
  ['routes', 'node'].forEach(n => send('GET', n, false));
  const peerNames = names.filter(n => n.startsWith('peers/'));
  if (peerNames.length === 0) note('peers', 'no peers configured');
  peerNames.forEach(n => send('GET', n, true));
  if (names.includes('rendezvous')) send('GET', 'rendezvous', true); else note('rendezvous', 'rendezvous is not enabled');
  if (names.includes('northbound')) send('GET', 'northbound', true); else note('northbound', 'northbound publishing is not configured');
}

function onFrame(f) {
  if (f.error) {
    console.warn('ws:', f.error, f.detail);
    return;
  }
  const [, kind, ...rest] = f.to.split('/');
  const name = rest.join('/');
  const target = name === 'metrics' ? 'counters' : name.startsWith('peers/') ? 'peers' : name;
  if (f.verb === 'ERROR') {
    if (kind === 'get' && name === 'list') setLive('error ' + f.status, false);
    else if (document.getElementById(target)) note(target, f.status + ' ' + (f.body || ''), 'error');
    return;
  }
  if (kind === 'get' && name === 'list') onList(f.body);
  else if (name === 'node') document.getElementById('node').textContent = f.body.id;
  else if (name.startsWith('peers/')) { peers.set(f.body.peer, f.body); show('peers', peerView()); }
  else if (renderers[target]) show(target, renderers[target](f.body));
}

function connect() {
  socket = new WebSocket((location.protocol === 'https:' ? 'wss:' : 'ws:') + '//' + location.host + '/%23ws');
  socket.onopen = () => { retryMs = 1000; setLive('live', true); send('GET', null, false); };
  socket.onmessage = ev => {
    try {
      onFrame(JSON.parse(ev.data));
    } catch (e) {
      console.error('status page:', e);
    }
  };
  socket.onclose = () => {
    if (once && document.getElementById('live').textContent === 'snapshot') return;
    setLive('disconnected, retrying', false);
    setTimeout(connect, retryMs);
    retryMs = Math.min(retryMs * 2, 30000);
  };
}

document.getElementById('filter').addEventListener('input', () => {
  if (lastCounters) show('counters', counters(lastCounters.values, false));
});
connect();
