package org.dgrab.dl4j.internal.model;

import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * Compares two DL4J model configurations by their JSON ({@code MultiLayerConfiguration.toJson()},
 * {@code ComputationGraphConfiguration.toJson()}), ignoring the training counters DL4J keeps inside them (iteration
 * and epoch counts), so that a checkpoint of the same architecture matches however long it was trained, while any
 * other difference (a layer, an activation, an updater, a learning rate, the data type) does not.
 */
final class ConfigurationJson {
    /** Fields that count training progress rather than describe the model. */
    private static final Set<String> COUNTERS = Set.of("iterationCount", "epochCount");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ConfigurationJson() {
    }

    /**
     * @param expected one configuration's JSON
     * @param actual   the other's
     * @return null if they are equal apart from the counters, else where they first differ and how, e.g.
     *         {@code confs[1].layer.activationFn.@class: "...ActivationReLU" instead of "...ActivationTanH"}
     * @throws IOException if either is not JSON
     */
    static String firstDifference(String expected, String actual) throws IOException {
        return difference("", MAPPER.readTree(expected), MAPPER.readTree(actual));
    }

    private static String difference(String path, JsonNode e, JsonNode a) {
        if (e.isObject() && a.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = e.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (COUNTERS.contains(f.getKey())) {
                    continue;
                }
                String p = path.isEmpty() ? f.getKey() : path + "." + f.getKey();
                JsonNode other = a.get(f.getKey());
                if (other == null) {
                    return p + ": missing";
                }
                String d = difference(p, f.getValue(), other);
                if (d != null) {
                    return d;
                }
            }
            for (Iterator<String> it = a.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (!COUNTERS.contains(name) && e.get(name) == null) {
                    return (path.isEmpty() ? name : path + "." + name) + ": not expected";
                }
            }
            return null;
        }
        if (e.isArray() && a.isArray()) {
            if (e.size() != a.size()) {
                return path + ": " + a.size() + " entries instead of " + e.size();
            }
            for (int i = 0; i < e.size(); i++) {
                String d = difference(path + "[" + i + "]", e.get(i), a.get(i));
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        return e.equals(a) ? null : path + ": " + a + " instead of " + e;
    }
}
