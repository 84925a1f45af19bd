// Connects MQTT.js to the broker, subscribes, publishes to itself at QoS 2 (with MQTT 5 properties
// when asked for protocol 5) and prints what came back as one JSON line.
// usage: node roundtrip.js <url, e.g. mqtt://127.0.0.1:1883 or ws://127.0.0.1:8083/mqtt> <protocolVersion 4|5>
const mqtt = require('mqtt');

const url = process.argv[2];
const version = Number(process.argv[3]);
const client = mqtt.connect(url, {
  protocolVersion: version,
  clientId: `mqttjs-v${version}`,
  reconnectPeriod: 0,
  connectTimeout: 5000,
});
let done = false;
const fail = (why) => {
  if (done) return; // the result is in; how the connection ends afterwards does not matter
  done = true;
  process.stdout.write(JSON.stringify({ error: String(why) }) + '\n', () => process.exit(1));
};
setTimeout(() => fail('timeout'), 10000);
client.on('error', fail);
client.on('connect', () => {
  client.subscribe('js/+/data', { qos: 2 }, (err) => {
    if (err) return fail(err);
    const properties = version === 5
      ? { contentType: 'text/plain', userProperties: { origin: 'node' }, responseTopic: 'js/replies' }
      : undefined;
    client.publish('js/node/data', 'hello from MQTT.js', { qos: 2, properties }, (err2) => { if (err2) fail(err2); });
  });
});
client.on('message', (topic, payload, packet) => {
  done = true;
  console.log(JSON.stringify({
    topic,
    payload: payload.toString(),
    qos: packet.qos,
    contentType: packet.properties && packet.properties.contentType,
    userProperties: packet.properties && packet.properties.userProperties,
    responseTopic: packet.properties && packet.properties.responseTopic,
  }));
  client.end(false, () => process.exit(0));
});
