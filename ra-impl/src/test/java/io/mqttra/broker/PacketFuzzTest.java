package io.mqttra.broker;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.util.ResourceLeakDetector;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded mutations of valid packets of every type, at every protocol level ({@link PacketMutator}), sent
 * to a running broker over TCP, a connection per input: no input may make an exception escape the
 * connection's handling (a WARNING "unexpected error" line), leak a buffer (Netty's leak detector at
 * PARANOID), or hurt other clients. A short run here ({@code -Dfuzz.socket.inputs=100000} for a longer one);
 * millions of inputs go through the same pipeline in process, {@link PipelineFuzzTest}. A failing input
 * is reproduced from the seed printed with it.
 */
class PacketFuzzTest {

    private static final long SEED = Long.getLong("fuzz.seed", 20261202L);
    private static final int INPUTS = Integer.getInteger("fuzz.socket.inputs", 5_000);

    private final PacketMutator mutator = new PacketMutator();

    @Test
    void mutatedPacketsCloseTheirConnectionAndNothingElse() throws Exception {
        MqttBroker broker = new MqttBroker(BrokerConfig.builder().tcp("127.0.0.1", 0).sysIntervalSeconds(0)
                // thousands of connections a second from 127.0.0.1: no per-address rate
                .maxConnectionsPerSecondPerAddress(0)
                .maxPacketSize(64 * 1024).connectTimeoutMillis(2000).build());
        try (FuzzWatch watch = new FuzzWatch(ResourceLeakDetector.Level.PARANOID)) {
            broker.start();
            Random random = new Random(SEED);
            for (int i = 0; i < INPUTS; i++) {
                long inputSeed = random.nextLong();
                send(broker, mutator.input(inputSeed));
                watch.check(i, inputSeed);
            }
            FuzzWatch.collectLeaks();
            assertTrue(watch.problems().isEmpty(), watch.problems().toString());
            assertTrue(broker.stats().connectionsTotal() >= INPUTS, "every input reached the broker");
            FuzzWatch.assertBrokerStillServes(broker);
        } finally {
            broker.stop();
        }
    }

    /** Sends one input on a connection of its own and reads until the broker closes it or a short while passes. */
    private static void send(MqttBroker broker, byte[] input) throws IOException {
        try (Socket s = new Socket("127.0.0.1", broker.localAddress().getPort())) {
            s.setSoTimeout(200);
            OutputStream out = s.getOutputStream();
            out.write(input);
            out.flush();
            s.shutdownOutput(); // the broker reads the input, then the end of the stream, and closes
            InputStream in = s.getInputStream();
            byte[] sink = new byte[4096];
            try {
                while (in.read(sink) >= 0) {
                    // drain what the broker answers
                }
            } catch (IOException timeoutOrReset) {
                // the broker may keep a valid session open, or reset the connection: both are fine
            }
        } catch (IOException refused) {
            // a reset while writing: the broker closed first
        }
    }
}
