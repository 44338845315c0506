/**
 * Tracks the provider adapters that plugins register, and contains them: what a plugin throws fails one
 * request, naming the plugin. Replacement services may bind before the old ones unbind, so every registration
 * is kept until its own unbind; of several claiming one type the best ranked (then the oldest) serves it, the
 * others are shadowed.
 */
package dev.switchboard.core.adapter;
