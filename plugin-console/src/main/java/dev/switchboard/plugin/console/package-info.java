/**
 * The admin console bundle: its files live under {@code console/} in the jar (plain ES modules, a style sheet and
 * the uPlot chart library) and are offered to the core as the {@code console} site. The console talks to the
 * gateway only through the public admin API under {@code /api/}.
 */
package dev.switchboard.plugin.console;
