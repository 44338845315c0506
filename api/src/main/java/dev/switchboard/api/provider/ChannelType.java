package dev.switchboard.api.provider;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a channel type is, as operators and the console see it: its id, name, default base URL, the key format,
 * per-type options, the operations it supports and the models it usually serves.
 */
public final class ChannelType {

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]*");

    private final String id;
    private final String name;
    private final String defaultBaseUrl;
    private final String keyHint;
    private final List<ConfigField> configFields;
    private final Set<Operation> operations;
    private final List<String> defaultModels;

    private ChannelType(Builder b) {
        if (b.id == null || !ID.matcher(b.id).matches()) {
            throw new IllegalArgumentException("channel type id must match [a-z0-9][a-z0-9_-]*: " + b.id);
        }
        this.id = b.id;
        this.name = b.name == null ? b.id : b.name;
        this.defaultBaseUrl = Objects.requireNonNull(b.defaultBaseUrl, "defaultBaseUrl");
        this.keyHint = b.keyHint == null ? "" : b.keyHint;
        this.configFields = List.copyOf(b.configFields);
        this.operations = b.operations.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(b.operations));
        this.defaultModels = List.copyOf(b.defaultModels);
    }

    /**
     * Starts a channel type description.
     *
     * @param id the type id channels name, e.g. {@code qianfan}; {@code [a-z0-9][a-z0-9_-]*}
     * @return a builder
     */
    public static Builder builder(String id) {
        return new Builder(id);
    }

    /** @return the type id, e.g. {@code openai} */
    public String id() {
        return id;
    }

    /** @return the display name, e.g. {@code Baidu Qianfan} */
    public String name() {
        return name;
    }

    /** @return the base URL used when a channel sets none, e.g. {@code https://api.openai.com/v1} */
    public String defaultBaseUrl() {
        return defaultBaseUrl;
    }

    /** @return the key format shown to operators, e.g. {@code API_KEY|SECRET_KEY}; possibly empty */
    public String keyHint() {
        return keyHint;
    }

    /** @return the per-type options a channel may set under {@code config} */
    public List<ConfigField> configFields() {
        return configFields;
    }

    /** @return the operations channels of this type can serve */
    public Set<Operation> operations() {
        return operations;
    }

    /** @return model names an operator usually serves through this type, for pre-filling forms */
    public List<String> defaultModels() {
        return defaultModels;
    }

    /** Builds a {@link ChannelType}. */
    public static final class Builder {
        private final String id;
        private String name;
        private String defaultBaseUrl;
        private String keyHint;
        private List<ConfigField> configFields = List.of();
        private Set<Operation> operations = EnumSet.noneOf(Operation.class);
        private List<String> defaultModels = List.of();

        private Builder(String id) {
            this.id = id;
        }

        /** @param name the display name @return this builder */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** @param url the base URL used when a channel sets none @return this builder */
        public Builder defaultBaseUrl(String url) {
            this.defaultBaseUrl = url;
            return this;
        }

        /** @param hint the key format shown to operators @return this builder */
        public Builder keyHint(String hint) {
            this.keyHint = hint;
            return this;
        }

        /** @param fields the per-type options @return this builder */
        public Builder configFields(ConfigField... fields) {
            this.configFields = List.of(fields);
            return this;
        }

        /** @param ops the supported operations @return this builder */
        public Builder operations(Operation... ops) {
            this.operations = ops.length == 0 ? EnumSet.noneOf(Operation.class) : EnumSet.of(ops[0], ops);
            return this;
        }

        /** @param models usual model names @return this builder */
        public Builder defaultModels(String... models) {
            this.defaultModels = List.of(models);
            return this;
        }

        /** @return the channel type */
        public ChannelType build() {
            return new ChannelType(this);
        }
    }
}
