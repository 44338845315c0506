/**
 * What the launcher offers the core bundle beyond settings: a way to report a fatal start-up failure and the
 * plugin jars that were present at start. Exported by the system bundle.
 */
package dev.switchboard.launcher.spi;
