package io.mqttra.samples;

import io.mqttra.api.MqttTopics;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.RequestScoped;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.InvalidDestinationRuntimeException;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.MessageFormatRuntimeException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Sends a command to a device (as an operator, here the run profile's user):
 * {@code curl -u demo:demo-Secret1 -X POST http://localhost:8080/mqtt-ra-samples/api/devices/42/commands -d reboot}
 * publishes "reboot" to the MQTT topic {@code devices/42/commands} at QoS 1, through the adapter's
 * JMS connection factory.
 */
@Path("/devices/{id}/commands")
@RequestScoped
public class DeviceCommandsResource {

    @Resource(name = "mqtt/ConnectionFactory", lookup = "java:/mqtt/ConnectionFactory") // Liberty: WEB-INF/ibm-web-bnd.xml
    private ConnectionFactory mqtt;

    @POST
    @Consumes({MediaType.TEXT_PLAIN, MediaType.APPLICATION_FORM_URLENCODED, MediaType.WILDCARD})
    public Response send(@PathParam("id") String deviceId, byte[] command) {
        String topic = "devices/" + deviceId + "/commands";
        String problem = deviceId.contains("/") ? "a device id is one topic level" : MqttTopics.topicNameProblem(topic);
        if (problem != null) {
            return Response.status(Response.Status.BAD_REQUEST).entity("invalid device id: " + problem).build();
        }
        // the body as bytes, as the device gets it: a command need not be text
        try (JMSContext context = mqtt.createContext()) {
            context.createProducer().send(context.createTopic(topic), command);
        } catch (InvalidDestinationRuntimeException | MessageFormatRuntimeException e) {
            return Response.status(Response.Status.BAD_REQUEST).entity(e.getMessage()).build();
        } catch (JMSRuntimeException e) {
            return Response.status(Response.Status.SERVICE_UNAVAILABLE).entity(e.getMessage()).build();
        }
        return Response.accepted().build();
    }
}
