// The dashboard: one Server-Sent Event a second carries a snapshot of the adapter's MXBeans (api/live);
// the buttons POST to api/... with the header that the server requires against cross-site requests.
'use strict';

const $ = (id) => document.getElementById(id);
const clientsChart = new LineChart($('clientsChart'), ['#2e7d32'], 120);
const ratesChart = new LineChart($('ratesChart'), ['#1565c0', '#e65100'], 120);
let previous = null;
// the topic levels the user expanded: the server sends the levels below each of them (api/live?open=...)
const openLevels = new Set();
let topics = null;
let events = null;

function connect() {
  if (events) events.close();
  const query = new URLSearchParams();
  openLevels.forEach((path) => query.append('open', path));
  events = new EventSource('api/live' + (openLevels.size ? '?' + query : ''));
  events.onopen = () => status('live', 'live');
  events.onerror = () => status('reconnecting…', 'down');
  events.onmessage = (e) => show(JSON.parse(e.data));
  events.addEventListener('topics', (e) => {
    topics = JSON.parse(e.data);
    tree();
  });
}

function status(text, cls) {
  $('status').textContent = text;
  $('status').className = 'status ' + cls;
}

function show(s) {
  if (!s.running) {
    status('the adapter is not running', 'down');
    previous = null;
    return;
  }
  status('live', 'live');
  const b = s.broker;
  // per-second rates from the counters of consecutive snapshots: the MXBean's own rates cover 5-second intervals
  let rateIn = 0, rateOut = 0;
  if (previous) {
    const seconds = Math.max(0.001, (s.time - previous.time) / 1000);
    rateIn = Math.max(0, b.messagesReceived - previous.broker.messagesReceived) / seconds;
    rateOut = Math.max(0, b.messagesSent - previous.broker.messagesSent) / seconds;
  }
  previous = s;
  $('version').textContent = b.version;
  text('connected', b.connectedClients);
  text('rateIn', rateIn.toFixed(1));
  text('rateOut', rateOut.toFixed(1));
  text('received', b.messagesReceived);
  text('sent', b.messagesSent);
  text('sessions', b.sessions);
  text('subscriptions', b.subscriptions);
  text('retained', b.retainedMessages);
  text('dropped', b.messagesDropped);
  text('uptime', duration(b.uptimeSeconds));
  clientsChart.push([b.connectedClients]);
  ratesChart.push([rateIn, rateOut]);
  rows('clients', s.clients, (c) => [c.clientId, c.connected ? 'connected' : 'offline', c.user, c.address, c.listener,
    ['', '', '', '3.1', '3.1.1', '5.0'][c.protocolLevel] || c.protocolLevel, time(c.since), c.keepAlive, num(c.inflight),
    num(c.queued), num(c.subscriptions),
    c.connected ? button('Disconnect', 'api/clients/disconnect?clientId=' + encodeURIComponent(c.clientId),
      'disconnect-' + c.clientId) : '']);
  rows('listeners', s.listeners, (l) => [l.name, l.address, l.transport, l.tls ? 'yes' : 'no', num(l.connections)]);
  rows('activations', s.activations, (a) => [a.bean, a.filter, a.qos, a.durable ? 'yes' : 'no', a.state, num(a.queued),
    num(a.inflight), num(a.delivered), num(a.redelivered), num(a.deadLettered), num(a.dropped), a.lastError]);
  rows('deadLetters', s.deadLetters, (d) => [d.deadLetterTopic, d.originalTopic, d.consumer, d.failureReason,
    num(d.deliveryCount), num(d.bytes), time(d.at),
    button('Replay', 'api/dead-letters/replay?messageId=' + encodeURIComponent(d.messageId))]);
}

function text(id, value) {
  $(id).textContent = value;
}

function num(n) {
  const td = document.createElement('td');
  td.className = 'num';
  td.textContent = n;
  return td;
}

function button(label, url, id) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = label;
  if (id) b.id = id;
  b.onclick = () => post(url);
  return b;
}

async function post(url) {
  const r = await fetch(url, { method: 'POST', headers: { 'X-MQTT-RA-Console': '1' } });
  if (!r.ok) alert(url + ': ' + r.status + ' ' + (await r.text()));
}

// replaces a table's rows; cells are text, a <td>, or an element to put in a cell
function rows(id, items, cells) {
  const body = $(id).tBodies[0];
  body.replaceChildren(...items.map((item) => {
    const tr = document.createElement('tr');
    for (const cell of cells(item)) {
      if (cell instanceof HTMLTableCellElement) {
        tr.append(cell);
      } else {
        const td = document.createElement('td');
        td.append(cell instanceof Node ? cell : String(cell));
        tr.append(td);
      }
    }
    return tr;
  }));
}

// the levels below the top, and below each expanded level as far as the server has sent them
function tree() {
  const node = (l) => {
    const li = document.createElement('li');
    li.dataset.path = l.path;
    // an empty first level (topics starting with /) has the top's path "": list its topics with the MXBean's list("/#")
    const expandable = l.children > 0 && l.path !== '';
    const open = expandable && openLevels.has(l.path);
    const toggle = document.createElement('button');
    toggle.type = 'button';
    toggle.className = 'toggle';
    toggle.textContent = expandable ? (open ? '▾' : '▸') : '·';
    toggle.disabled = !expandable;
    toggle.onclick = () => expand(l.path, !open);
    const name = document.createElement('span');
    name.className = 'level';
    name.textContent = l.name === '' ? '(empty)' : l.name;
    const count = document.createElement('span');
    count.className = 'count';
    count.textContent = l.messages;
    count.title = `${l.messages} messages on ${l.topics} topic(s) at and below ${l.path}, the latest at ${time(l.at)}`;
    li.append(toggle, name, count);
    if (l.own !== undefined) {
      const p = document.createElement('span');
      p.className = 'preview ' + l.format;
      p.textContent = l.preview;
      p.title = `${l.path}: ${l.own} messages; the latest ${l.bytes} bytes (${l.format}), ${time(l.at)}`;
      li.append(p);
    }
    const below = open && topics.levels[l.path];
    if (below) {
      const ul = document.createElement('ul');
      ul.append(...below.map(node));
      li.append(ul);
    }
    return li;
  };
  $('topics').replaceChildren(...(topics.levels[''] || []).map(node));
  $('topicsTracked').textContent = `${topics.tracked.toLocaleString()} of at most ${topics.maxTracked.toLocaleString()} topics tracked`
    + (topics.others ? `; ${topics.others.toLocaleString()} messages on further topics` : '') + '.';
}

function expand(path, open) {
  if (open) {
    openLevels.add(path);
    connect(); // the levels below it come with the stream's first events
  } else {
    // the levels below it close too
    [...openLevels].filter((p) => p === path || p.startsWith(path + '/')).forEach((p) => openLevels.delete(p));
    tree();
  }
}

function time(ms) {
  return ms ? new Date(ms).toLocaleTimeString() : '';
}

function duration(s) {
  const d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600), m = Math.floor(s % 3600 / 60);
  return (d ? d + 'd ' : '') + (d || h ? h + 'h ' : '') + m + 'm ' + (s % 60) + 's';
}

$('purgeAll').onclick = () => {
  if (confirm('Purge every dead letter?')) post('api/dead-letters/purge');
};
connect();
