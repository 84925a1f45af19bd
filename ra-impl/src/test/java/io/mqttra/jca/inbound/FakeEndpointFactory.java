package io.mqttra.jca.inbound;

import io.mqttra.api.MqttMessage;
import io.mqttra.api.MqttMessageListener;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import jakarta.resource.spi.endpoint.MessageEndpoint;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

/**
 * A message-driven bean as a container presents it to the adapter: each endpoint is a proxy that
 * implements the bean's listener and {@link MessageEndpoint} and hands the message to the test. A
 * transacted bean's {@code beforeDelivery} begins a transaction that {@code afterDelivery} commits, or
 * rolls back when {@code onMessage} threw or the bean called {@link #setRollbackOnly()}; the outcome
 * reaches the adapter through {@link #registry()} or, without one, through the endpoint's XAResource.
 */
public final class FakeEndpointFactory implements MessageEndpointFactory {

    /** What the bean does with one message: a {@link Message} or an {@link MqttMessage}. */
    public interface Bean {
        void onMessage(Object message) throws Exception;
    }

    /** The class of a JMS bean, as the container reports it. */
    abstract static class JmsBean implements MessageListener {
    }

    /** The class of a native bean, as the container reports it. */
    abstract static class NativeBean implements MqttMessageListener {
    }

    private final Class<?> beanClass;
    private final Class<?> listener;
    private final Bean bean;
    private final boolean transacted;
    private final boolean withRegistry;
    final AtomicInteger created = new AtomicInteger();
    final AtomicInteger released = new AtomicInteger();
    final AtomicInteger commits = new AtomicInteger();
    final AtomicInteger rollbacks = new AtomicInteger();
    /** The synchronization of the transaction in progress (one delivery at a time in the transacted tests). */
    private volatile Synchronization synchronization;
    private volatile boolean rollbackOnly;
    private final Registry registry = new Registry();

    private FakeEndpointFactory(Class<?> beanClass, Class<?> listener, Bean bean, boolean transacted, boolean withRegistry) {
        this.beanClass = beanClass;
        this.listener = listener;
        this.bean = bean;
        this.transacted = transacted;
        this.withRegistry = withRegistry;
    }

    public static FakeEndpointFactory jms(Bean bean) {
        return new FakeEndpointFactory(JmsBean.class, MessageListener.class, bean, false, false);
    }

    static FakeEndpointFactory nativeMqtt(Bean bean) {
        return new FakeEndpointFactory(NativeBean.class, MqttMessageListener.class, bean, false, false);
    }

    /** A container-managed-transaction JMS bean; {@code withRegistry}: the server has a synchronization registry. */
    static FakeEndpointFactory transactedJms(Bean bean, boolean withRegistry) {
        return new FakeEndpointFactory(JmsBean.class, MessageListener.class, bean, true, withRegistry);
    }

    /** The server's registry, or {@code null} when the bean is not transacted or the server has none. */
    TransactionSynchronizationRegistry registry() {
        return transacted && withRegistry ? registry : null;
    }

    /** As {@code MessageDrivenContext.setRollbackOnly()} from inside {@code onMessage}. */
    void setRollbackOnly() {
        rollbackOnly = true;
    }

    @Override
    public MessageEndpoint createEndpoint(XAResource xaResource) {
        created.incrementAndGet();
        InvocationHandler handler = new EndpointHandler(xaResource);
        return (MessageEndpoint) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {listener, MessageEndpoint.class}, handler);
    }

    @Override
    public MessageEndpoint createEndpoint(XAResource xaResource, long timeout) {
        return createEndpoint(xaResource);
    }

    @Override
    public boolean isDeliveryTransacted(Method method) {
        return transacted;
    }

    @Override
    public String getActivationName() {
        return "fake-activation";
    }

    @Override
    public Class<?> getEndpointClass() {
        return beanClass;
    }

    private final class EndpointHandler implements InvocationHandler {
        private final XAResource xaResource;

        EndpointHandler(XAResource xaResource) {
            this.xaResource = xaResource;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            switch (method.getName()) {
                case "onMessage" -> {
                    try {
                        bean.onMessage(args[0]);
                    } catch (RuntimeException e) {
                        rollbackOnly = true; // a system exception rolls the container's transaction back
                        throw e;
                    }
                    return null;
                }
                case "beforeDelivery" -> {
                    rollbackOnly = false;
                    synchronization = null;
                    return null;
                }
                case "afterDelivery" -> {
                    complete();
                    return null;
                }
                case "release" -> {
                    released.incrementAndGet();
                    return null;
                }
                case "hashCode" -> {
                    return System.identityHashCode(proxy);
                }
                case "equals" -> {
                    return proxy == args[0];
                }
                case "toString" -> {
                    return "endpoint of " + beanClass.getSimpleName();
                }
                default -> throw new UnsupportedOperationException(method.toString());
            }
        }

        private void complete() throws XAException {
            boolean commit = !rollbackOnly;
            (commit ? commits : rollbacks).incrementAndGet();
            Synchronization s = synchronization;
            if (s != null) {
                s.afterCompletion(commit ? Status.STATUS_COMMITTED : Status.STATUS_ROLLEDBACK);
            } else if (xaResource != null) {
                Xid xid = new FakeXid();
                xaResource.start(xid, XAResource.TMNOFLAGS);
                xaResource.end(xid, commit ? XAResource.TMSUCCESS : XAResource.TMFAIL);
                if (commit) {
                    xaResource.commit(xid, true);
                } else {
                    xaResource.rollback(xid);
                }
            }
        }
    }

    private final class Registry implements TransactionSynchronizationRegistry {
        @Override
        public Object getTransactionKey() {
            return this;
        }

        @Override
        public void putResource(Object key, Object value) {
        }

        @Override
        public Object getResource(Object key) {
            return null;
        }

        @Override
        public void registerInterposedSynchronization(Synchronization sync) {
            synchronization = sync;
        }

        @Override
        public int getTransactionStatus() {
            return Status.STATUS_ACTIVE;
        }

        @Override
        public void setRollbackOnly() {
            rollbackOnly = true;
        }

        @Override
        public boolean getRollbackOnly() {
            return rollbackOnly;
        }
    }

    private static final class FakeXid implements Xid {
        @Override
        public int getFormatId() {
            return 1;
        }

        @Override
        public byte[] getGlobalTransactionId() {
            return new byte[] {1};
        }

        @Override
        public byte[] getBranchQualifier() {
            return new byte[] {1};
        }
    }
}
