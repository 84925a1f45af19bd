package io.mqttra.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mqttra.broker.BrokerConfig;
import io.mqttra.broker.ListenerConfig;
import io.mqttra.broker.MqttBroker;
import io.mqttra.broker.TestCertificates;
import io.mqttra.broker.TlsConfig;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.FailedLoginException;
import javax.security.auth.login.LoginException;
import javax.security.auth.spi.LoginModule;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine with its security on, driven by real clients: a Mosquitto password file made by
 * {@code mosquitto_passwd} and checked with {@code mosquitto_pub}, a JAAS realm that takes its time,
 * and TLS client certificates as identities.
 */
class SecuredEngineTest {

    private static final String MOSQUITTO_PASSWD = "/usr/bin/mosquitto_passwd";

    private MqttBroker broker;
    private BlockingLoginExecutor logins = new BlockingLoginExecutor(2);

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.stop();
        }
        logins.close();
    }

    private String start(ConfiguredSecurity security, ListenerConfig listener, TlsConfig tls) throws Exception {
        // one I/O thread: a login under way and every other connection share it
        BrokerConfig config = BrokerConfig.builder().listeners(List.of(listener)).tls(tls).sysIntervalSeconds(0)
                .ioThreads(1).loginFailureDelayMillis(0).build();
        security.check(config.listeners(), tls != null && tls.clientAuth() != TlsConfig.ClientAuth.NONE);
        broker = new MqttBroker(config, security);
        broker.start();
        return (tls != null ? "ssl" : "tcp") + "://127.0.0.1:" + broker.localAddress().getPort();
    }

    private Path passwordFile() throws Exception {
        assumeTrue(new File(MOSQUITTO_PASSWD).canExecute(), "mosquitto_passwd (Debian package mosquitto) is not installed");
        Path file = dir.resolve("passwords");
        Files.createFile(file);
        for (String[] user : new String[][] {{"thermo-1", "s3cret-1"}, {"ops", "s3cret-2"}}) {
            Process p = new ProcessBuilder(MOSQUITTO_PASSWD, "-b", file.toString(), user[0], user[1]).redirectErrorStream(true).start();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, new String(p.getInputStream().readAllBytes()));
        }
        return file;
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), String.join(" ", command) + " did not finish");
        return p.exitValue() + ":" + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void mosquittoPasswdUsersLogInWithMosquittoClientsAndWrongPasswordsAreRefused() throws Exception {
        assumeTrue(new File("/usr/bin/mosquitto_pub").canExecute(), "mosquitto-clients is not installed");
        ConfiguredSecurity security = new ConfiguredSecurity(AuthenticationMode.PASSWORD_FILE,
                new RuleAuthorizer(AccessRules.EMPTY, "mqtt-admin", n -> false), AuthenticationMode.PASSWORD_FILE)
                .with(AuthenticationMode.PASSWORD_FILE, new PasswordFileAuthenticator(passwordFile(), logins));
        String port = start(security, ListenerConfig.tcp("127.0.0.1", 0), null).replaceAll(".*:", "");

        Process sub = new ProcessBuilder("/usr/bin/mosquitto_sub", "-h", "127.0.0.1", "-p", port, "-u", "ops", "-P", "s3cret-2",
                "-t", "sensors/#", "-C", "1", "-v").redirectErrorStream(true).start();
        try {
            Thread.sleep(500); // mosquitto_sub has no "subscribed" signal; a QoS 1 retained message would hide a late subscribe
            assertEquals("0:", run("/usr/bin/mosquitto_pub", "-h", "127.0.0.1", "-p", port, "-u", "thermo-1", "-P", "s3cret-1",
                    "-t", "sensors/room1", "-q", "1", "-m", "21.5"));
            assertTrue(sub.waitFor(10, TimeUnit.SECONDS), "mosquitto_sub got the message");
            assertEquals("sensors/room1 21.5", new String(sub.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
        } finally {
            sub.destroy();
        }
        String wrong = run("/usr/bin/mosquitto_pub", "-h", "127.0.0.1", "-p", port, "-u", "thermo-1", "-P", "nope",
                "-t", "sensors/room1", "-m", "x");
        // mosquitto_pub exits with the CONNACK code it got
        assertTrue(wrong.startsWith("4:") && wrong.contains("bad user name or password"), "CONNACK 4: " + wrong);
        String none = run("/usr/bin/mosquitto_pub", "-h", "127.0.0.1", "-p", port, "-t", "sensors/room1", "-m", "x");
        assertTrue(none.startsWith("5:") && none.contains("not authorised"), "CONNACK 5 without credentials: " + none);
    }

    @Test
    void aDeniedSubscriptionGetsNoRetainedMessageAndAnAllowedOneDoes() throws Exception {
        AccessRules rules = AccessRules.parse("allow user:ops all #\nallow user:thermo-1 subscribe public/#", "test");
        ConfiguredSecurity security = new ConfiguredSecurity(AuthenticationMode.PASSWORD_FILE,
                new RuleAuthorizer(rules, "mqtt-admin", n -> false), AuthenticationMode.PASSWORD_FILE)
                .with(AuthenticationMode.PASSWORD_FILE, new PasswordFileAuthenticator(passwordFile(), logins));
        String uri = start(security, ListenerConfig.tcp("127.0.0.1", 0), null);
        MqttAsyncClient ops = new MqttAsyncClient(uri, "ops", new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setUserName("ops");
        o.setPassword("s3cret-2".getBytes(StandardCharsets.UTF_8));
        ops.connect(o).waitForCompletion(10_000);
        ops.publish("private/plan", new MqttMessage("secret".getBytes(StandardCharsets.UTF_8), 1, true, null)).waitForCompletion(10_000);
        ops.publish("public/news", new MqttMessage("hello".getBytes(StandardCharsets.UTF_8), 1, true, null)).waitForCompletion(10_000);

        MqttAsyncClient device = new MqttAsyncClient(uri, "thermo", new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
        MqttConnectionOptions d = new MqttConnectionOptions();
        d.setUserName("thermo-1");
        d.setPassword("s3cret-1".getBytes(StandardCharsets.UTF_8));
        device.connect(d).waitForCompletion(10_000);
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        IMqttToken denied = device.subscribe(new MqttSubscription[] {new MqttSubscription("private/#", 1)}, null, null,
                new IMqttMessageListener[] {(t, m) -> got.add(t)}, new MqttProperties());
        denied.waitForCompletion(10_000);
        assertEquals(0x87, denied.getReasonCodes()[0], "SUBACK 0x87");
        IMqttToken allowed = device.subscribe(new MqttSubscription[] {new MqttSubscription("public/#", 1)}, null, null,
                new IMqttMessageListener[] {(t, m) -> got.add(t)}, new MqttProperties());
        allowed.waitForCompletion(10_000);
        // the retained message of the allowed filter comes after any of the denied one would have [MQTT-3.8.4-4]
        assertEquals("public/news", got.poll(10, TimeUnit.SECONDS), "only the permitted retained message");
        device.disconnect().waitForCompletion(5_000);
        device.close();
        ops.disconnect().waitForCompletion(5_000);
        ops.close();
    }

    /** A realm that answers after {@link #DELAY_MILLIS} for the user {@code slow}, at once for others. */
    public static final class SlowRealm implements LoginModule {
        static final long DELAY_MILLIS = 3000;
        static final CountDownLatch SLOW_LOGIN_STARTED = new CountDownLatch(1);
        private CallbackHandler handler;
        private Subject subject;

        @Override
        public void initialize(Subject subject, CallbackHandler handler, Map<String, ?> sharedState, Map<String, ?> options) {
            this.subject = subject;
            this.handler = handler;
        }

        @Override
        public boolean login() throws LoginException {
            NameCallback name = new NameCallback("user");
            try {
                handler.handle(new Callback[] {name});
                if ("slow".equals(name.getName())) {
                    SLOW_LOGIN_STARTED.countDown();
                    Thread.sleep(DELAY_MILLIS);
                }
            } catch (Exception e) {
                throw new FailedLoginException(e.toString());
            }
            return true;
        }

        @Override
        public boolean commit() {
            return true;
        }

        @Override
        public boolean abort() {
            return true;
        }

        @Override
        public boolean logout() {
            return true;
        }
    }

    private static Configuration slowRealm() {
        return new Configuration() {
            @Override
            public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
                return "slow-realm".equals(name) ? new AppConfigurationEntry[] {new AppConfigurationEntry(SlowRealm.class.getName(),
                        AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, Map.of())} : null;
            }
        };
    }

    @Test
    void aSlowRealmDelaysItsOwnLoginOnlyNotOtherClientsTraffic() throws Exception {
        ConfiguredSecurity security = new ConfiguredSecurity(AuthenticationMode.JAAS,
                new RuleAuthorizer(AccessRules.EMPTY, "mqtt-admin", n -> false), AuthenticationMode.JAAS)
                .with(AuthenticationMode.JAAS, new JaasAuthenticator("slow-realm", slowRealm(), logins));
        String uri = start(security, ListenerConfig.tcp("127.0.0.1", 0), null);

        MqttClient slow = new MqttClient(uri, "slow-client", new MemoryPersistence());
        MqttConnectOptions slowOptions = new MqttConnectOptions();
        slowOptions.setUserName("slow");
        slowOptions.setPassword("x".toCharArray());
        slowOptions.setConnectionTimeout(30);
        CompletableFuture<Long> slowConnected = CompletableFuture.supplyAsync(() -> {
            long start = System.nanoTime();
            try {
                slow.connect(slowOptions);
            } catch (MqttException e) {
                throw new IllegalStateException(e);
            }
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        });
        assertTrue(SlowRealm.SLOW_LOGIN_STARTED.await(10, TimeUnit.SECONDS), "the slow login reached the realm");

        long start = System.nanoTime();
        MqttClient quick = new MqttClient(uri, "quick-client", new MemoryPersistence());
        MqttConnectOptions quickOptions = new MqttConnectOptions();
        quickOptions.setUserName("quick");
        quickOptions.setPassword("x".toCharArray());
        quick.connect(quickOptions);
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        quick.subscribe("quick/topic", 1, (t, m) -> got.add(new String(m.getPayload(), StandardCharsets.UTF_8)));
        quick.publish("quick/topic", "fast".getBytes(StandardCharsets.UTF_8), 1, false);
        assertEquals("fast", got.poll(5, TimeUnit.SECONDS));
        long quickMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertFalse(slowConnected.isDone(), "the slow login is still under way");
        assertTrue(quickMillis < SlowRealm.DELAY_MILLIS / 2, "another client's login and round trip took " + quickMillis + " ms");

        long slowMillis = slowConnected.get(20, TimeUnit.SECONDS);
        assertTrue(slowMillis >= SlowRealm.DELAY_MILLIS - 100, "the slow login was answered when its realm was: " + slowMillis);
        quick.disconnect();
        quick.close();
        slow.disconnect();
        slow.close();
    }

    @Test
    void packetsSentBehindConnectWaitForTheLoginAndAreThenHandled() throws Exception {
        ConfiguredSecurity security = new ConfiguredSecurity(AuthenticationMode.JAAS,
                new RuleAuthorizer(AccessRules.EMPTY, "mqtt-admin", n -> false), AuthenticationMode.JAAS)
                .with(AuthenticationMode.JAAS, new JaasAuthenticator("slow-realm", slowRealm(), logins));
        String uri = start(security, ListenerConfig.tcp("127.0.0.1", 0), null);
        // MQTT 5, asynchronous: connect does not wait, the subscribe and the publish follow at once
        MqttAsyncClient c = new MqttAsyncClient(uri, "eager", new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setUserName("eager");
        o.setPassword("x".getBytes(StandardCharsets.UTF_8));
        c.connect(o).waitForCompletion(10_000);
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        IMqttToken sub = c.subscribe(new MqttSubscription[] {new MqttSubscription("eager/#", 1)}, null, null,
                new IMqttMessageListener[] {(t, m) -> got.add(t)}, new MqttProperties());
        c.publish("eager/one", new MqttMessage("1".getBytes(StandardCharsets.UTF_8), 1, false, null));
        sub.waitForCompletion(10_000);
        assertEquals("eager/one", got.poll(10, TimeUnit.SECONDS));
        c.disconnect().waitForCompletion(5_000);
        c.close();
    }

    @Test
    void theCertificatesCommonNameIsTheUserAndAClaimedNameIsIgnored() throws Exception {
        TestCertificates certs = TestCertificates.create(TestCertificates.tempDir("secured-engine-certs"));
        AccessRules rules = AccessRules.parse("allow all all devices/%u/#", "test");
        ConfiguredSecurity security = new ConfiguredSecurity(AuthenticationMode.CERTIFICATE,
                new RuleAuthorizer(rules, "mqtt-admin", n -> false), AuthenticationMode.CERTIFICATE)
                .with(AuthenticationMode.CERTIFICATE, new CertificateAuthenticator(CertificateIdentity.COMMON_NAME));
        String uri = start(security, ListenerConfig.parse("ssl://127.0.0.1:0"), certs.serverTls(TlsConfig.ClientAuth.REQUIRED));

        MqttAsyncClient c = new MqttAsyncClient(uri, "cert-client", new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setSocketFactory(certs.clientContext(true).getSocketFactory());
        o.setUserName("admin"); // claimed, and ignored: the certificate says device-1
        c.connect(o).waitForCompletion(10_000);
        assertEquals(0, publishCode(c, "devices/device-1/status"), "the certificate's user publishes under %u");
        assertEquals(0x87, publishCode(c, "devices/admin/status"), "the claimed name gives nothing");
        c.disconnect().waitForCompletion(5_000);
        c.close();

        TestCertificates stranger = TestCertificates.create(TestCertificates.tempDir("secured-engine-stranger"));
        MqttAsyncClient s = new MqttAsyncClient(uri, "stranger", new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
        MqttConnectionOptions so = new MqttConnectionOptions();
        // trusts the broker's CA, but presents a certificate of a CA the broker does not trust
        javax.net.ssl.SSLContext mixed = javax.net.ssl.SSLContext.getInstance("TLS");
        mixed.init(stranger.clientKeyManagers().getKeyManagers(), certs.trustManagers().getTrustManagers(), null);
        so.setSocketFactory(mixed.getSocketFactory());
        List<String> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Logger log = java.util.logging.Logger.getLogger("io.mqttra.broker.RejectionLoggingTrustManager");
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                logged.add(r.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Level level = log.getLevel();
        log.setLevel(java.util.logging.Level.ALL);
        log.addHandler(capture);
        try {
            assertThrows(org.eclipse.paho.mqttv5.common.MqttException.class, () -> s.connect(so).waitForCompletion(10_000),
                    "a certificate from an untrusted CA fails the handshake");
        } finally {
            log.removeHandler(capture);
            log.setLevel(level);
        }
        s.close();
        assertTrue(logged.stream().anyMatch(m -> m.startsWith("Refused the TLS client certificate of 'CN=device-1' issued by"
                + " 'CN=MQTT-RA Test CA'")), "the refusal is logged with subject, issuer and reason: " + logged);
    }

    private static int publishCode(MqttAsyncClient c, String topic) throws Exception {
        try {
            IMqttToken t = c.publish(topic, new MqttMessage("p".getBytes(StandardCharsets.UTF_8), 1, false, null));
            t.waitForCompletion(10_000);
            int[] codes = t.getReasonCodes();
            int code = codes == null || codes.length == 0 ? 0 : codes[0];
            return code == 0x10 ? 0 : code; // no matching subscribers is success
        } catch (org.eclipse.paho.mqttv5.common.MqttException e) {
            return e.getReasonCode();
        }
    }

    @Test
    void noCredentialsOnAPasswordListenerIsNotAuthorized() throws Exception {
        ConfiguredSecurity security = new ConfiguredSecurity(AuthenticationMode.PASSWORD_FILE,
                new RuleAuthorizer(AccessRules.EMPTY, "mqtt-admin", n -> false), AuthenticationMode.PASSWORD_FILE)
                .with(AuthenticationMode.PASSWORD_FILE, new PasswordFileAuthenticator(passwordFile(), logins));
        String uri = start(security, ListenerConfig.tcp("127.0.0.1", 0), null);
        MqttClient c = new MqttClient(uri, "nobody", new MemoryPersistence());
        MqttException e = assertThrows(MqttException.class, c::connect);
        assertEquals(MqttException.REASON_CODE_NOT_AUTHORIZED, e.getReasonCode());
        c.close();
    }
}
