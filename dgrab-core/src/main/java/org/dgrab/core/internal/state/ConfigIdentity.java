package org.dgrab.core.internal.state;

import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The identity of a configuration as named fields, in a fixed order ({@code kind=cd-grab}, {@code seed=13},
 * {@code workers=4}, ...), for checkpoints that must be restored only into the configuration that wrote them. A
 * restore compares the fields one by one, never a description, and a refusal names the first field that differs
 * with both values: "the checkpoint has workers=4, this trainer has workers=2". The ordering strategies' binary
 * checkpoints word their refusals with {@link #differs}; checkpoints stored as properties (the trainers') keep the
 * fields themselves with {@link #store} and {@link #load}.
 *
 * <p>Values are compared as strings, so each field's writer must format it the same way every time (integers,
 * ids, enum names). Immutable.
 */
public final class ConfigIdentity {
    private final Map<String, String> fields;

    private ConfigIdentity(Map<String, String> fields) {
        this.fields = Collections.unmodifiableMap(fields);
    }

    /** @return an identity without fields, to extend with {@link #with} */
    public static ConfigIdentity empty() {
        return new ConfigIdentity(new LinkedHashMap<>());
    }

    /**
     * @param field the field's name, without {@code '='}; not yet in this identity
     * @param value its value, written with {@link String#valueOf(Object)}
     * @return a copy of this identity with the field added last
     * @throws IllegalArgumentException for a repeated or malformed name
     */
    public ConfigIdentity with(String field, Object value) {
        if (field.isEmpty() || field.indexOf('=') >= 0 || fields.containsKey(field)) {
            throw new IllegalArgumentException("identity field '" + field + "' is empty, contains '=' or is repeated in "
                    + fields.keySet());
        }
        Map<String, String> copy = new LinkedHashMap<>(fields);
        copy.put(field, String.valueOf(value));
        return new ConfigIdentity(copy);
    }

    /**
     * @param more fields to add after these, none already here
     * @return a copy of this identity with {@code more}'s fields added last, in their order
     */
    public ConfigIdentity with(ConfigIdentity more) {
        ConfigIdentity all = this;
        for (Map.Entry<String, String> f : more.fields.entrySet()) {
            all = all.with(f.getKey(), f.getValue());
        }
        return all;
    }

    /** @return the fields in order, unmodifiable */
    public Map<String, String> fields() {
        return fields;
    }

    /**
     * Stores every field as the property {@code prefix + field}.
     *
     * @param p      the properties
     * @param prefix the key prefix, e.g. {@code "config."}, so that the fields do not collide with other entries
     */
    public void store(Properties p, String prefix) {
        fields.forEach((k, v) -> p.setProperty(prefix + k, v));
    }

    /**
     * Reads the fields that {@link #store} wrote. Properties keep no order, so the loaded identity is sorted by
     * field name; {@link #requireSame} compares in the order of the identity it is called on.
     *
     * @param p      the properties
     * @param prefix the key prefix given to {@link #store}
     * @return the fields found, possibly none
     */
    public static ConfigIdentity load(Properties p, String prefix) {
        Map<String, String> found = new LinkedHashMap<>();
        p.stringPropertyNames().stream().filter(k -> k.startsWith(prefix) && k.length() > prefix.length()).sorted()
                .forEach(k -> found.put(k.substring(prefix.length()), p.getProperty(k)));
        return new ConfigIdentity(found);
    }

    /**
     * Refuses a checkpoint of another configuration: compares this run's fields in order, then refuses fields only
     * the checkpoint has.
     *
     * @param checkpoint  the identity stored in the checkpoint
     * @param who         this side in messages, e.g. {@code "this trainer"}
     * @param description a one-line description of this side, appended to the message
     * @throws IOException naming the first field that differs, with the checkpoint's and this run's values
     */
    public void requireSame(ConfigIdentity checkpoint, String who, String description) throws IOException {
        for (Map.Entry<String, String> f : fields.entrySet()) {
            String got = checkpoint.fields.get(f.getKey());
            if (!f.getValue().equals(got)) {
                throw differs(f.getKey(), got == null ? "(none)" : got, f.getValue(), who, description);
            }
        }
        for (Map.Entry<String, String> f : checkpoint.fields.entrySet()) {
            if (!fields.containsKey(f.getKey())) {
                throw differs(f.getKey(), f.getValue(), "(none)", who, description);
            }
        }
    }

    /**
     * The refusal of a checkpoint whose configuration differs in one field.
     *
     * @param field       the field
     * @param got         the checkpoint's value
     * @param expected    this side's value
     * @param who         this side, e.g. {@code "this strategy"}
     * @param description a one-line description of this side
     * @return the exception to throw
     */
    public static IOException differs(String field, Object got, Object expected, String who, String description) {
        return new IOException("checkpoint is of another configuration: " + field + " differs, the checkpoint has "
                + field + "=" + got + ", " + who + " has " + field + "=" + expected + " (" + who + ": " + description
                + ")");
    }
}
