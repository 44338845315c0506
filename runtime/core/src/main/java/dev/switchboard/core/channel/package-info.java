/**
 * Channels (vendor accounts): the in-memory registry the relay reads, the admin form that checks input, and
 * the JSON view answers show. Writes go to the store and commit before they are visible.
 */
package dev.switchboard.core.channel;
