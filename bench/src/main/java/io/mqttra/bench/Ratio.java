package io.mqttra.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A column of the results: one broker's figure divided by another's, both measured in the same run. */
record Ratio(String numerator, String denominator) {

    String label() {
        return numerator + " ÷ " + denominator;
    }

    /** The ratio in {@code row} (figures by broker), or null when either figure is missing or the divisor is 0. */
    Double of(Map<String, Scenarios.Result> row) {
        Scenarios.Result n = row.get(numerator);
        Scenarios.Result d = row.get(denominator);
        return n == null || d == null || d.value() <= 0 ? null : n.value() / d.value();
    }

    /**
     * Each broker against Mosquitto: a broker that checks logins against {@code mosquitto-auth}, which
     * checks them too, the others against {@code mosquitto}; and, where {@code mosquitto-persist} is in the
     * run, each broker that keeps sessions across a restart against it too (the reconnect scenario measures
     * only those).
     */
    static List<Ratio> againstMosquitto(List<String> brokers) {
        List<Ratio> ratios = new ArrayList<>();
        for (String b : brokers) {
            if (!BrokerUnderTest.anonymous(b).startsWith("mosquitto")) {
                ratios.add(new Ratio(b, BrokerUnderTest.checksLogins(b) ? "mosquitto" + BrokerUnderTest.AUTH : "mosquitto"));
            }
        }
        if (brokers.contains(BrokerUnderTest.MOSQUITTO_PERSIST)) {
            brokers.stream().filter(b -> BrokerUnderTest.keepsSessions(b) && !b.equals(BrokerUnderTest.MOSQUITTO_PERSIST))
                    .forEach(b -> ratios.add(new Ratio(b, BrokerUnderTest.MOSQUITTO_PERSIST)));
        }
        return ratios;
    }

    /**
     * The engine in WildFly against the plain engine, with and without logins, and in Liberty against both, when
     * both are in the run.
     */
    static List<Ratio> inServer(List<String> brokers) {
        List<Ratio> ratios = new ArrayList<>();
        for (String suffix : new String[] {"", BrokerUnderTest.AUTH}) {
            if (brokers.contains("wildfly" + suffix) && brokers.contains("engine" + suffix)) {
                ratios.add(new Ratio("wildfly" + suffix, "engine" + suffix));
            }
        }
        for (String other : new String[] {"wildfly", "engine"}) {
            if (brokers.contains(BrokerUnderTest.LIBERTY) && brokers.contains(other)) {
                ratios.add(new Ratio(BrokerUnderTest.LIBERTY, other));
            }
        }
        return ratios;
    }

    /**
     * What the MXBeans cost: WildFly with the adapter's MXBeans read every second by {@link JmxScraper},
     * against WildFly with {@code managementEnabled=false}, when both are in the run.
     */
    static List<Ratio> management(List<String> brokers) {
        return brokers.contains("wildfly") && brokers.contains(BrokerUnderTest.NO_JMX)
                ? List.of(new Ratio("wildfly", BrokerUnderTest.NO_JMX)) : List.of();
    }

    /**
     * What the topic statistics cost: the engine (10,000 topics tracked, the default) against the engine with
     * {@code --max-tracked-topics 0}, when both are in the run.
     */
    static List<Ratio> topicStatistics(List<String> brokers) {
        return brokers.contains("engine") && brokers.contains(BrokerUnderTest.NO_TOPICS)
                ? List.of(new Ratio("engine", BrokerUnderTest.NO_TOPICS)) : List.of();
    }

    /** What the warm-up at start does: the engine against the engine with {@code --warm-up 0}, when both are in the run. */
    static List<Ratio> warmUp(List<String> brokers) {
        return brokers.contains("engine") && brokers.contains(BrokerUnderTest.COLD)
                ? List.of(new Ratio("engine", BrokerUnderTest.COLD)) : List.of();
    }

    /** What checking logins costs: each broker that checks them against itself letting clients in without. */
    static List<Ratio> logins(List<String> brokers) {
        return brokers.stream().filter(b -> BrokerUnderTest.checksLogins(b) && brokers.contains(BrokerUnderTest.anonymous(b)))
                .map(b -> new Ratio(b, BrokerUnderTest.anonymous(b))).toList();
    }
}
