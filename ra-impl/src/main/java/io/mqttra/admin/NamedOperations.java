package io.mqttra.admin;

import java.util.Map;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;
import javax.management.StandardMBean;

/**
 * An MXBean whose operations' parameters have names in JMX consoles ({@code filter}, {@code limit})
 * rather than {@code p0}, {@code p1}: the compiled interface does not keep them.
 */
final class NamedOperations extends StandardMBean {

    private final Map<String, String[]> parameterNames;

    /**
     * @param parameterNames each operation's parameter names, in order, by operation name
     */
    <T> NamedOperations(T implementation, Class<T> mxbeanInterface, Map<String, String[]> parameterNames) {
        super(implementation, mxbeanInterface, true);
        this.parameterNames = parameterNames;
    }

    @Override
    protected String getParameterName(MBeanOperationInfo op, MBeanParameterInfo param, int sequence) {
        String[] names = parameterNames.get(op.getName());
        return names != null && sequence < names.length ? names[sequence] : super.getParameterName(op, param, sequence);
    }
}
