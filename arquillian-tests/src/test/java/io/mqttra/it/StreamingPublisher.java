package io.mqttra.it;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientBuilder;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * One MQTT client that publishes a stream of messages with unique payloads ({@code <name>-<n>-q<qos>}),
 * QoS 1 and 2 in turn, keeping {@link #WINDOW} of them in flight, and records which ones the broker
 * acknowledged: PUBACK for QoS 1, the whole PUBLISH/PUBREC/PUBREL/PUBCOMP flow for QoS 2, as the client
 * library reports it. The stream ends at the first publish that fails (the connection is gone).
 */
abstract class StreamingPublisher {

    static final int WINDOW = 16;

    final String name;
    final String topic;
    /** Keeps a persistent session and resends what it had in flight when it reconnects. */
    final boolean resendsAfterReconnecting;
    /** Every payload handed to the client library. */
    final Set<String> sent = ConcurrentHashMap.newKeySet();
    final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private final Semaphore window = new Semaphore(WINDOW);
    private volatile boolean failed;
    private Thread thread;

    StreamingPublisher(String name, String topic) {
        this(name, topic, false);
    }

    StreamingPublisher(String name, String topic, boolean resendsAfterReconnecting) {
        this.name = name;
        this.topic = topic;
        this.resendsAfterReconnecting = resendsAfterReconnecting;
    }

    abstract void connect() throws Exception;

    /** Publishes; {@code outcome} is told once whether the broker acknowledged the message. */
    abstract void publish(String payload, int qos, Consumer<Boolean> outcome) throws Exception;

    abstract void close();

    /** Streams at most {@code limit} messages on a thread of its own. */
    void start(int limit) {
        thread = new Thread(() -> stream(limit), "publisher-" + name);
        thread.start();
    }

    private void stream(int limit) {
        for (int n = 0; n < limit && !failed; n++) {
            try {
                window.acquire();
            } catch (InterruptedException e) {
                return;
            }
            int qos = n % 2 == 0 ? 1 : 2;
            String payload = name + "-" + n + "-q" + qos;
            sent.add(payload);
            AtomicBoolean told = new AtomicBoolean();
            try {
                publish(payload, qos, ok -> {
                    if (!told.compareAndSet(false, true)) {
                        return; // a library may report a token twice; the first outcome counts
                    }
                    if (ok) {
                        acknowledged.add(payload);
                    } else {
                        failed = true;
                    }
                    window.release();
                });
            } catch (Exception e) {
                failed = true;
                if (told.compareAndSet(false, true)) {
                    window.release();
                }
            }
        }
    }

    /** Waits until the stream has ended and every message it sent has its outcome. */
    boolean awaitEnd(Duration timeout) throws InterruptedException {
        thread.join(timeout.toMillis());
        return !thread.isAlive() && window.tryAcquire(WINDOW, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean failed() {
        return failed;
    }

    /** After the server is back: waits until the client has resent what it keeps in its session, if anything. */
    void awaitResent(Duration timeout) throws Exception {
    }

    /**
     * HiveMQ MQTT client, MQTT 5 or 3.1.1, with the library's defaults: clean start (clean session), no
     * session expiry. An MQTT 5 result that carries an error counts as not acknowledged.
     */
    static StreamingPublisher hiveMq(String name, String topic, String user, String password, boolean v5) {
        MqttClientBuilder builder = MqttClient.builder().identifier(name).serverHost("127.0.0.1").serverPort(1883);
        byte[] secret = password.getBytes(StandardCharsets.UTF_8);
        Mqtt5AsyncClient client5 = v5 ? builder.useMqttVersion5().simpleAuth().username(user).password(secret).applySimpleAuth()
                .buildAsync() : null;
        Mqtt3AsyncClient client3 = v5 ? null : builder.useMqttVersion3().simpleAuth().username(user).password(secret)
                .applySimpleAuth().buildAsync();
        return new StreamingPublisher(name, topic) {
            @Override
            void connect() throws Exception {
                (v5 ? client5.connect() : client3.connect()).get(10, TimeUnit.SECONDS);
            }

            @Override
            void publish(String payload, int qos, Consumer<Boolean> outcome) {
                byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
                MqttQos level = MqttQos.fromCode(qos);
                CompletableFuture<Boolean> done = v5
                        ? client5.publishWith().topic(topic).qos(level).payload(bytes).send().thenApply(r -> r.getError().isEmpty())
                        : client3.publishWith().topic(topic).qos(level).payload(bytes).send().thenApply(r -> true);
                done.whenComplete((ok, e) -> outcome.accept(e == null && ok));
            }

            @Override
            void close() {
                if (v5) {
                    client5.disconnect();
                } else {
                    client3.disconnect();
                }
            }
        };
    }

    /**
     * Eclipse Paho, MQTT 3.1.1. With {@code persistentSession}: cleanSession=0 and automatic reconnection;
     * after reconnecting, Paho resends what it had in flight, PUBLISH (with DUP) or PUBREL, whatever
     * CONNACK says of the session, and acknowledgements that come then count too.
     */
    static StreamingPublisher paho3(String name, String topic, String user, String password, boolean persistentSession)
            throws Exception {
        MqttAsyncClient client = new MqttAsyncClient("tcp://127.0.0.1:1883", name, new MemoryPersistence());
        return new StreamingPublisher(name, topic, persistentSession) {
            @Override
            void connect() throws Exception {
                client.setCallback(new org.eclipse.paho.client.mqttv3.MqttCallback() {
                    @Override
                    public void connectionLost(Throwable cause) {
                    }

                    @Override
                    public void messageArrived(String t, org.eclipse.paho.client.mqttv3.MqttMessage m) {
                    }

                    @Override
                    public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken token) {
                        acknowledged.add((String) token.getUserContext()); // also for a resend after reconnecting
                    }
                });
                MqttConnectOptions options = new MqttConnectOptions();
                options.setUserName(user);
                options.setPassword(password.toCharArray());
                options.setMaxInflight(10 * WINDOW); // Paho frees a slot after telling the listener
                options.setCleanSession(!persistentSession);
                options.setAutomaticReconnect(persistentSession);
                options.setMaxReconnectDelay(500);
                client.connect(options).waitForCompletion(10_000);
            }

            @Override
            void publish(String payload, int qos, Consumer<Boolean> outcome) throws Exception {
                client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, false, payload, new IMqttActionListener() {
                    @Override
                    public void onSuccess(IMqttToken token) {
                        outcome.accept(true);
                    }

                    @Override
                    public void onFailure(IMqttToken token, Throwable e) {
                        outcome.accept(false);
                    }
                });
            }

            @Override
            void awaitResent(Duration timeout) throws Exception {
                if (persistentSession) {
                    io.mqttra.testing.Await.until(timeout, name + " to reconnect and resend its session's messages",
                            () -> client.isConnected() && client.getPendingDeliveryTokens().length == 0);
                }
            }

            @Override
            void close() {
                try {
                    client.disconnectForcibly(1000, 1000);
                    client.close();
                } catch (org.eclipse.paho.client.mqttv3.MqttException ignored) {
                    // gone with the server
                }
            }
        };
    }

    /** Eclipse Paho, MQTT 5, clean start; a reason code of 0x80 or more counts as not acknowledged. */
    static StreamingPublisher paho5(String name, String topic, String user, String password) throws Exception {
        org.eclipse.paho.mqttv5.client.MqttAsyncClient client = new org.eclipse.paho.mqttv5.client.MqttAsyncClient(
                "tcp://127.0.0.1:1883", name, new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
        return new StreamingPublisher(name, topic) {
            @Override
            void connect() throws Exception {
                org.eclipse.paho.mqttv5.client.MqttConnectionOptions options = new org.eclipse.paho.mqttv5.client.MqttConnectionOptions();
                options.setUserName(user);
                options.setPassword(password.getBytes(StandardCharsets.UTF_8));
                client.connect(options).waitForCompletion(10_000);
            }

            @Override
            void publish(String payload, int qos, Consumer<Boolean> outcome) throws Exception {
                org.eclipse.paho.mqttv5.common.MqttMessage m = new org.eclipse.paho.mqttv5.common.MqttMessage(
                        payload.getBytes(StandardCharsets.UTF_8));
                m.setQos(qos);
                client.publish(topic, m, null, new org.eclipse.paho.mqttv5.client.MqttActionListener() {
                    @Override
                    public void onSuccess(org.eclipse.paho.mqttv5.client.IMqttToken token) {
                        int[] codes = token.getReasonCodes();
                        outcome.accept(codes == null || java.util.Arrays.stream(codes).allMatch(c -> c < 0x80));
                    }

                    @Override
                    public void onFailure(org.eclipse.paho.mqttv5.client.IMqttToken token, Throwable e) {
                        outcome.accept(false);
                    }
                });
            }

            @Override
            void close() {
                try {
                    client.disconnectForcibly(1000, 1000, false);
                    client.close();
                } catch (org.eclipse.paho.mqttv5.common.MqttException ignored) {
                    // gone with the server
                }
            }
        };
    }
}
