package io.mqttra.it.liberty;

import org.jboss.arquillian.core.spi.LoadableExtension;

/** Registers {@link LibertyBindings} and {@link LibertyAdapterSettings}; they act only on deployments to an Open Liberty container. */
public class LibertyExtension implements LoadableExtension {

    @Override
    public void register(ExtensionBuilder builder) {
        builder.observer(LibertyBindings.class);
        builder.observer(LibertyAdapterSettings.class);
    }
}
