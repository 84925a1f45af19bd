package io.mqttra.samples;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The sample's REST endpoints live under /api. */
@ApplicationPath("/api")
public class SamplesApplication extends Application {
}
