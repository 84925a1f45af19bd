package io.mqttra.it;

import io.mqttra.testing.Await;
import java.io.IOException;
import java.time.Duration;
import org.jboss.as.controller.client.ModelControllerClient;
import org.jboss.dmr.ModelNode;

/** Management operations on the test server, through the connection Arquillian holds to it. */
final class ServerManagement {

    private final ModelControllerClient client;

    ServerManagement(ModelControllerClient client) {
        this.client = client;
    }

    /** An address from name/value pairs: {@code address("subsystem", "resource-adapters", ...)}. */
    static ModelNode address(String... pairs) {
        ModelNode address = new ModelNode().setEmptyList();
        for (int i = 0; i < pairs.length; i += 2) {
            address.add(pairs[i], pairs[i + 1]);
        }
        return address;
    }

    static ModelNode operation(String name, ModelNode address) {
        ModelNode op = new ModelNode();
        op.get("operation").set(name);
        op.get("address").set(address);
        return op;
    }

    /** Runs {@code op}; its result, or an {@link IllegalStateException} with the server's failure description. */
    ModelNode execute(ModelNode op) throws IOException {
        ModelNode answer = client.execute(op);
        if (!"success".equals(answer.get("outcome").asString())) {
            throw new IllegalStateException(op.get("operation").asString() + " " + op.get("address") + " failed: "
                    + answer.get("failure-description"));
        }
        return answer.get("result");
    }

    boolean exists(ModelNode address) throws IOException {
        return "success".equals(client.execute(operation("read-resource", address)).get("outcome").asString());
    }

    /** Sets an attribute of the resource at {@code address}. */
    void write(ModelNode address, String attribute, String value) throws IOException {
        ModelNode op = operation("write-attribute", address);
        op.get("name").set(attribute);
        op.get("value").set(value);
        execute(op);
    }

    /** :reload, then waits until the server runs again with its deployments. */
    void reload() throws Exception {
        try {
            client.execute(operation("reload", address()));
        } catch (IOException e) {
            // the server may close the connection before its answer arrives: the reload is under way
        }
        // the state may still read "running" for a moment after the reply: first see the reload begin
        Await.until(Duration.ofSeconds(30), "the server to begin its :reload", () -> !"running".equals(state()));
        awaitRunning();
    }

    /** Waits until the server runs, e.g. after a reload that a failed test left under way. */
    void awaitRunning() throws Exception {
        Await.until(Duration.ofSeconds(60), "the server to run", () -> "running".equals(state()));
    }

    private String state() {
        ModelNode read = operation("read-attribute", address());
        read.get("name").set("server-state");
        try {
            return client.execute(read).get("result").asString();
        } catch (IOException e) {
            return "unreachable"; // the management interface is restarting
        }
    }
}
