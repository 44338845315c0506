/** The core's JSON plumbing: one configured mapper and typed reads with messages users can act on. */
package dev.switchboard.core.json;
