package dev.switchboard.api.provider;

import java.util.List;
import java.util.Objects;

/**
 * One per-type option of a channel ({@code config.<name>} in the admin API), described so that the console
 * can render a form field for it and the core can check values before they are stored.
 */
public final class ConfigField {

    /** The kinds of value a field holds. */
    public enum Kind {
        /** Free text. */
        STRING,
        /** One of {@link ConfigField#choices()}. */
        CHOICE,
        /** {@code true} or {@code false}. */
        BOOLEAN,
        /** A JSON object, e.g. a table of overrides. */
        OBJECT
    }

    private final String name;
    private final String label;
    private final Kind kind;
    private final List<String> choices;
    private final String defaultValue;
    private final boolean required;
    private final String description;

    private ConfigField(Builder b) {
        this.name = Objects.requireNonNull(b.name, "name");
        this.label = b.label == null ? b.name : b.label;
        this.kind = b.kind;
        this.choices = List.copyOf(b.choices);
        this.defaultValue = b.defaultValue;
        this.required = b.required;
        this.description = b.description == null ? "" : b.description;
        if (kind == Kind.CHOICE && choices.isEmpty()) {
            throw new IllegalArgumentException("config field '" + name + "' is a choice but lists no choices");
        }
    }

    /**
     * Starts a field description.
     *
     * @param name the key under the channel's {@code config} object, e.g. {@code api_version}
     * @param kind the kind of value
     * @return a builder
     */
    public static Builder builder(String name, Kind kind) {
        return new Builder(name, kind);
    }

    /** @return the key under the channel's {@code config} object */
    public String name() {
        return name;
    }

    /** @return a short human label for forms */
    public String label() {
        return label;
    }

    /** @return the kind of value */
    public Kind kind() {
        return kind;
    }

    /** @return the allowed values of a {@link Kind#CHOICE} field, empty otherwise */
    public List<String> choices() {
        return choices;
    }

    /** @return the value assumed when the field is absent, or {@code null} for none */
    public String defaultValue() {
        return defaultValue;
    }

    /** @return whether a channel of this type must set the field */
    public boolean required() {
        return required;
    }

    /** @return one sentence for operators, possibly empty */
    public String description() {
        return description;
    }

    /** Builds a {@link ConfigField}. */
    public static final class Builder {
        private final String name;
        private final Kind kind;
        private String label;
        private List<String> choices = List.of();
        private String defaultValue;
        private boolean required;
        private String description;

        private Builder(String name, Kind kind) {
            this.name = name;
            this.kind = Objects.requireNonNull(kind, "kind");
        }

        /** @param label a short human label; defaults to the name @return this builder */
        public Builder label(String label) {
            this.label = label;
            return this;
        }

        /** @param values the allowed values of a choice field @return this builder */
        public Builder choices(String... values) {
            this.choices = List.of(values);
            return this;
        }

        /** @param value the value assumed when the field is absent @return this builder */
        public Builder defaultValue(String value) {
            this.defaultValue = value;
            return this;
        }

        /** @param required whether channels must set the field @return this builder */
        public Builder required(boolean required) {
            this.required = required;
            return this;
        }

        /** @param text one sentence for operators @return this builder */
        public Builder description(String text) {
            this.description = text;
            return this;
        }

        /** @return the field description */
        public ConfigField build() {
            return new ConfigField(this);
        }
    }
}
