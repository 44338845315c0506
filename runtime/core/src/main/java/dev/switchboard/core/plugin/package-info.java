/**
 * Plugin bundles as operators see them: the bundles installed from the plugins folder, their state and the
 * channel types they provide, and install, update and removal through that folder (so FileInstall stays the
 * one mechanism, and what an operator uploads survives a restart).
 */
package dev.switchboard.core.plugin;
