/**
 * The plain {@code main} that loads the settings, embeds Apache Felix, installs the bundles of {@code system/},
 * starts FileInstall on {@code plugins/} and turns SIGTERM into an orderly stop.
 */
package dev.switchboard.launcher;
