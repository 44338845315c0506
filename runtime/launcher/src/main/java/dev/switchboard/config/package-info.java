/**
 * Gateway settings: the keys, their defaults and checks, and how the file, the environment and system
 * properties combine. Loaded by the launcher before the framework starts and offered to bundles as a
 * {@link dev.switchboard.config.Settings} service (this package is exported by the system bundle).
 * Depends on Commons Configuration only.
 */
package dev.switchboard.config;
