package io.mqttra.console;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Starts the once-a-second tick of the live feed (and of the Micrometer gauges, where the server has Micrometer). */
@WebListener
public class ConsoleLifecycle implements ServletContextListener {

    private static final Logger LOG = Logger.getLogger(ConsoleLifecycle.class.getName());
    private static final String FEED = LiveFeed.class.getName();

    @Resource
    private ManagedScheduledExecutorService scheduler;

    private ScheduledFuture<?> ticks;
    private LiveFeed feed;

    static LiveFeed feed(ServletContext context) {
        return (LiveFeed) context.getAttribute(FEED);
    }

    @Override
    public void contextInitialized(ServletContextEvent event) {
        if (scheduler == null) {
            // Liberty leaves the field null, with only a warning, when the feature is missing
            throw new IllegalStateException("MQTT-RA console: the server gave no ManagedScheduledExecutorService"
                    + " (Jakarta Concurrency); on Open Liberty add the feature concurrent-3.0");
        }
        ManagedBroker adapter = new ManagedBroker();
        feed = new LiveFeed(adapter);
        event.getServletContext().setAttribute(FEED, feed);
        Runnable micrometer = MicrometerPresence.binding(new MetricsCatalog(adapter));
        ticks = scheduler.scheduleAtFixedRate(() -> {
            try {
                feed.tick();
                micrometer.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "MQTT-RA console: a tick failed", e);
            }
        }, 1, 1, TimeUnit.SECONDS);
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        if (ticks != null) {
            ticks.cancel(false);
            feed.closeAll();
        }
    }
}
