// The dashboard: one Server-Sent Event a second carries a snapshot of the adapter's MXBeans (api/live);
// the buttons POST to api/... with the header that the server requires against cross-site requests.
'use strict';

const $ = (id) => document.getElementById(id);
const clientsChart = new LineChart($('clientsChart'), ['#2e7d32'], 120);
const ratesChart = new LineChart($('ratesChart'), ['#1565c0', '#e65100'], 120);
let previous = null;

function connect() {
  const events = new EventSource('api/live');
  events.onopen = () => status('live', 'live');
  events.onerror = () => status('reconnecting…', 'down');
  events.onmessage = (e) => show(JSON.parse(e.data));
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
  tree(s.topics);
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

function tree(root) {
  const node = (t) => {
    const li = document.createElement('li');
    li.append(t.name === '' ? '(empty level)' : t.name);
    const count = document.createElement('span');
    count.className = 'count';
    count.textContent = ` ${t.retained} retained`;
    li.append(count);
    if (t.topic !== undefined) {
      const p = document.createElement('span');
      p.className = 'preview';
      p.textContent = t.preview;
      p.title = `${t.topic}, QoS ${t.qos}, ${t.bytes} bytes, ${time(t.at)}`;
      li.append(p);
    }
    if (t.children.length) {
      const ul = document.createElement('ul');
      ul.append(...t.children.map(node));
      li.append(ul);
    }
    return li;
  };
  $('topics').replaceChildren(...root.children.map(node));
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
